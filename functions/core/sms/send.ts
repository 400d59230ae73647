import type { Message, Participant, Study } from '../model.js';
import { isQuietHour, outOfQuietHours, studySchedule } from '../schedule/policy.js';
import { TZDate } from '@date-fns/tz';
import type { ParticipantStore } from '../ports/participants.js';
import type { RecipientOutcome, SmsGateway } from '../ports/sms.js';
import type { StudyReader } from '../ports/studies.js';
import { PROVIDERS, providerOf } from './providers.js';

/**
 * The sender's rules, whatever queue feeds it: re-check every message at send time
 * (invariants 2 and 3), then send identical texts as one bulk request per chunk, and report
 * what became of each message.
 */

/** A message as the queue carries it to the sender: who, what, and the send-time rules it is under. */
export type OutboundMessage = Pick<Message, 'messageId' | 'studyId' | 'participantId' | 'phone' | 'text' | 'treatmentOnly'> & Partial<Pick<Message, 'from' | 'stopConfirmation' | 'reply'>>;

export type SendResult =
  | { status: 'sent'; providerId: string; cost?: string }
  | { status: 'skipped'; reason: 'not-opted-in' | 'control-arm' | 'unknown-participant' | 'quiet-hours' }
  /** It would land in quiet hours: it waits, queued, until `until` (the morning), then goes. */
  | { status: 'deferred'; until: Date }
  | { status: 'failed'; reason: string; optedOut: boolean }
  | { status: 'retry'; reason: string };

export interface SendDeps {
  gateway: SmsGateway;
  /** Current state of the participants, read at send time. */
  participants: Pick<ParticipantStore, 'getMany'>;
  studies: Pick<StudyReader, 'getStudy'>;
  /** Now, from the injected clock: a queue that backed up must not send at night. */
  now: Date;
  /** Recipients per bulk request, at most the provider's own limit (providers.ts). */
  batchSize?: number;
  /**
   * Called after each bulk request with the messages it accepted, before the next request:
   * Africa's Talking has no idempotency key, so a sender that dies after a request went out
   * but before its result is stored sends those texts again on redelivery. Storing each
   * request's acceptances at once narrows that window to one request.
   */
  onAccepted?: (accepted: { messageId: string; providerId: string }[]) => Promise<void>;
  /** Messages an earlier attempt may have handed to the provider (redeliveries): `SmsBatch.mayHaveGone`. */
  redelivered?: ReadonlySet<string>;
}

/** Why a message must not go out now, or undefined when it may. */
export function blocked(m: OutboundMessage, p: Participant | undefined, study: Study | undefined): Extract<SendResult, { status: 'skipped' }>['reason'] | undefined {
  // Someone who wrote to us gets the answer (how to join); treatment content never.
  if (!p) return m.treatmentOnly ? 'control-arm' : m.reply ? undefined : 'unknown-participant';
  // After STOP only its confirmation goes; a reply may reach someone who has not consented yet.
  const allowed = p.consent.state === 'consented' || m.stopConfirmation || (m.reply && p.consent.state !== 'withdrawn');
  if (!allowed) return 'not-opted-in';
  if (m.treatmentOnly && !study?.arms.find((a) => a.armId === p.armId)?.treatment) return 'control-arm';
  return undefined;
}

/**
 * Quiet hours, checked again when the message actually goes, in the study's zone: it was
 * planned outside them, but a backed-up queue (an outage, retries with backoff) can carry it
 * into the night. A prompt or a lesson then waits for the morning; a reminder is dropped, as by
 * morning it may remind someone who has answered since; replies to a text the number just sent
 * us, and the STOP confirmation, go at once.
 */
export function quietHoursHold(m: OutboundMessage, study: Study | undefined, now: Date): Extract<SendResult, { status: 'skipped' | 'deferred' }> | undefined {
  if (!study || m.reply || m.stopConfirmation) return undefined;
  const { quiet } = studySchedule(study);
  if (!isQuietHour(new TZDate(now.getTime(), study.timeZone).getHours(), quiet)) return undefined;
  if (m.messageId.startsWith('reminder#')) return { status: 'skipped', reason: 'quiet-hours' };
  return { status: 'deferred', until: outOfQuietHours(now, study.timeZone, quiet) };
}

export async function sendMessages(messages: readonly OutboundMessage[], deps: SendDeps): Promise<Map<string, SendResult>> {
  const results = new Map<string, SendResult>();
  const people = await deps.participants.getMany(messages.map((m) => ({ studyId: m.studyId, phone: m.phone })));
  const byKey = new Map(people.map((p) => [`${p.studyId}|${p.phone}`, p]));
  const studies = new Map<string, Study | undefined>();
  for (const id of new Set(messages.map((m) => m.studyId))) studies.set(id, await deps.studies.getStudy(id));

  const groups = new Map<string, OutboundMessage[]>();
  for (const m of messages) {
    const reason = blocked(m, byKey.get(`${m.studyId}|${m.phone}`), studies.get(m.studyId));
    if (reason) {
      results.set(m.messageId, { status: 'skipped', reason });
      continue;
    }
    const held = quietHoursHold(m, studies.get(m.studyId), deps.now);
    if (held) {
      results.set(m.messageId, held);
      continue;
    }
    const key = JSON.stringify([m.text, m.from ?? '', m.studyId]);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  for (const group of groups.values()) {
    const first = group[0] as OutboundMessage;
    const study = studies.get(first.studyId);
    const provider = study ? providerOf(study) : 'africastalking';
    const size = Math.min(deps.batchSize ?? 100, PROVIDERS[provider].maxBatch);
    for (let i = 0; i < group.length; i += size) {
      const chunk = group.slice(i, i + size);
      // One request per distinct number; a number twice in a chunk gets the same outcome (and
      // the first message's id as its idempotency key).
      const messageIds: Record<string, string> = {};
      for (const m of chunk) messageIds[m.phone] ??= m.messageId;
      const mayHaveGone = Object.keys(messageIds).filter((phone) => deps.redelivered?.has(messageIds[phone] as string));
      const outcomes = await deps.gateway.sendBulk({
        text: first.text, ...(first.from ? { from: first.from } : {}), to: Object.keys(messageIds), studyId: first.studyId, provider, messageIds, decidedAt: deps.now.toISOString(),
        ...(mayHaveGone.length > 0 ? { mayHaveGone } : {}),
      });
      const accepted: { messageId: string; providerId: string }[] = [];
      for (const m of chunk) {
        const r = toResult(outcomes.get(m.phone));
        results.set(m.messageId, r);
        if (r.status === 'sent') accepted.push({ messageId: m.messageId, providerId: r.providerId });
      }
      if (accepted.length > 0) await deps.onAccepted?.(accepted);
    }
  }
  return results;
}

function toResult(o: RecipientOutcome | undefined): SendResult {
  if (!o) return { status: 'retry', reason: 'no outcome from the gateway' };
  if (o.status === 'accepted') return { status: 'sent', providerId: o.providerId, ...(o.cost ? { cost: o.cost } : {}) };
  if (o.status === 'permanent') return { status: 'failed', reason: o.reason, optedOut: o.optedOut };
  return { status: 'retry', reason: o.reason };
}
