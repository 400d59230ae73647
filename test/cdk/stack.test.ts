/**
 * The Sauti stack as a whole: its outputs and a clean cdk-nag AwsSolutions report.
 *
 * Each part of the stack has its own test file beside this one, all reading the template of
 * sauti-template.ts.
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { TOKEN_PLACEHOLDER, outputId } from '../../infra/constructs/outputs.js';
import { routes } from '../../infra/routes.js';
import { type Json, app, stack, template, resources, fnIds, tableId, secretId, atSecretId, pseudonymSecretId, sslSecretId, infobipSecretId, exportsBucketId, exportsLogBucketId, queueId, dlqId, userPoolId, clientId, topicId, allFunctions, asArray, phoneKeySecretId } from './sauti-template.js';

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
    expect(acknowledged.filter((a) => a.rule === 'AwsSolutions-SMG4').map((a) => a.id).sort()).toEqual([atSecretId, sslSecretId, infobipSecretId, secretId, pseudonymSecretId, phoneKeySecretId].sort());
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
