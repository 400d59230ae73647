/**
 * The synthesized CloudFormation of the Sauti stack: data safety, least privilege, the exact
 * route table of infra/routes.ts, SMS sending (queue, sender, dispatcher schedule), the admin
 * API behind Cognito, alarms, and a clean cdk-nag AwsSolutions report.
 *
 * Bundling is skipped (`aws:cdk:bundling-stacks: []`): these tests check the template, not
 * the handlers, and stay fast and offline. The stack is synthesized once and shared.
 */
import { readFileSync } from 'node:fs';
import { App, CfnResource } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { TTL_ATTRIBUTE, tableDefinition } from '../../functions/adapters/dynamo/table.js';
import { routes } from '../../infra/routes.js';
import { EXPORT_RETENTION_DAYS } from '../../infra/constructs/data.js';
import { SENDER_TIMEOUT, SEND_MAX_RECEIVES, sendConcurrencyOf } from '../../infra/constructs/messaging.js';
import { TOKEN_PLACEHOLDER, outputId } from '../../infra/constructs/outputs.js';
import { type FunctionName, userAdminActions } from '../../infra/constructs/permissions.js';
import { SautiStack } from '../../infra/stack.js';

type Json = Record<string, any>;

// Same feature flags as `cdk synth`, so the template under test is the one deployed.
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as Json;

const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const stack = new SautiStack(app, 'Sauti');
// Only for its aspect that writes acknowledgements into the template metadata; the pack itself is
// run by a test below (registered as a plugin, a finding would abort the synth of every test).
new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true });
const template = Template.fromStack(stack);
// The web console's hosting (CloudFront, its buckets, the bundle upload) is asserted in
// console-site.test.ts; the exact inventories below are of everything else.
const consolePaths = [stack.consoleSite.node.path, stack.consoleSite.deployment?.handlerRole.node.scope?.node.path].filter((p): p is string => p !== undefined);
const consoleIds = new Set(
  stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && consolePaths.some((p) => c.node.path.startsWith(`${p}/`))).map((c) => stack.getLogicalId(c)),
);
const resources = Object.fromEntries(Object.entries(template.toJSON().Resources as Record<string, Json>).filter(([id]) => !consoleIds.has(id)));

const logicalId = (c: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(c.node.defaultChild as CfnFunction);
const fnIds = Object.fromEntries(
  (Object.keys(stack.functions) as FunctionName[]).map((name) => [name, logicalId(stack.functions[name])]),
) as Record<FunctionName, string>;
const ussdId = fnIds.ussd;
const callbacksId = fnIds.atCallbacks;
const tableId = logicalId(stack.table);
const secretId = logicalId(stack.callbackToken);
const atSecretId = logicalId(stack.atCredentials);
const pseudonymSecretId = logicalId(stack.pseudonymKey);
const sslSecretId = logicalId(stack.sslWirelessCredentials);
const infobipSecretId = logicalId(stack.infobipCredentials);
const exportsBucketId = logicalId(stack.exportsBucket);
const exportsLogBucketId = logicalId(stack.exportsLogBucket);
const queueId = logicalId(stack.sendQueue);
const dlqId = logicalId(stack.sendDeadLetterQueue);
const userPoolId = logicalId(stack.userPool);
const clientId = logicalId(stack.userPoolClient);
const topicId = logicalId(stack.alarmTopic);
const allFunctions = Object.keys(fnIds) as FunctionName[];

const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const byName = (a: { AttributeName: string }, b: { AttributeName: string }): number =>
  a.AttributeName.localeCompare(b.AttributeName);
const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const getAtt = (id: string): Json => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** Every IAM statement on a role (by its logical id). */
function statementsOfRole(roleId: string): Json[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => asArray<Json>(p.Properties.Roles).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => asArray<Json>(p.Properties.PolicyDocument.Statement));
}
/** Every IAM statement that ends up on the execution role of the given function. */
const statementsOf = (fnLogicalId: string): Json[] =>
  statementsOfRole(resources[fnLogicalId]!.Properties.Role['Fn::GetAtt'][0] as string);
