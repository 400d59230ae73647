/**
 * SMS sending: the send queue and its dead-letter queue, the sender that drains it under a
 * concurrency cap, and the dispatcher that fills it on an EventBridge Scheduler tick.
 * Resources are made in the stack's scope (see Data), so their logical ids stay put.
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { grantVpcAccess, STATIC_EGRESS_CONTEXT, type StaticEgress, staticEgress, staticEgressOf } from './egress.js';
import type { LambdaFactory } from './lambda.js';
import { InvokeFunction } from './scheduler-target.js';

/** Receives of a send-queue message before it moves to the DLQ (the sender records why). */
export const SEND_MAX_RECEIVES = 5;

/** CDK context key of the sender's concurrency cap; SQS event sources accept 2..1000. */
export const SEND_CONCURRENCY_CONTEXT = 'sauti:sendConcurrency';
export const DEFAULT_SEND_CONCURRENCY = 2;

/** The dispatcher's tick. */
export const DISPATCH_RATE = Duration.minutes(15);

/**
 * The sender's time budget. Below the message-claim lease (5 minutes, DynamoMessageStore.claim),
 * so a sender that is still running never has its claims taken over and a message sent twice.
 */
export const SENDER_TIMEOUT = Duration.minutes(2);
const SEND_BATCH_WINDOW = Duration.seconds(2);

export class Messaging {
  readonly sendQueue: Queue;
  readonly sendDeadLetterQueue: Queue;
  /** The sender's maxConcurrency (context `sauti:sendConcurrency`). */
  readonly sendConcurrency: number;
  readonly sender: NodejsFunction;
  readonly dispatcher: NodejsFunction;
  readonly dispatchSchedule: Schedule;
  /** The sender's VPC and fixed egress IP, with context `sauti:staticEgress: true` only. */
  readonly egress: StaticEgress | undefined;

  constructor(stack: Stack, lambdas: LambdaFactory) {
    this.sendConcurrency = sendConcurrencyOf(stack.node.tryGetContext(SEND_CONCURRENCY_CONTEXT));
    [this.sendQueue, this.sendDeadLetterQueue] = queues(stack);
    this.egress = staticEgressOf(stack.node.tryGetContext(STATIC_EGRESS_CONTEXT)) ? staticEgress(stack) : undefined;

    this.sender = lambdas.create('Sender', 'sender', {
      description: "Sauti: sends queued SMS through Africa's Talking (SQS-triggered)",
      memorySize: 256,
      timeout: SENDER_TIMEOUT,
      // On the queue's last receive a retry becomes a recorded failure (then the DLQ). Each
      // instance paces every provider at its cap ÷ the concurrency (core/sms/pacing.ts).
      environment: { SAUTI_MAX_RECEIVES: String(SEND_MAX_RECEIVES), SAUTI_SEND_CONCURRENCY: String(this.sendConcurrency) },
      ...(this.egress ? { network: this.egress.network } : {}),
    });
    if (this.egress) grantVpcAccess(this.sender);
    this.dispatcher = lambdas.create('Dispatcher', 'dispatcher', {
      description: 'Sauti: plans due messages and puts them on the send queue (scheduled, or on demand from the API)',
      withContent: true,
      memorySize: 512,
      // One run pages through the participants of every study with campaigns.
      timeout: Duration.minutes(5),
      environment: { SEND_QUEUE_URL: this.sendQueue.queueUrl },
    });
    // No reserved concurrency of 1 for the dispatcher: running it twice for the same period sends
    // nothing twice (invariant 4, messages are created once by id), so a tick overlapping an
    // on-demand run from the API is safe, and a stuck run cannot block the next tick.

    // At most `sendConcurrency` senders at once, each sending up to 100 messages (bulk requests)
    // per batch and pacing each provider at its share of the provider's cap. Failed items are
    // reported one by one (partial batch), so one bad message does not resend a whole batch.
    this.sender.addEventSource(
      new SqsEventSource(this.sendQueue, {
        batchSize: 100,
        maxBatchingWindow: SEND_BATCH_WINDOW,
        reportBatchItemFailures: true,
        maxConcurrency: this.sendConcurrency,
      }),
    );

    this.dispatchSchedule = new Schedule(stack, 'DispatchSchedule', {
      description: 'Sauti: dispatcher tick',
      schedule: ScheduleExpression.rate(DISPATCH_RATE),
      // A tick that cannot be delivered within 10 minutes is dropped: the next one (15 min) catches up.
      target: new InvokeFunction(this.dispatcher, { retryAttempts: 3, maxEventAge: Duration.minutes(10) }),
    });
  }
}

/** The send queue and its dead-letter queue. */
function queues(stack: Stack): [Queue, Queue] {
  // SQS-managed SSE rather than the table key: cdk-nag (SQS2) accepts either, and messages
  // live minutes (the durable record is the table), so SQS-managed keys protect them at rest
  // without a KMS call per message or kms:* grants on every producer and the event source.
  const dlq = new Queue(stack, 'SendDeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // The longest SQS allows: time for a person to look at what could not be sent.
    retentionPeriod: Duration.days(14),
  });
  const queue = new Queue(stack, 'SendQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // AWS's rule for Lambda event sources: at least 6x the function timeout (plus the batching
    // window), so a batch is not redelivered while a sender (or its retries) still works on it.
    // Also above the 5-minute claim lease, so a redelivery after a crash finds the claim stale.
    visibilityTimeout: Duration.seconds(6 * SENDER_TIMEOUT.toSeconds() + SEND_BATCH_WINDOW.toSeconds()),
    // After 5 failed receives (provider down for an hour or more, or a malformed message) the
    // message is parked in the DLQ, which alarms.
    deadLetterQueue: { queue: dlq, maxReceiveCount: SEND_MAX_RECEIVES },
  });
  return [queue, dlq];
}

/** The sender's concurrency cap from CDK context (a number, or a string from `-c`), checked. */
export function sendConcurrencyOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_SEND_CONCURRENCY;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 1000) {
    throw new Error(`${SEND_CONCURRENCY_CONTEXT} must be an integer from 2 to 1000 (SQS event source maximum concurrency), got ${JSON.stringify(value)}`);
  }
  return n;
}
