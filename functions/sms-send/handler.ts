import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { AfricasTalkingSmsGateway } from '../adapters/africastalking/sms-gateway.js';
import { createDocumentClient, dynamoConfigFromEnv } from '../adapters/dynamo/client.js';
import { DynamoMessageStore } from '../adapters/dynamo/message-store.js';
import { DynamoOutboxGateway } from '../adapters/dynamo/outbox-gateway.js';
import { DynamoParticipantStore } from '../adapters/dynamo/participant-store.js';
import { DynamoStudyStore } from '../adapters/dynamo/study-store.js';
import { DynamoUssdStore } from '../adapters/dynamo/ussd-store.js';
import { createLogger } from '../adapters/logger.js';
import type { Study } from '../core/model.js';
import type { SmsGateway } from '../core/sms/gateway.js';
import { type OutboundMessage, sendMessages } from '../core/sms/send.js';

/**
 * The sender (SQS-triggered): re-checks each message at send time, sends identical texts in
 * bulk, records what happened, and hands back only the messages worth retrying
 * (partial-batch failures); after the queue's last attempt they land in the DLQ.
 */
const log = createLogger();
const env = process.env;
const tableName = env.TABLE_NAME ?? 'sauti';
const doc = createDocumentClient(dynamoConfigFromEnv());
const messages = new DynamoMessageStore(doc, tableName);
const participants = new DynamoParticipantStore(doc, tableName);
const studies = new DynamoStudyStore(doc, tableName);
const optOuts = new DynamoUssdStore(doc, tableName);

/** Africa's Talking when credentials are configured, the local outbox otherwise: never both. */
export function gatewayFromEnv(): SmsGateway {
  if (env.AT_USERNAME && env.AT_API_KEY) {
    return new AfricasTalkingSmsGateway({ username: env.AT_USERNAME, apiKey: env.AT_API_KEY, ...(env.AT_BASE_URL ? { baseUrl: env.AT_BASE_URL } : {}) });
  }
  return new DynamoOutboxGateway(doc, tableName);
}
const gateway = gatewayFromEnv();

const body = z.object({
  messageId: z.string().check(z.minLength(1)),
  studyId: z.string().check(z.minLength(1)),
  participantId: z.string().check(z.minLength(1)),
  phone: z.string().check(z.regex(/^\+\d{8,15}$/)),
  text: z.string().check(z.minLength(1)),
  from: z.optional(z.string()),
  treatmentOnly: z.boolean(),
  stopConfirmation: z.optional(z.boolean()),
});

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  const byMessage = new Map<string, string>();
  const batch: OutboundMessage[] = [];
  for (const record of event.Records) {
    const parsed = body.safeParse(safeJson(record.body));
    if (!parsed.success) {
      // Malformed: retried, then kept in the DLQ for a person to see, never silently dropped.
      log.error('malformed send message', { sqsId: record.messageId });
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    // Already claimed by another delivery, or already sent or closed: nothing to do.
    if (!(await messages.claim(parsed.data.messageId, new Date()))) continue;
    byMessage.set(parsed.data.messageId, record.messageId);
    batch.push(parsed.data as OutboundMessage);
  }
  const studyCache = new Map<string, Promise<Study | undefined>>();
  const results = await sendMessages(batch, {
    gateway,
    participants: (keys) => participants.getMany(keys),
    study: (id) => {
      let study = studyCache.get(id);
      if (!study) {
        study = studies.getStudy(id);
        studyCache.set(id, study);
      }
      return study;
    },
    batchSize: Number(env.SAUTI_SEND_BATCH_SIZE ?? 100),
  });
  const at = new Date().toISOString();
  for (const m of batch) {
    const r = results.get(m.messageId);
    if (!r || r.status === 'retry') {
      await messages.release(m.messageId, new Date());
      failures.push({ itemIdentifier: byMessage.get(m.messageId) as string });
      continue;
    }
    if (r.status === 'sent') await messages.accepted(m.messageId, r.providerId, at);
    else if (r.status === 'skipped') await messages.closed(m.messageId, 'skipped', r.reason, at);
    else {
      await messages.closed(m.messageId, 'failed', r.reason, at);
      if (r.optedOut) await optOut(m, at);
    }
  }
  log.info('send batch', { messages: batch.length, retry: failures.length });
  return { batchItemFailures: failures };
}

/** The provider says the number opted out (406): nothing more goes to it (invariant 3). */
async function optOut(m: OutboundMessage, at: string): Promise<void> {
  const [p] = await participants.getMany([{ studyId: m.studyId, phone: m.phone }]);
  if (!p || p.consent.state !== 'consented') return;
  await optOuts.saveParticipant({ ...p, consent: { ...p.consent, state: 'withdrawn', at, channel: 'provider' }, updatedAt: at }, p.updatedAt);
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
