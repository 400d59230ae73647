import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { createDocumentClient, dynamoConfigFromEnv, tableNameFromEnv } from '../adapters/dynamo/client.js';
import { dynamoPorts } from '../adapters/dynamo/ports.js';
import { createLogger } from '../adapters/logger.js';
import { gatewayFromEnv } from '../adapters/sms-gateways.js';
import type { Clock } from '../core/ports/index.js';
import { clockFromEnv } from '../adapters/clock.js';
import type { SmsGateway } from '../core/ports/sms.js';
import type { OutboundMessage } from '../core/sms/send.js';
import { type QueuedMessage, sendBatch } from '../core/sms/send-batch.js';

/**
 * The sender (SQS-triggered): re-checks each message at send time, sends identical texts in
 * bulk, records what happened, and hands back only the messages worth retrying
 * (partial-batch failures); after the queue's last attempt they land in the DLQ.
 */
export interface SenderDeps {
  gateway: SmsGateway | (() => Promise<SmsGateway>);
  /** Every time the handler stamps or compares comes from here (tests and the local stack supply theirs). */
  clock: Clock;
  maxReceives?: number;
}

const body = z.object({
  messageId: z.string().check(z.minLength(1)),
  studyId: z.string().check(z.minLength(1)),
  participantId: z.string().check(z.minLength(1)),
  phone: z.string().check(z.regex(/^\+\d{8,15}$/)),
  text: z.string().check(z.minLength(1)),
  from: z.optional(z.string()),
  treatmentOnly: z.boolean(),
  stopConfirmation: z.optional(z.boolean()),
  reply: z.optional(z.boolean()),
});

export function createSendHandler(deps: SenderDeps) {
  const log = createLogger();
  const env = process.env;
  const ports = dynamoPorts(createDocumentClient(dynamoConfigFromEnv()), tableNameFromEnv(env), deps.clock);
  let gateway: Promise<SmsGateway> | undefined;
  // The queue's maxReceiveCount (infra/stack.ts): on that attempt a retry becomes a failure.
  const maxReceives = deps.maxReceives ?? Number(env.SAUTI_MAX_RECEIVES ?? 5);

  return async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
    const failures: { itemIdentifier: string }[] = [];
    const queued: QueuedMessage[] = [];
    for (const record of event.Records) {
      const p = body.safeParse(safeJson(record.body));
      if (!p.success) {
        // Malformed: retried, then kept in the DLQ for a person to see, never silently dropped.
        log.error('malformed send message', { sqsId: record.messageId });
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      queued.push({ queueId: record.messageId, receives: Number(record.attributes.ApproximateReceiveCount ?? 1), message: p.data as OutboundMessage });
    }
    gateway ??= typeof deps.gateway === 'function' ? deps.gateway() : Promise.resolve(deps.gateway);
    const result = await sendBatch(queued, {
      messages: ports.messages,
      participants: ports.participants,
      studies: ports.studies,
      gateway: await gateway,
      clock: deps.clock,
      batchSize: Number(env.SAUTI_SEND_BATCH_SIZE ?? 100),
      maxReceives,
    });
    failures.push(...result.retry.map((itemIdentifier) => ({ itemIdentifier })));
    log.info('send batch', { messages: result.handled, retry: failures.length, ...(Object.keys(result.retryReasons).length > 0 ? { retryReasons: result.retryReasons } : {}) });
    return { batchItemFailures: failures };
  };
}

/** The gateways per provider (adapters/sms-gateways.ts); re-exported for the local stack. */
export { gatewayFromEnv };

const clock = clockFromEnv();
export const handler = createSendHandler({ gateway: () => gatewayFromEnv(process.env, clock), clock });

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
