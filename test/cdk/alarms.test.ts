/**
 * The alarms (infra/constructs/alarms.ts): what fires, and the encrypted topic it goes to.
 */
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/constructs/permissions.js';
import { type Json, stack, resources, logicalId, fnIds, dlqId, topicId, allFunctions, ofType, asArray } from './sauti-template.js';

describe('alarms', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Json);
  const dims = (a: Json): Json[] => asArray<Json>(a.Dimensions);
  const onFunction = (a: Json, name: FunctionName): boolean =>
    a.Namespace === 'AWS/Lambda' && dims(a).some((d) => d.Name === 'FunctionName' && d.Value?.Ref === fnIds[name]);

  it('all notify the alarm topic, on alarm and on recovery', () => {
    expect(alarms.length).toBe(9); // one more with the voice Lambda's errors
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
