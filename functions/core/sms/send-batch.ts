import type { Study } from '../model.js';
import type { Clock } from '../ports/clock.js';
import type { MessageStore } from '../ports/messages.js';
import type { ParticipantStore } from '../ports/participants.js';
import type { SmsGateway } from '../ports/sms.js';
import type { StudyReader } from '../ports/studies.js';
import { providerOptOut } from './opt-out.js';
import { type OutboundMessage, sendMessages } from './send.js';

export interface SendBatchDeps {
  messages: Pick<MessageStore, 'claim' | 'accepted' | 'closed' | 'release' | 'defer'>;
  participants: Pick<ParticipantStore, 'getMany' | 'saveParticipant'>;
  studies: Pick<StudyReader, 'getStudy'>;
  gateway: SmsGateway;
  /** Every time the sender stamps or compares comes from here. */
  clock: Clock;
  /** Recipients per bulk request (sendMessages). */
  batchSize: number;
  /** The queue's maxReceiveCount: on that attempt a retry becomes a failure. */
  maxReceives: number;
}

/** One message taken from the queue: the queue's id for it and how often it was received. */
export interface QueuedMessage {
  queueId: string;
  receives: number;
  message: OutboundMessage;
}

export interface SendBatchResult {
  /** Messages claimed and handled in this batch. */
  handled: number;
  /** Queue ids to hand back for a retry (the queue's backoff, then its DLQ). */
  retry: string[];
  /** Why messages go back, counted per reason. */
  retryReasons: Record<string, number>;
}

/**
 * Sending one batch from the queue: claim each message (another delivery, or one already sent
 * or closed, is left alone), send (sendMessages: the send-time checks, one bulk request per
 * text), then per message: store an acceptance at once, close what was skipped or refused,
 * defer what would land in quiet hours, give back what may succeed later until the queue's
 * last attempt, and opt out the number on a permanent refusal that says so (invariant 3).
 */
export async function sendBatch(queued: readonly QueuedMessage[], deps: SendBatchDeps): Promise<SendBatchResult> {
  const { clock, messages } = deps;
  const retry: string[] = [];
  // Claims go out together: one round trip of latency per batch, not one per message.
  const claimed = await Promise.all(queued.map((q) => messages.claim(q.message.messageId, clock.now())));
  const batch = queued.filter((_, i) => claimed[i]);
  const byMessage = new Map(batch.map((q) => [q.message.messageId, q]));
  const studyCache = new Map<string, Promise<Study | undefined>>();
  const results = await sendMessages(
    batch.map((q) => q.message),
    {
      gateway: deps.gateway,
      participants: deps.participants,
      studies: {
        getStudy: (id) => {
          let study = studyCache.get(id);
          if (!study) {
            study = deps.studies.getStudy(id);
            studyCache.set(id, study);
          }
          return study;
        },
      },
      now: clock.now(),
      batchSize: deps.batchSize,
      // A second receive: the first may have reached the provider before the sender died or lost the answer.
      redelivered: new Set(batch.filter((q) => q.receives > 1).map((q) => q.message.messageId)),
      onAccepted: async (accepted) => {
        const at = clock.now().toISOString();
        await Promise.all(accepted.map((a) => messages.accepted(a.messageId, a.providerId, at)));
      },
    },
  );
  const at = clock.now().toISOString();
  await Promise.all(
    batch.map(async ({ message: m }) => {
      const r = results.get(m.messageId);
      if (!r || r.status === 'retry') {
        const reason = r?.reason ?? 'no outcome';
        const q = byMessage.get(m.messageId) as QueuedMessage;
        // The queue's last attempt: the record says why, and the queue moves the message to its DLQ.
        if (q.receives >= deps.maxReceives) await messages.closed(m.messageId, 'failed', `gave up after ${deps.maxReceives} attempts: ${reason}`, at);
        else await messages.release(m.messageId, clock.now(), reason);
        retry.push(q.queueId);
      } else if (r.status === 'sent') return; // stored right after its bulk request (onAccepted)
      else if (r.status === 'skipped') await messages.closed(m.messageId, 'skipped', r.reason, at);
      else if (r.status === 'deferred') await messages.defer(m.messageId, r.until, clock.now());
      else {
        await messages.closed(m.messageId, 'failed', r.reason, at);
        if (r.optedOut) await providerOptOut(deps.participants, m, at);
      }
    }),
  );
  // Provider reasons carry no numbers or keys (the adapters scrub them).
  const retryReasons: Record<string, number> = {};
  for (const r of results.values()) if (r.status === 'retry') retryReasons[r.reason] = (retryReasons[r.reason] ?? 0) + 1;
  return { handled: batch.length, retry, retryReasons };
}