const actionsOf = (fnLogicalId: string): string[] =>
  statementsOf(fnLogicalId).flatMap((s) => asArray<string>(s.Action));
/** The statements of a function that grant any action of this service (`dynamodb`, `sqs`...). */
const serviceStatements = (fnLogicalId: string, service: string): Json[] =>
  statementsOf(fnLogicalId).filter((s) => asArray<string>(s.Action).some((a) => a.startsWith(`${service}:`)));

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

describe('secrets', () => {
  it('are the callback token, the three SMS providers\' credentials and the pseudonym key, all generated, never literals', () => {
    expect(ofType('AWS::SecretsManager::Secret').map(([id]) => id).sort()).toEqual([atSecretId, sslSecretId, infobipSecretId, secretId, pseudonymSecretId].sort());
    for (const id of [secretId, atSecretId, sslSecretId, infobipSecretId, pseudonymSecretId]) expect(resources[id]!.Properties.SecretString, id).toBeUndefined();
  });

  it('the SSL Wireless and Infobip credentials hold only a generated key until an operator sets them (unconfigured: no provider call)', () => {
    expect(resources[sslSecretId]!.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'apiToken', SecretStringTemplate: '{}' });
    expect(resources[infobipSecretId]!.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'apiKey', SecretStringTemplate: '{}' });
    const outs = template.toJSON().Outputs as Record<string, Json>;
    expect(JSON.stringify(outs.SetSslWirelessCredentialsCommand?.Value)).toContain('sid');
    expect(JSON.stringify(outs.SetInfobipCredentialsCommand?.Value)).toContain('baseUrl');
  });

  it('the pseudonym key is generated by Secrets Manager (64 characters)', () => {
    expect(resources[pseudonymSecretId]!.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
  });

  it('the callback token is generated by Secrets Manager (32 URL-safe characters)', () => {
    const secret = resources[secretId]!.Properties as Json;
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 32, ExcludePunctuation: true });
  });

  it('the AT credentials are JSON {username, apiKey}, on the sandbox until an operator replaces them', () => {
    const generate = resources[atSecretId]!.Properties.GenerateSecretString as Json;
    expect(generate.GenerateStringKey).toBe('apiKey');
    expect(JSON.parse(generate.SecretStringTemplate as string)).toEqual({ username: 'sandbox' });
  });
});

