import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { createDocumentClient, dynamoConfigFromEnv } from '../adapters/dynamo/client.js';
import { DynamoMessageStore } from '../adapters/dynamo/message-store.js';
import { DynamoParticipantStore } from '../adapters/dynamo/participant-store.js';
import { DynamoStudyStore } from '../adapters/dynamo/study-store.js';
import { DynamoUssdStore } from '../adapters/dynamo/ussd-store.js';
import { createLogger } from '../adapters/logger.js';
import { gatewayFromEnv } from '../adapters/sms-gateways.js';
import type { Participant, Study } from '../core/model.js';
import { providerOptOut } from '../core/sms/opt-out.js';
import type { Clock } from '../core/ports.js';
import { clockFromEnv } from '../adapters/clock.js';
import type { SmsGateway } from '../core/sms/gateway.js';
import { type OutboundMessage, sendMessages } from '../core/sms/send.js';

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
  const tableName = env.TABLE_NAME ?? 'sauti';
  const doc = createDocumentClient(dynamoConfigFromEnv());
  const messages = new DynamoMessageStore(doc, tableName);
  const participants = new DynamoParticipantStore(doc, tableName);
  const studies = new DynamoStudyStore(doc, tableName);
  const optOuts = new DynamoUssdStore(doc, tableName);
  let gateway: Promise<SmsGateway> | undefined;
  const { clock } = deps;
  // The queue's maxReceiveCount (infra/stack.ts): on that attempt a retry becomes a failure.
  const maxReceives = deps.maxReceives ?? Number(env.SAUTI_MAX_RECEIVES ?? 5);

  const optOutPorts = { participant: async (key: { studyId: string; phone: string }) => (await participants.getMany([key]))[0], save: (p: Participant, prev: string) => optOuts.saveParticipant(p, prev) };

  return async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
    const failures: { itemIdentifier: string }[] = [];
    const byMessage = new Map<string, string>();
    const batch: OutboundMessage[] = [];
    const parsed = event.Records.map((record) => ({ record, parsed: body.safeParse(safeJson(record.body)) }));
    const receives = new Map(event.Records.map((r) => [r.messageId, Number(r.attributes.ApproximateReceiveCount ?? 1)]));
    // Claims go out together: one round trip of latency per batch, not one per message.
    const claimed = await Promise.all(
      parsed.map(async ({ record, parsed: p }) => {
        if (!p.success) {
          // Malformed: retried, then kept in the DLQ for a person to see, never silently dropped.
          log.error('malformed send message', { sqsId: record.messageId });
          failures.push({ itemIdentifier: record.messageId });
          return false;
        }
        // Already claimed by another delivery, or already sent or closed: nothing to do.
        return messages.claim(p.data.messageId, clock.now());
      }),
    );
    parsed.forEach(({ record, parsed: p }, i) => {
      if (!p.success || !claimed[i]) return;
      byMessage.set(p.data.messageId, record.messageId);
      batch.push(p.data as OutboundMessage);
    });
    const studyCache = new Map<string, Promise<Study | undefined>>();
    gateway ??= typeof deps.gateway === 'function' ? deps.gateway() : Promise.resolve(deps.gateway);
    const results = await sendMessages(batch, {
      gateway: await gateway,
      participants: (keys) => participants.getMany(keys),
      study: (id) => {
        let study = studyCache.get(id);
        if (!study) {
          study = studies.getStudy(id);
          studyCache.set(id, study);
        }
        return study;
      },
      now: clock.now(),
      batchSize: Number(env.SAUTI_SEND_BATCH_SIZE ?? 100),
      onAccepted: async (accepted) => {
        const at = clock.now().toISOString();
        await Promise.all(accepted.map((a) => messages.accepted(a.messageId, a.providerId, at)));
      },
    });
    const at = clock.now().toISOString();
    await Promise.all(
      batch.map(async (m) => {
        const r = results.get(m.messageId);
        if (!r || r.status === 'retry') {
          const reason = r?.reason ?? 'no outcome';
          const sqsId = byMessage.get(m.messageId) as string;
          // The queue's last attempt: the record says why, and SQS moves the message to the DLQ.
          if ((receives.get(sqsId) ?? 1) >= maxReceives) await messages.closed(m.messageId, 'failed', `gave up after ${maxReceives} attempts: ${reason}`, at);
          else await messages.release(m.messageId, clock.now(), reason);
          failures.push({ itemIdentifier: sqsId });
        } else if (r.status === 'sent') return; // stored right after its bulk request (onAccepted)
        else if (r.status === 'skipped') await messages.closed(m.messageId, 'skipped', r.reason, at);
        else if (r.status === 'deferred') await messages.defer(m.messageId, r.until, clock.now());
        else {
          await messages.closed(m.messageId, 'failed', r.reason, at);
          if (r.optedOut) await providerOptOut(optOutPorts, m, at);
        }
      }),
    );
    // Why messages go back to the queue, counted per reason: provider reasons carry no numbers or keys (the adapters scrub them).
    const reasons: Record<string, number> = {};
    for (const r of results.values()) if (r.status === 'retry') reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    log.info('send batch', { messages: batch.length, retry: failures.length, ...(Object.keys(reasons).length > 0 ? { retryReasons: reasons } : {}) });
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
