/**
 * The synthesized CloudFormation of the Sauti stack: data safety, least privilege, the exact
 * route table of infra/routes.ts, and a clean cdk-nag AwsSolutions report.
 *
 * Bundling is skipped (`aws:cdk:bundling-stacks: []`): these tests check the template, not
 * the handlers, and stay fast and offline.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { TTL_ATTRIBUTE, tableDefinition } from '../../functions/adapters/dynamo/table.js';
import { routes } from '../../infra/routes.js';
import { SautiStack, TOKEN_PLACEHOLDER, outputId } from '../../infra/stack.js';

type Json = Record<string, any>;

// Same feature flags as `cdk synth`, so the template under test is the one deployed.
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as Json;

const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const stack = new SautiStack(app, 'Sauti');
// Only for its aspect that writes acknowledgements into the template metadata; the pack itself is
// run by a test below (registered as a plugin, a finding would abort the synth of every test).
new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Json>;

const logicalId = (c: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(c.node.defaultChild as CfnFunction);
const ussdId = logicalId(stack.functions.ussd);
const callbacksId = logicalId(stack.functions.atCallbacks);
const tableId = logicalId(stack.table);
const secretId = logicalId(stack.callbackToken);

const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const byName = (a: { AttributeName: string }, b: { AttributeName: string }): number =>
  a.AttributeName.localeCompare(b.AttributeName);
const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Every IAM statement that ends up on the execution role of the given function. */
function statementsOf(fnLogicalId: string): Json[] {
  const roleRef = resources[fnLogicalId]!.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => asArray<Json>(p.Properties.Roles).some((r) => r.Ref === roleRef))
    .flatMap(([, p]) => asArray<Json>(p.Properties.PolicyDocument.Statement));
}
const actionsOf = (fnLogicalId: string): string[] =>
  statementsOf(fnLogicalId).flatMap((s) => asArray<string>(s.Action));

describe('DynamoDB table', () => {
  it('has the single-table keys, gsi1, on-demand billing, PITR, KMS encryption and TTL', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('is the table the local stack creates (functions/adapters/dynamo/table.ts)', () => {
    const table = resources[tableId]!.Properties as Json;
    expect(table.KeySchema).toEqual(tableDefinition.KeySchema);
    expect(table.BillingMode).toBe(tableDefinition.BillingMode);
    expect([...table.AttributeDefinitions].sort(byName)).toEqual([...tableDefinition.AttributeDefinitions].sort(byName));
    expect(table.GlobalSecondaryIndexes).toEqual(tableDefinition.GlobalSecondaryIndexes);
    expect(table.TimeToLiveSpecification.AttributeName).toBe(TTL_ATTRIBUTE);
  });

  it('is retained, with its rotating KMS key, when the stack is deleted or the table replaced', () => {
    expect(resources[tableId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const keyId = resources[tableId]!.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0] as string;
    expect(resources[keyId]).toMatchObject({
      Type: 'AWS::KMS::Key',
      DeletionPolicy: 'Retain',
      Properties: { EnableKeyRotation: true },
    });
  });
});

describe('callback token secret', () => {
  it('is generated by Secrets Manager (32 URL-safe characters), never a literal', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const secret = resources[secretId]!.Properties as Json;
    expect(secret.SecretString).toBeUndefined();
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 32, ExcludePunctuation: true });
  });
});

