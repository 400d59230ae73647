import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, ForgetJob, ForgetQueue, ForgetStore, Logger, SendQueue } from '../../core/ports/index.js';
import { runForget } from '../../core/privacy/run-forget.js';
import { exportIdOf } from '../pseudonym-secret.js';

/** The forget queue on SQS (FORGET_QUEUE_URL): one message a job, run by the Forget Lambda. */
export class SqsForgetQueue implements ForgetQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly sqs: SQSClient = new SQSClient({}),
  ) {}

  async enqueue(job: ForgetJob): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job) }));
  }
}

/** Runs one job with the deployment's pseudonym key (kept on the record as the export id). */
export function forgetRunner(forget: ForgetStore, queue: SendQueue, clock: Clock, log: Logger): (j: ForgetJob) => Promise<unknown> {
  return (j) => runForget(j, { forget, queue, clock, log, pseudonyms: { exportIdOf: (studyId, phone) => exportIdOf(studyId, phone) } });
}

/**
 * The forget queue of an entry point that was given none: SQS when FORGET_QUEUE_URL is set (the
 * stack always sets it); elsewhere (tests and tools outside the local stack, which wires its own
 * queue) the job runs at once, in process, after the request's own writes.
 */
export function forgetQueueFromEnv(run: (j: ForgetJob) => Promise<unknown>, env: NodeJS.ProcessEnv = process.env): ForgetQueue {
  if (env.FORGET_QUEUE_URL) return new SqsForgetQueue(env.FORGET_QUEUE_URL);
  if (env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('FORGET_QUEUE_URL is not set: a deployed Lambda never forgets inline');
  return { enqueue: async (j) => void (await run(j)) };
}