describe('Lambda functions', () => {
  const expected: { name: FunctionName; memory: number; timeout: number }[] = [
    { name: 'ussd', memory: 512, timeout: 8 },
    { name: 'atCallbacks', memory: 256, timeout: 10 },
    { name: 'api', memory: 512, timeout: 29 },
    { name: 'sender', memory: 256, timeout: SENDER_TIMEOUT.toSeconds() },
    { name: 'dispatcher', memory: 512, timeout: 300 },
  ];

  it('are exactly the five of infra/routes.ts', () => {
    expect(ofType('AWS::Lambda::Function').map(([id]) => id).sort()).toEqual(Object.values(fnIds).sort());
    expect(expected.map((e) => e.name).sort()).toEqual([...allFunctions].sort());
  });

  it.each(expected)('$name runs Node.js 22 on arm64 with its memory and timeout', ({ name, memory, timeout }) => {
    expect(resources[fnIds[name]]!.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: memory,
      Timeout: timeout,
      Handler: 'index.handler',
    });
  });

  it("ussd answers before the ~10 s Africa's Talking timeout", () => {
    expect(resources[ussdId]!.Properties.Timeout).toBeLessThan(10);
  });

  it('the sender times out well before its 5-minute message claim lease expires', () => {
    expect(resources[fnIds.sender]!.Properties.Timeout).toBeLessThan(5 * 60);
  });

  const env = (name: FunctionName): Json => resources[fnIds[name]]!.Properties.Environment.Variables as Json;
  const queueUrl = { Ref: queueId };

  it.each(allFunctions)('%s gets exactly its environment, references and no secret value', (name) => {
    const wanted: Record<FunctionName, Json> = {
      ussd: { CALLBACK_TOKEN_SECRET_ID: { Ref: secretId } },
      atCallbacks: { CALLBACK_TOKEN_SECRET_ID: { Ref: secretId }, SEND_QUEUE_URL: queueUrl, PSEUDONYM_SECRET_ARN: { Ref: pseudonymSecretId } },
      api: {
        SEND_QUEUE_URL: queueUrl,
        DISPATCHER_FUNCTION_NAME: { Ref: fnIds.dispatcher },
        EXPORTS_BUCKET: { Ref: exportsBucketId },
        PSEUDONYM_SECRET_ARN: { Ref: pseudonymSecretId },
        USER_POOL_ID: { Ref: userPoolId },
      },
      sender: { AT_CREDENTIALS_SECRET_ARN: { Ref: atSecretId }, SSLWIRELESS_CREDENTIALS_SECRET_ARN: { Ref: sslSecretId }, INFOBIP_CREDENTIALS_SECRET_ARN: { Ref: infobipSecretId }, SAUTI_MAX_RECEIVES: String(SEND_MAX_RECEIVES) },
      dispatcher: { SEND_QUEUE_URL: queueUrl },
    };
    const vars = env(name);
    const { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: _port, SSM_PARAMETER_STORE_TTL: _a, ...own } = Object.fromEntries(
      Object.entries(vars).filter(([k]) => !k.startsWith('PARAMETERS_SECRETS_') && !k.startsWith('SECRETS_MANAGER_') && !k.startsWith('SSM_')),
    );
    expect(own).toEqual({ TABLE_NAME: { Ref: tableId }, POWERTOOLS_SERVICE_NAME: 'sauti', ...wanted[name] });
    // Anything named like a token or a secret must be a reference, never a literal string.
    for (const [k, value] of Object.entries(vars)) {
      if (/TOKEN|SECRET_ID|SECRET_ARN|API_KEY|USERNAME/.test(k)) expect(typeof value, k).not.toBe('string');
    }
  });

  it.each(allFunctions)('%s has the secrets extension if and only if it reads a secret', (name) => {
    const props = resources[fnIds[name]]!.Properties as Json;
    const readsSecret = ['ussd', 'atCallbacks', 'sender', 'api'].includes(name);
    // The AWS Parameters and Secrets Lambda Extension, for the arm64 architecture.
    if (readsSecret) {
      expect(JSON.stringify(props.Layers)).toMatch(/Paramsandsecrets.*arm64/i);
      expect(env(name).PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).toBeDefined();
    } else {
      expect(props.Layers).toBeUndefined();
    }
  });

  it.each(allFunctions)('%s logs to its own log group with a retention', (name) => {
    const logGroupId = resources[fnIds[name]]!.Properties.LoggingConfig.LogGroup.Ref as string;
    expect(resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });

  it('every log group has a retention', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(6); // five Lambdas + API access logs
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('IAM least privilege', () => {
  const forbidden = ['dynamodb:*', 'dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:BatchWriteItem'];
  const tableArn = getAtt(tableId);
  const exportObjectsArn = { 'Fn::Join': ['', [getAtt(exportsBucketId), '/*']] };
  const gsi1Arn = { 'Fn::Join': ['', [tableArn, '/index/gsi1']] };

  const dynamo: Record<FunctionName, string[]> = {
    ussd: ['BatchGetItem', 'GetItem', 'PutItem', 'Query'],
    // "Forget me" (by SMS, by an admin): DeleteItem and Scan (functions/adapters/dynamo/forget-store.ts).
    atCallbacks: ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'],
    api: ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'],
    // TransactWriteItems (Update + Put) is authorised as UpdateItem and PutItem.
    sender: ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    // Data retention once a day: Scan and UpdateItem (functions/adapters/dynamo/retention-store.ts).
    dispatcher: ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'],
  };

  it.each(allFunctions)('%s has exactly its DynamoDB actions, on the table', (name) => {
    const onTable = serviceStatements(fnIds[name], 'dynamodb').filter((s) => JSON.stringify(s.Resource) === JSON.stringify(tableArn));
    expect(onTable).toHaveLength(1);
    expect(asArray<string>(onTable[0]!.Action).sort()).toEqual(dynamo[name].map((a) => `dynamodb:${a}`));
    const all = actionsOf(fnIds[name]).filter((a) => a.startsWith('dynamodb:'));
    // What a function is given above is exact; anything else on the forbidden list never.
    for (const a of forbidden) if (!dynamo[name].includes(a.replace('dynamodb:', ''))) expect(all).not.toContain(a);
  });

  it.each(allFunctions)('%s may manage staff accounts in the user pool only if it is the API, with exactly the account actions', (name) => {
    const cognito = serviceStatements(fnIds[name], 'cognito-idp');
    if (name !== 'api') expect(cognito).toEqual([]);
    else {
      expect(cognito).toHaveLength(1);
      expect(asArray<string>(cognito[0]!.Action).sort()).toEqual([...userAdminActions].sort());
      expect(cognito[0]!.Resource).toEqual(getAtt(userPoolId));
    }
  });

  it.each(allFunctions)('%s may query gsi1 only if it lists studies or participants (dispatcher, api), nothing else on an index', (name) => {
    const other = serviceStatements(fnIds[name], 'dynamodb').filter((s) => JSON.stringify(s.Resource) !== JSON.stringify(tableArn));
    if (name === 'dispatcher' || name === 'api') expect(other).toEqual([{ Action: 'dynamodb:Query', Effect: 'Allow', Resource: gsi1Arn }]);
    else expect(other).toEqual([]);
  });

  it.each(allFunctions)('%s has no wildcard action or resource (but the exports bucket\'s objects for the API) and no managed policy', (name) => {
    const id = fnIds[name];
    const statements = statementsOf(id);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      for (const a of asArray<string>(s.Action)) expect(a).not.toMatch(/\*/);
      for (const r of asArray<unknown>(s.Resource)) {
        if (name === 'api' && JSON.stringify(r) === JSON.stringify(exportObjectsArn)) continue;
        expect(JSON.stringify(r)).not.toMatch(/\*/);
      }
    }
    const roleId = resources[id]!.Properties.Role['Fn::GetAtt'][0] as string;
    expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it.each(allFunctions)('%s writes logs only to its own log group', (name) => {
    const id = fnIds[name];
    const logGroupId = resources[id]!.Properties.LoggingConfig.LogGroup.Ref as string;
    const logs = serviceStatements(id, 'logs');
    expect(logs).toHaveLength(1);
    expect(logs[0]!.Resource).toEqual(getAtt(logGroupId));
  });

  it.each(allFunctions)('%s may use the table key only through DynamoDB', (name) => {
    const kms = serviceStatements(fnIds[name], 'kms');
    expect(kms).toHaveLength(1);
    expect(kms[0]!.Condition.StringEquals['kms:ViaService']).toBeDefined();
  });

  it.each(allFunctions)('%s reads exactly its secrets', (name) => {
    const readers: Record<FunctionName, string[]> = {
      ussd: [secretId],
      atCallbacks: [pseudonymSecretId, secretId].sort(),
      api: [pseudonymSecretId],
      sender: [atSecretId, sslSecretId, infobipSecretId].sort(),
      dispatcher: [],
    };
    const granted = serviceStatements(fnIds[name], 'secretsmanager');
    // Two secrets of one function may share a statement (a list of resources).
    expect(granted.flatMap((s) => asArray<{ Ref: string }>(s.Resource).map((r) => r.Ref)).sort()).toEqual(readers[name]);
    for (const s of granted) expect(asArray<string>(s.Action).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
  });

  it.each(allFunctions)('%s has exactly its SQS grants on the send queue (the DLQ: none)', (name) => {
    const sqs: Record<FunctionName, string[]> = {
      ussd: [],
      // Replies to incoming SMS, and the planned messages.
      atCallbacks: ['sqs:SendMessage'],
      dispatcher: ['sqs:SendMessage'],
      api: [],
      // The event source mapping polls as the sender.
      sender: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
    };
    const granted = serviceStatements(fnIds[name], 'sqs');
    expect(granted.flatMap((s) => asArray<string>(s.Action)).sort()).toEqual(sqs[name]);
    for (const s of granted) expect(s.Resource).toEqual(getAtt(queueId));
  });

  it.each(allFunctions)('%s has S3 rights only if it writes exports (api): exactly Put, Get and AbortMultipartUpload, on the exports bucket\'s objects', (name) => {
    const s3 = serviceStatements(fnIds[name], 's3');
    if (name !== 'api') {
      expect(s3).toEqual([]);
      return;
    }
    expect(s3).toEqual([{ Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: exportObjectsArn }]);
    // Nothing on the bucket itself (no List, no Delete, no bucket policy or ACL changes).
    for (const a of actionsOf(fnIds[name]).filter((x) => x.startsWith('s3:'))) expect(a).not.toMatch(/Delete|List|Put.*(Acl|Policy)|\*/);
  });

  it.each(allFunctions)('%s may invoke only what it must (the API: the dispatcher, unqualified)', (name) => {
    const invoke = serviceStatements(fnIds[name], 'lambda');
    if (name === 'api') expect(invoke).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: getAtt(fnIds.dispatcher) }]);
    else expect(invoke).toEqual([]);
  });

  it('every function has its own role', () => {
    const roles = allFunctions.map((n) => resources[fnIds[n]]!.Properties.Role['Fn::GetAtt'][0]);
    expect(new Set(roles).size).toBe(allFunctions.length);
  });
});

describe('exports bucket', () => {
  const bucket = (): Json => resources[exportsBucketId]!.Properties as Json;
  const logBucket = (): Json => resources[exportsLogBucketId]!.Properties as Json;
  const policyOf = (id: string): Json[] =>
    (ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === id)?.[1].Properties.PolicyDocument.Statement ?? []) as Json[];

  it('are two: the exports and their access logs', () => {
    expect(ofType('AWS::S3::Bucket').map(([id]) => id).sort()).toEqual([exportsBucketId, exportsLogBucketId].sort());
  });

  it('both block every kind of public access, are encrypted at rest and owned by the bucket owner', () => {
    for (const b of [bucket(), logBucket()]) {
      expect(b.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(b.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(b.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
  });

  it('both refuse requests without TLS', () => {
    for (const id of [exportsBucketId, exportsLogBucketId]) {
      expect(policyOf(id), id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it(`expire exports after ${EXPORT_RETENTION_DAYS} days and abandoned multipart uploads after one`, () => {
    expect(EXPORT_RETENTION_DAYS).toBe(7);
    expect(bucket().LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', ExpirationInDays: 7, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    ]);
  });

  it('log every access to exports (presigned downloads included) into the log bucket, which may only be written by S3 logging from this bucket', () => {
    expect(bucket().LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: exportsLogBucketId }, LogFilePrefix: 'exports/' });
    expect(policyOf(exportsLogBucketId)).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: expect.objectContaining({ ArnLike: { 'aws:SourceArn': getAtt(exportsBucketId) } }),
      }),
    );
    expect(logBucket().LifecycleConfiguration.Rules).toEqual([expect.objectContaining({ Status: 'Enabled', ExpirationInDays: 365 })]);
  });

  it('are retained when the stack is deleted (exports empty themselves; the access logs are an audit record)', () => {
    for (const id of [exportsBucketId, exportsLogBucketId]) expect(resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('is given to the API only, by name, with the pseudonym key\'s ARN', () => {
    for (const name of allFunctions) {
      const vars = resources[fnIds[name]]!.Properties.Environment.Variables as Json;
      if (name === 'api') expect(vars).toMatchObject({ EXPORTS_BUCKET: { Ref: exportsBucketId }, PSEUDONYM_SECRET_ARN: { Ref: pseudonymSecretId } });
      else expect(Object.keys(vars)).not.toEqual(expect.arrayContaining(['EXPORTS_BUCKET']));
    }
  });
});

describe('send queue', () => {
  const queue = (): Json => resources[queueId]!.Properties as Json;
  const dlq = (): Json => resources[dlqId]!.Properties as Json;

  it('has a dead-letter queue after 5 receives, kept 14 days', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    expect(queue().RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt(dlqId), maxReceiveCount: SEND_MAX_RECEIVES });
    expect(dlq().MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(dlq().RedrivePolicy).toBeUndefined();
  });

  it('is encrypted at rest, both queues', () => {
    for (const q of [queue(), dlq()]) expect(q.SqsManagedSseEnabled === true || q.KmsMasterKeyId !== undefined).toBe(true);
  });

  it('refuses requests without TLS, both queues', () => {
    for (const id of [queueId, dlqId]) {
      const policy = ofType('AWS::SQS::QueuePolicy').find(([, p]) => asArray<Json>(p.Properties.Queues).some((q) => q.Ref === id));
      expect(policy, id).toBeDefined();
      expect(policy![1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('hides a batch for at least 6x the sender timeout, and longer than the claim lease', () => {
    const timeout = resources[fnIds.sender]!.Properties.Timeout as number;
    expect(queue().VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    expect(queue().VisibilityTimeout).toBeGreaterThan(5 * 60);
  });
});

describe('sender event source', () => {
  const mappings = ofType('AWS::Lambda::EventSourceMapping');

  it('drains the send queue into the sender with partial-batch failures and a concurrency cap', () => {
    expect(mappings).toHaveLength(1);
    expect(mappings[0]![1].Properties).toEqual({
      EventSourceArn: getAtt(queueId),
      FunctionName: { Ref: fnIds.sender },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(stack.sendConcurrency).toBe(cdkJson.context['sauti:sendConcurrency']);
  });

  it('takes the cap from the context key sauti:sendConcurrency (number or -c string), within SQS\'s 2..1000', () => {
    expect(sendConcurrencyOf(undefined)).toBe(2);
    expect(sendConcurrencyOf(5)).toBe(5);
    expect(sendConcurrencyOf('12')).toBe(12);
    expect(sendConcurrencyOf(1000)).toBe(1000);
    for (const bad of [0, 1, 1001, 2.5, 'two', '']) {
      if (bad === '') expect(sendConcurrencyOf(bad)).toBe(2);
      else expect(() => sendConcurrencyOf(bad), String(bad)).toThrow(/sauti:sendConcurrency/);
    }
  });

  it('uses the context value in the template', () => {
    const other = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], 'sauti:sendConcurrency': '7' } });
    const s = new SautiStack(other, 'Sauti');
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 7 } });
  });
});

describe('dispatcher schedule', () => {
  it('invokes the dispatcher every 15 minutes through EventBridge Scheduler', () => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const props = schedules[0]![1].Properties as Json;
    expect(props.ScheduleExpression).toBe('rate(15 minutes)');
    expect(props.State).toBe('ENABLED');
    expect(props.Target.Arn).toEqual(getAtt(fnIds.dispatcher));
  });

  it("runs as a role that may only invoke the dispatcher, assumed only by this account's scheduler", () => {
    const props = ofType('AWS::Scheduler::Schedule')[0]![1].Properties as Json;
    const roleId = props.Target.RoleArn['Fn::GetAtt'][0] as string;
    expect(statementsOfRole(roleId)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: getAtt(fnIds.dispatcher) }]);
    const trust = resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement as Json[];
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
  });
});

describe('admin users (Cognito)', () => {
  const pool = (): Json => resources[userPoolId]!;

  it('are created by an admin only, with a strong password policy and MFA required', () => {
    expect(pool().Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
    expect(pool().Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('are retained with the pool when the stack is deleted', () => {
    expect(pool()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
  });

  it('belong to the groups researcher, ngo and admin', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties as Json);
    expect(groups.map((g) => g.GroupName).sort()).toEqual(['admin', 'ngo', 'researcher']);
    for (const g of groups) expect(g.UserPoolId).toEqual({ Ref: userPoolId });
  });

  it('sign in through one public app client (no secret)', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    expect(resources[clientId]!.Properties).toMatchObject({ GenerateSecret: false, UserPoolId: { Ref: userPoolId } });
    expect(resources[clientId]!.Properties.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });
});

describe('HTTP API', () => {
  const routeResources = ofType('AWS::ApiGatewayV2::Route');

  it('has exactly the routes of infra/routes.ts', () => {
    const keys = routeResources.map(([, r]) => r.Properties.RouteKey as string);
    expect(keys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has one JWT authorizer: the Cognito user pool, for the app client', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const props = authorizers[0]![1].Properties as Json;
    expect(props).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(props.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
    expect(JSON.stringify(props.JwtConfiguration.Issuer)).toContain(userPoolId);
  });

  it('puts the authorizer on exactly the routes with auth: jwt (/api/v1), none on /at/, /hooks/ and /health', () => {
    const [[authorizerId]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, Json]];
    const byKey = new Map(routeResources.map(([, r]) => [r.Properties.RouteKey as string, r.Properties as Json]));
    expect(routes.filter((r) => r.auth === 'jwt').length).toBeGreaterThan(0);
    for (const route of routes) {
      const r = byKey.get(`${route.method} ${route.path}`)!;
      if (route.auth === 'jwt') {
        expect(route.path.startsWith('/api/v1/'), route.path).toBe(true);
        expect(r.AuthorizationType, route.path).toBe('JWT');
        expect(r.AuthorizerId, route.path).toEqual({ Ref: authorizerId });
      } else {
        expect(route.path.startsWith('/at/') || route.path.startsWith('/hooks/') || route.path === '/health', route.path).toBe(true);
        expect(r.AuthorizationType, route.path).toBe('NONE');
        expect(r.AuthorizerId, route.path).toBeUndefined();
      }
    }
  });

  it('sends each route to the Lambda named in infra/routes.ts (health to atCallbacks)', () => {
    const fnOfRoute = new Map(
      routeResources.map(([, r]) => {
        const integrationId = (r.Properties.Target['Fn::Join'][1] as Json[])[1]!.Ref as string;
        return [r.Properties.RouteKey as string, resources[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0]];
      }),
    );
    for (const route of routes) {
      const want = route.lambda === 'health' ? callbacksId : fnIds[route.lambda];
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

describe('alarms', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Json);
  const dims = (a: Json): Json[] => asArray<Json>(a.Dimensions);
  const onFunction = (a: Json, name: FunctionName): boolean =>
    a.Namespace === 'AWS/Lambda' && dims(a).some((d) => d.Name === 'FunctionName' && d.Value?.Ref === fnIds[name]);

  it('all notify the alarm topic, on alarm and on recovery', () => {
    expect(alarms.length).toBe(8);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(a.OKActions).toEqual([{ Ref: topicId }]);
      expect(a.TreatMissingData).toBe('notBreaching');
    }
  });

  it('fire on the first message in the send DLQ', () => {
    const dlqAlarms = alarms.filter((a) => a.Namespace === 'AWS/SQS' && dims(a).some((d) => d.Value?.['Fn::GetAtt']?.[0] === dlqId));
    expect(dlqAlarms).toHaveLength(1);
    expect(dlqAlarms[0]).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each(allFunctions)('fire on any error of %s within 5 minutes', (name) => {
    const errors = alarms.filter((a) => onFunction(a, name) && a.MetricName === 'Errors');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('fire when USSD p99 latency stays above 3 s for three 5-minute periods', () => {
    const latency = alarms.filter((a) => onFunction(a, 'ussd') && a.MetricName === 'Duration');
    expect(latency).toHaveLength(1);
    expect(latency[0]).toMatchObject({
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 3000,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fire on API Gateway 5xx answers', () => {
    const apiId = logicalId(stack.api);
    const api5xx = alarms.filter((a) => a.Namespace === 'AWS/ApiGateway' && a.MetricName === '5xx');
    expect(api5xx).toHaveLength(1);
    expect(dims(api5xx[0]!)).toEqual([{ Name: 'ApiId', Value: { Ref: apiId } }]);
    expect(api5xx[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('go to a KMS-encrypted topic that only accepts TLS, and that CloudWatch may use', () => {
    const topic = resources[topicId]!.Properties as Json;
    const keyId = topic.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    expect(resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
    const keyStatements = resources[keyId]!.Properties.KeyPolicy.Statement as Json[];
    expect(keyStatements).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
    const [[, policy]] = ofType('AWS::SNS::TopicPolicy') as [[string, Json]];
    expect(policy.Properties.Topics).toEqual([{ Ref: topicId }]);
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
    );
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

  it('give one URL per path, callback URLs with a placeholder instead of the token', () => {
    for (const route of routes) {
      const out = outputs[outputId(route)];
      expect(out, route.path).toBeDefined();
      expect(text(out)).toContain(route.path.replace('{token}', TOKEN_PLACEHOLDER).replace('/{proxy+}', ''));
    }
    expect(new Set(routes.map(outputId)).size).toBe(new Set(routes.map((r) => r.path)).size);
  });

  it('give the queues, the user pool and its client, the AT credentials secret and the alarm topic', () => {
    expect(outputs.SendQueueUrl!.Value).toEqual({ Ref: queueId });
    expect(outputs.SendDeadLetterQueueUrl!.Value).toEqual({ Ref: dlqId });
    expect(outputs.UserPoolId!.Value).toEqual({ Ref: userPoolId });
    expect(outputs.UserPoolClientId!.Value).toEqual({ Ref: clientId });
    expect(text(outputs.AtCredentialsSecretName)).toContain(atSecretId);
    expect(outputs.AlarmTopicArn!.Value).toEqual({ Ref: topicId });
    expect(outputs.ExportsBucketName!.Value).toEqual({ Ref: exportsBucketId });
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
      'AwsSolutions-COG8': ['AWS::Cognito::UserPool'],
      [`AwsSolutions-IAM5[Resource::<${exportsBucketId}.Arn>/*]`]: ['AWS::IAM::Policy'],
      'AwsSolutions-L1': ['AWS::Lambda::Function'],
      'AwsSolutions-S1': ['AWS::S3::Bucket'],
      'AwsSolutions-SMG4': ['AWS::SecretsManager::Secret'],
    });
    // Authorization is acknowledged as missing only where there is no authorizer.
    const apig4 = acknowledged.filter((a) => a.rule === 'AwsSolutions-APIG4');
    expect(apig4).toHaveLength(routes.filter((r) => r.auth !== 'jwt').length);
    for (const a of apig4) expect(resources[a.id]!.Properties.AuthorizationType).toBe('NONE');
    expect(acknowledged.filter((a) => a.rule === 'AwsSolutions-L1')).toHaveLength(allFunctions.length);
    expect(acknowledged.filter((a) => a.rule === 'AwsSolutions-SMG4').map((a) => a.id).sort()).toEqual([atSecretId, sslSecretId, infobipSecretId, secretId, pseudonymSecretId].sort());
    // Access logs are off only on the bucket that receives them; the wildcard only on the API's policy.
    expect(acknowledged.filter((a) => a.rule === 'AwsSolutions-S1').map((a) => a.id)).toEqual([exportsLogBucketId]);
    const iam5 = acknowledged.filter((a) => a.rule.startsWith('AwsSolutions-IAM5'));
    expect(iam5).toHaveLength(1);
    expect(asArray<Json>(resources[iam5[0]!.id]!.Properties.Roles)).toEqual([{ Ref: resources[fnIds.api]!.Properties.Role['Fn::GetAtt'][0] }]);
  });

  it('gives every acknowledgement a specific reason', () => {
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const a of acknowledged) {
      expect(a.reason.trim().length, `${a.rule} on ${a.id}`).toBeGreaterThanOrEqual(15);
    }
  });
});
