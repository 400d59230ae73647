/**
 * "Forget me" off the request path: the forget queue (with its dead-letter queue) that the SMS
 * callback and the admin API fill, and the Forget worker that drains it, one job at a time.
 * Resources are made in the stack's scope (see Data), so their logical ids stay put.
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { LambdaFactory } from './lambda.js';

/** CDK context key of the "too many forgets" alarm: forgets queued in an hour at or above it. */
export const FORGETS_PER_HOUR_CONTEXT = 'sauti:forgetsPerHourAlarm';
export const DEFAULT_FORGETS_PER_HOUR = 20;

/** Receives of a job before it waits in the DLQ; forgetting is idempotent, so retries are safe. */
export const FORGET_MAX_RECEIVES = 5;
const FORGET_TIMEOUT = Duration.minutes(2);

export class Forget {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly worker: NodejsFunction;
  /** The alarm threshold (context `sauti:forgetsPerHourAlarm`). */
  readonly perHourAlarm: number;

  constructor(stack: Stack, lambdas: LambdaFactory, sendQueue: Queue) {
    this.perHourAlarm = forgetsPerHourOf(stack.node.tryGetContext(FORGETS_PER_HOUR_CONTEXT));
    // SQS-managed keys, as for the send queue (messaging.ts): a job lives seconds, and the
    // confirmation it carries holds the number as the send queue's messages do.
    this.deadLetterQueue = new Queue(stack, 'ForgetDeadLetterQueue', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    this.queue = new Queue(stack, 'ForgetQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(6 * FORGET_TIMEOUT.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: FORGET_MAX_RECEIVES },
    });
    this.worker = lambdas.create('Forget', 'forget', {
      description: 'Sauti: runs queued "forget me" requests, then queues their confirmation SMS (SQS-triggered)',
      memorySize: 256,
      timeout: FORGET_TIMEOUT,
      environment: { SEND_QUEUE_URL: sendQueue.queueUrl },
    });
    // One job a batch: a failure retries that forget alone.
    this.worker.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
  }
}

/** The alarm threshold from CDK context (a number, or a string from `-c`), checked. */
export function forgetsPerHourOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_FORGETS_PER_HOUR;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${FORGETS_PER_HOUR_CONTEXT} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}
