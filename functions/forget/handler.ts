import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { clockFromEnv } from '../adapters/clock.js';
import { createDocumentClient, dynamoConfigFromEnv, tableNameFromEnv } from '../adapters/dynamo/client.js';
import { dynamoPorts } from '../adapters/dynamo/ports.js';
import { createLogger } from '../adapters/logger.js';
import { forgetRunner } from '../adapters/sqs/forget-queue.js';
import { SqsSendQueue } from '../adapters/sqs/send-queue.js';
import type { Clock, ForgetJob, SendQueue } from '../core/ports/index.js';

/**
 * The forget worker (SQS-triggered in AWS, the in-process queue locally): runs each queued
 * "forget me" (core/privacy/run-forget.ts), then queues its confirmation SMS. A job that fails is
 * handed back (partial-batch failure) and retried; after the last receive it waits in the DLQ.
 */
export interface ForgetDeps {
  /** The send queue, for the confirmation SMS; SEND_QUEUE_URL in AWS. */
  queue?: SendQueue;
  clock: Clock;
}

const job = z.object({
  studyId: z.string().check(z.minLength(1)),
  participantId: z.string().check(z.minLength(1)),
  by: z.enum(['participant', 'admin']),
  actor: z.string().check(z.minLength(1)),
  reason: z.optional(z.string()),
  // The sender validates the message itself when it takes it from the send queue.
  confirmation: z.optional(z.looseObject({ messageId: z.string(), phone: z.string() })),
});

export function createForgetHandler(deps: ForgetDeps) {
  const log = createLogger();
  const ports = dynamoPorts(createDocumentClient(dynamoConfigFromEnv()), tableNameFromEnv(), deps.clock);
  const queue = deps.queue ?? new SqsSendQueue(process.env.SEND_QUEUE_URL ?? '');
  const run = forgetRunner(ports.forget, queue, deps.clock, log);
  return async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      const parsed = job.safeParse(safeJson(record.body));
      if (!parsed.success) {
        log.error('malformed forget job', { sqsId: record.messageId });
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      try {
        await run(parsed.data as ForgetJob);
      } catch (err) {
        // Forgetting is idempotent (forget-store.ts): the retry finishes what this one began.
        log.error('forget failed', { sqsId: record.messageId, participantId: parsed.data.participantId, error: err instanceof Error ? err.name : 'unknown' });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const handler = createForgetHandler({ clock: clockFromEnv() });
