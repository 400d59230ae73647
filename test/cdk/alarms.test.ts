/**
 * The alarms (infra/constructs/alarms.ts): what fires, and the encrypted topic it goes to.
 */
import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_FORGETS_PER_HOUR, forgetsPerHourOf } from '../../infra/constructs/forget.js';
import type { FunctionName } from '../../infra/constructs/permissions.js';
import { type Json, stack, resources, logicalId, fnIds, dlqId, topicId, allFunctions, ofType, asArray, cdkJson, forgetDlqId, forgetQueueId } from './sauti-template.js';
import { SautiStack } from '../../infra/stack.js';

describe('alarms', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Json);
  const dims = (a: Json): Json[] => asArray<Json>(a.Dimensions);
  const onFunction = (a: Json, name: FunctionName): boolean =>
    a.Namespace === 'AWS/Lambda' && dims(a).some((d) => d.Name === 'FunctionName' && d.Value?.Ref === fnIds[name]);

  it('all notify the alarm topic, on alarm and on recovery', () => {
    // One more Lambda each (voice, forget: their errors), the forget DLQ and forgets per hour.
    expect(alarms.length).toBe(12);
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

  it('fire on the first job in the forget DLQ, and on forgets per hour at the threshold set in the stack', () => {
    const onQueue = (id: string) => alarms.filter((a) => a.Namespace === 'AWS/SQS' && dims(a).some((d) => d.Value?.['Fn::GetAtt']?.[0] === id));
    expect(onQueue(forgetDlqId)).toEqual([expect.objectContaining({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 })]);
    const perHour = onQueue(forgetQueueId);
    expect(perHour).toHaveLength(1);
    expect(perHour[0]).toMatchObject({ MetricName: 'NumberOfMessagesSent', Statistic: 'Sum', Period: 3600, Threshold: DEFAULT_FORGETS_PER_HOUR, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(stack.forget.perHourAlarm).toBe(DEFAULT_FORGETS_PER_HOUR);
  });

  it('take the forgets-per-hour threshold from the context, and refuse a bad one', () => {
    const app = new App({ context: { ...cdkJson.context, 'sauti:forgetsPerHourAlarm': '5', 'aws:cdk:bundling-stacks': [] } });
    const other = new SautiStack(app, 'SautiForgets');
    const perHour = Object.values(Template.fromStack(other).findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties as Json).filter((a) => a.MetricName === 'NumberOfMessagesSent');
    expect(perHour.map((a) => a.Threshold)).toEqual([5]);
    expect(() => forgetsPerHourOf('0')).toThrow(/positive integer/);
    expect(() => forgetsPerHourOf('many')).toThrow(/positive integer/);
    expect(forgetsPerHourOf(undefined)).toBe(DEFAULT_FORGETS_PER_HOUR);
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
