/**
 * What an operator must hear about: parked messages, failing Lambdas, slow USSD, API 5xx, all
 * into one encrypted SNS topic. Made in the stack's scope (see Data), so logical ids stay put.
 */
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Forget } from './forget.js';
import type { FunctionName } from './permissions.js';

export interface AlarmsProps {
  functions: Record<FunctionName, NodejsFunction>;
  sendDeadLetterQueue: Queue;
  api: HttpApi;
  forget: Forget;
}

/** The alarm ids' prefix of each Lambda (its construct id). */
const alarmPrefix: Record<FunctionName, string> = {
  ussd: 'Ussd',
  atCallbacks: 'AtCallbacks',
  api: 'AdminApi',
  sender: 'Sender',
  dispatcher: 'Dispatcher',
  voice: 'Voice',
  forget: 'Forget',
};

/** Makes the topic and the alarms; returns the topic. */
export function alarms(stack: Stack, props: AlarmsProps): Topic {
  const topic = alarmTopic(stack);
  const action = new SnsAction(topic);
  const period = Duration.minutes(5);
  const alarm = (id: string, description: string, metric: IMetric, threshold: number, extra: Partial<{ evaluationPeriods: number; comparison: ComparisonOperator }> = {}) => {
    const a = new Alarm(stack, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: extra.evaluationPeriods ?? 1,
      datapointsToAlarm: extra.evaluationPeriods ?? 1,
      comparisonOperator: extra.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data is no traffic (or an empty queue), not a problem.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    a.addAlarmAction(action);
    // Recovery is news too: whoever was paged learns it is over.
    a.addOkAction(action);
  };

  alarm(
    'SendDeadLetterAlarm',
    'Messages could not be sent after 5 attempts and wait in the send DLQ: inspect, fix, redrive',
    props.sendDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    1,
  );
  for (const [name, fn] of Object.entries(props.functions) as [FunctionName, NodejsFunction][]) {
    alarm(`${alarmPrefix[name]}ErrorsAlarm`, `The ${name} Lambda failed at least once in 5 minutes`, fn.metricErrors({ period, statistic: 'Sum' }), 1);
  }
  alarm(
    'UssdLatencyAlarm',
    "USSD p99 latency above 3 s for 15 minutes: participants wait, and Africa's Talking drops sessions after ~10 s",
    props.functions.ussd.metricDuration({ period, statistic: 'p99' }),
    3000,
    { evaluationPeriods: 3, comparison: ComparisonOperator.GREATER_THAN_THRESHOLD },
  );
  alarm(
    'ForgetDeadLetterAlarm',
    'A "forget me" failed 5 times and waits in the forget DLQ: the participant is not yet forgotten nor told; inspect, fix, redrive',
    props.forget.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    1,
  );
  // Forgets are rare: a burst is a campaign gone wrong, a scripted abuse of the keyword, or an admin account misused.
  alarm(
    'ForgetsPerHourAlarm',
    `${props.forget.perHourAlarm} or more "forget me" requests queued within an hour (context sauti:forgetsPerHourAlarm): check the audit trail (action forget)`,
    props.forget.queue.metricNumberOfMessagesSent({ period: Duration.hours(1), statistic: 'Sum' }),
    props.forget.perHourAlarm,
  );
  alarm('Api5xxAlarm', 'The HTTP API answered 5xx at least once in 5 minutes', props.api.metricServerError({ period, statistic: 'Sum' }), 1);
  return topic;
}

/** An SNS topic only this account's CloudWatch alarms may publish to, over TLS, encrypted. */
function alarmTopic(stack: Stack): Topic {
  // A customer-managed key: CloudWatch cannot publish to a topic encrypted with the AWS-managed
  // SNS key, since that key's policy cannot be changed to let CloudWatch use it. Nothing durable is
  // encrypted with it (notifications are transient), so it goes with the stack.
  const key = new Key(stack, 'AlarmTopicKey', {
    description: 'Sauti: encrypts the alarm notifications topic',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublishEncrypted',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
  const topic = new Topic(stack, 'AlarmTopic', {
    displayName: 'Sauti alarms',
    masterKey: key,
    // Publishers must use TLS (cdk-nag SNS3), on top of the encryption at rest (SNS2).
    enforceSSL: true,
  });
  // Only this account's alarms may publish: the topic policy that enforceSSL creates replaces
  // SNS's default policy, so CloudWatch's access is stated here.
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }),
  );
  return topic;
}