describe('Lambda functions', () => {
  const expected = [
    { name: 'ussd', id: ussdId, memory: 512, timeout: 8 },
    { name: 'atCallbacks', id: callbacksId, memory: 256, timeout: 10 },
  ];

  it.each(expected)('$name runs Node.js 22 on arm64 with its memory and timeout', ({ id, memory, timeout }) => {
    expect(resources[id]!.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: memory,
      Timeout: timeout,
      Handler: 'index.handler',
    });
  });

  it('ussd answers before the ~10 s Africa\'s Talking timeout', () => {
    expect(resources[ussdId]!.Properties.Timeout).toBeLessThan(10);
  });

  it.each(expected)('$name gets the table, the secret ARN and the extension, no token value', ({ id }) => {
    const props = resources[id]!.Properties as Json;
    const env = props.Environment.Variables as Json;
    expect(env.TABLE_NAME).toEqual({ Ref: tableId });
    expect(env.CALLBACK_TOKEN_SECRET_ID).toEqual({ Ref: secretId });
    expect(env.POWERTOOLS_SERVICE_NAME).toBe('sauti');
    // Anything named like a token or a secret must be a reference, never a literal string.
    for (const [name, value] of Object.entries(env)) {
      if (/TOKEN|SECRET_ID|API_KEY/.test(name)) expect(typeof value, name).not.toBe('string');
    }
    // The AWS Parameters and Secrets Lambda Extension, for the arm64 architecture.
    expect(JSON.stringify(props.Layers)).toMatch(/Paramsandsecrets.*arm64/i);
    expect(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).toBeDefined();
  });

  it.each(expected)('$name logs to its own log group with a retention', ({ id }) => {
    const logGroupId = resources[id]!.Properties.LoggingConfig.LogGroup.Ref as string;
    expect(resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });

  it('every log group has a retention', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(3); // two Lambdas + API access logs
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('IAM least privilege', () => {
  const forbidden = ['dynamodb:*', 'dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable'];

  it('ussd may only get, batch-get, query and put items', () => {
    const dynamo = actionsOf(ussdId).filter((a) => a.startsWith('dynamodb:'));
    expect([...dynamo].sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ].sort(),
    );
    for (const a of forbidden) expect(dynamo).not.toContain(a);
  });

  it('atCallbacks may only put, get and update single items: no queries or scans', () => {
    const dynamo = actionsOf(callbacksId).filter((a) => a.startsWith('dynamodb:'));
    expect([...dynamo].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    for (const a of [...forbidden, 'dynamodb:Query', 'dynamodb:BatchGetItem']) {
      expect(dynamo).not.toContain(a);
    }
  });

  it.each([ussdId, callbacksId])('%s has no wildcard action or resource and no managed policy', (id) => {
    for (const s of statementsOf(id)) {
      for (const a of asArray<string>(s.Action)) expect(a).not.toMatch(/\*/);
      for (const r of asArray<unknown>(s.Resource)) expect(JSON.stringify(r)).not.toMatch(/\*/);
    }
    const roleId = resources[id]!.Properties.Role['Fn::GetAtt'][0] as string;
    expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it.each([ussdId, callbacksId])('%s writes logs only to its own log group', (id) => {
    const logGroupId = resources[id]!.Properties.LoggingConfig.LogGroup.Ref as string;
    const logs = statementsOf(id).filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('logs:')));
    expect(logs).toHaveLength(1);
    expect(logs[0]!.Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
  });

  it.each([ussdId, callbacksId])('%s may use the table key only through DynamoDB', (id) => {
    const kms = statementsOf(id).filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('kms:')));
    expect(kms).toHaveLength(1);
    expect(kms[0]!.Condition.StringEquals['kms:ViaService']).toBeDefined();
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of infra/routes.ts, without an authorizer', () => {
    const keys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    expect(keys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const [, r] of ofType('AWS::ApiGatewayV2::Route')) expect(r.Properties.AuthorizationType).toBe('NONE');
  });

  it('sends each route to the Lambda named in infra/routes.ts (health to atCallbacks)', () => {
    const fnOfRoute = new Map(
      ofType('AWS::ApiGatewayV2::Route').map(([, r]) => {
        const integrationId = (r.Properties.Target['Fn::Join'][1] as Json[])[1]!.Ref as string;
        return [r.Properties.RouteKey as string, resources[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0]];
      }),
    );
    for (const route of routes) {
      const want = route.lambda === 'ussd' ? ussdId : callbacksId;
      expect(fnOfRoute.get(`${route.method} ${route.path}`), route.path).toBe(want);
    }
  });

  it('has a throttled, auto-deployed $default stage whose access log never records the token', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const format = stage.Properties.AccessLogSettings.Format as string;
    expect(format).toContain('$context.requestId');
    expect(format).toContain('$context.routeKey');
    // $context.path is /at/<the real token>/...: it must not reach the logs.
    expect(format).not.toMatch(/\$context\.(path|rawPath)|\$context\.resourcePath/);
  });
});

describe('outputs', () => {
  const outputs = template.toJSON().Outputs as Record<string, Json>;
  const text = (o: Json | undefined): string => JSON.stringify(o?.Value ?? null);

  it('give the API URL, the table name and the secret ARN', () => {
    expect(outputs.ApiUrl).toBeDefined();
    expect(outputs.TableName!.Value).toEqual({ Ref: tableId });
    expect(outputs.CallbackTokenSecretArn!.Value).toEqual({ Ref: secretId });
    expect(text(outputs.ReadCallbackTokenCommand)).toContain('aws secretsmanager get-secret-value --secret-id');
  });

  it('give one callback URL template per route, with a placeholder instead of the token', () => {
    for (const route of routes) {
      const out = outputs[outputId(route)];
      expect(out, route.path).toBeDefined();
      expect(text(out)).toContain(route.path.replace('{token}', TOKEN_PLACEHOLDER));
    }
    expect(new Set(routes.map(outputId)).size).toBe(routes.length);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    const found = report.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(found).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves no CDK annotation errors or warnings', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  const acknowledged = Object.entries(resources).flatMap(([id, r]) =>
    asArray<Json>(r.Metadata?.cdk_nag?.rules_to_suppress).map((s) => ({
      id,
      type: r.Type as string,
      rule: s.id as string,
      reason: s.reason as string,
    })),
  );

  it('acknowledges only the expected rules, each on the resources it is about', () => {
    const where = new Map<string, Set<string>>();
    for (const a of acknowledged) where.set(a.rule, (where.get(a.rule) ?? new Set()).add(a.type));
    expect(Object.fromEntries([...where].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      'AwsSolutions-APIG4': ['AWS::ApiGatewayV2::Route'],
      'AwsSolutions-L1': ['AWS::Lambda::Function'],
      'AwsSolutions-SMG4': ['AWS::SecretsManager::Secret'],
    });
    expect(acknowledged.filter((a) => a.rule === 'AwsSolutions-APIG4')).toHaveLength(routes.length);
  });

  it('gives every acknowledgement a specific reason', () => {
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const a of acknowledged) {
      expect(a.reason.trim().length, `${a.rule} on ${a.id}`).toBeGreaterThanOrEqual(15);
    }
  });
});
