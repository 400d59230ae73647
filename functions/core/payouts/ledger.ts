/**
 * The payout ledger: one record per payout, with a deterministic id, created with a condition
 * (a second plan of the same week creates nothing: invariant 8) and advanced forward only.
 *
 *   planned → sent → succeeded
 *                  ↘ failed → retried → sent → …
 *                  ↘ needs_action (tries used up, or a payout that cannot be sent) → retried | …
 *
 * Two kinds of failure, kept apart because one of them may have paid:
 * - definite: AT answered "Failed" for the recipient, its status callback said Failed, or it
 *   refused the request (4xx). Nothing was paid, so the retry is a new attempt, with a new
 *   idempotency key (AT would answer a reused key with the same failure).
 * - ambiguous: a 5xx, a timeout, a body that is not JSON, or a crash. AT may have paid, so the
 *   payout stays `sent`, and is sent again under the same key: AT answers a repeated key with
 *   its first answer and pays nothing twice.
 */
import type { IncentiveChannel } from './policy.js';

export type PayoutReason = 'week' | 'module' | 'bonus';
export type PayoutStatus = 'planned' | 'sent' | 'succeeded' | 'failed' | 'retried' | 'needs_action';

export interface PayoutEvent {
  status: PayoutStatus;
  at: string;
  note?: string;
}

export interface Payout {
  payoutId: string;
  studyId: string;
  participantId: string;
  /** E.164; absent once the participant is forgotten (the amount stays, under `pseudonym`). */
  phone?: string;
  pseudonym?: string;
  /** The participant's arm when planned, for the check that pay does not differ by arm. */
  armId?: string;
  reason: PayoutReason;
  /** ISO week (`2026-W10`) for a week, the module id for a module, `study` for the bonus. */
  period: string;
  amount: number;
  currency: string;
  channel: IncentiveChannel;
  status: PayoutStatus;
  /** Idempotency generation: 1, then +1 after each definite failure. */
  attempt: number;
  /** Send calls made, all attempts together: what the limit counts. */
  tries: number;
  /** Not to be sent before this time (backoff). */
  retryAt?: string;
  /** AT's requestId (or the provider's transaction id) of each attempt it accepted. */
  requests: { attempt: number; requestId: string }[];
  lastError?: string;
  /** Whether the last failure was definite (nothing paid) or ambiguous (AT may have paid). */
  lastFailure?: 'definite' | 'ambiguous';
  /** The transaction AT's validation callback asked about that we validated: once per attempt. */
  validated?: { attempt: number; transactionId: string };
  /** A receipt SMS is owed on success (false: opted out, forgotten, or receipts off). */
  receipt: boolean;
  history: PayoutEvent[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The deterministic id of a payout: the same participant, reason and period always give the
 * same id, so creating it with a condition pays a completed week at most once.
 */
export function payoutId(p: { studyId: string; participantId: string }, reason: PayoutReason, period: string): string {
  // The study is part of the id: participant ids are unique per study, not across studies.
  return `payout#${p.studyId}#${reason}#${period}#${p.participantId}`;
}

/** AT's `Idempotency-Key` for the payout's current attempt: the payout id, then `#2`, `#3`… */
export function idempotencyKey(p: Pick<Payout, 'payoutId' | 'attempt'>): string {
  return p.attempt <= 1 ? p.payoutId : `${p.payoutId}#${p.attempt}`;
}

/** The moves the ledger allows; anything else is a step backwards, refused. */
const NEXT: Readonly<Record<PayoutStatus, readonly PayoutStatus[]>> = {
  planned: ['sent', 'needs_action'],
  // sent → sent: an ambiguous failure, sent again under the same key.
  sent: ['sent', 'succeeded', 'failed', 'needs_action'],
  // A late Success for the attempt that "failed" (AT's own retries): the money went out.
  failed: ['retried', 'needs_action', 'succeeded'],
  retried: ['sent', 'succeeded', 'needs_action'],
  needs_action: ['retried', 'succeeded', 'failed'],
  succeeded: [],
};

export function canMove(from: PayoutStatus, to: PayoutStatus): boolean {
  return NEXT[from].includes(to);
}

export class PayoutTransitionError extends Error {
  constructor(
    readonly payoutId: string,
    readonly from: PayoutStatus,
    readonly to: PayoutStatus,
  ) {
    super(`Payout ${payoutId} cannot go from ${from} to ${to}: the ledger only moves forward.`);
    this.name = 'PayoutTransitionError';
  }
}

type Changes = Partial<Pick<Payout, 'attempt' | 'tries' | 'retryAt' | 'requests' | 'lastError' | 'lastFailure' | 'validated' | 'phone' | 'pseudonym' | 'receipt'>>;

/**
 * The payout's next version, moved to `to`; throws PayoutTransitionError for a step backwards.
 * A backoff (`retryAt`) lasts only until the next move, unless the move sets a new one.
 */
export function advance(p: Payout, to: PayoutStatus, at: Date, changes: Changes = {}, note?: string): Payout {
  if (!canMove(p.status, to)) throw new PayoutTransitionError(p.payoutId, p.status, to);
  const stamp = at.toISOString();
  const { retryAt: _dropped, ...rest } = p;
  return {
    ...rest,
    ...changes,
    status: to,
    history: [...p.history, { status: to, at: stamp, ...(note ? { note } : {}) }],
    version: p.version + 1,
    updatedAt: stamp,
  };
}

/** A new payout, `planned`. */
export function plannedPayout(
  fields: Pick<Payout, 'studyId' | 'participantId' | 'reason' | 'period' | 'amount' | 'currency' | 'channel' | 'receipt'> & { phone?: string; armId?: string },
  at: Date,
): Payout {
  const stamp = at.toISOString();
  return {
    payoutId: payoutId(fields, fields.reason, fields.period),
    ...fields,
    status: 'planned',
    attempt: 1,
    tries: 0,
    requests: [],
    history: [{ status: 'planned', at: stamp }],
    version: 1,
    createdAt: stamp,
    updatedAt: stamp,
  };
}

export interface RetryPolicy {
  maxTries: number;
  /** First wait; doubled after each try, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxTries: 5, baseDelayMs: 5 * 60_000, maxDelayMs: 6 * 3600_000 };

function backoff(tries: number, r: RetryPolicy, now: Date): string {
  const delay = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** Math.max(0, tries - 1));
  return new Date(now.getTime() + delay).toISOString();
}

/** How long a send may be in flight before another sender may assume it crashed. */
export const SEND_LEASE_MS = 10 * 60_000;

/**
 * Whether the sender may send this payout now: planned or retried (after its backoff), or sent
 * without an answer from AT for this attempt: waiting out an ambiguous failure, or left behind
 * by a sender that crashed (its lease over). Sending that one again under the same key is safe.
 */
export function dueToSend(p: Payout, now: Date): boolean {
  if (p.channel !== 'airtime' || p.phone === undefined) return false;
  const t = now.getTime();
  const waited = p.retryAt === undefined || Date.parse(p.retryAt) <= t;
  if (p.status === 'planned' || p.status === 'retried') return waited;
  if (p.status !== 'sent' || p.requests.some((r) => r.attempt === p.attempt)) return false;
  return p.retryAt !== undefined ? waited : Date.parse(p.updatedAt) + SEND_LEASE_MS <= t;
}

/** The sender is about to call AT: one more try, under the current attempt's key. */
export function startSend(p: Payout, now: Date): Payout {
  return advance(p, 'sent', now, { tries: p.tries + 1 });
}

/** AT accepted the attempt ("Sent": handed to the operator); its status callback has the final word. */
export function acceptedByAt(p: Payout, requestId: string, now: Date): Payout | undefined {
  if (p.status !== 'sent' || p.requests.some((r) => r.requestId === requestId)) return undefined;
  const { retryAt: _r, lastError: _e, ...rest } = p;
  return { ...rest, requests: [...p.requests, { attempt: p.attempt, requestId }], version: p.version + 1, updatedAt: now.toISOString() };
}

/**
 * An ambiguous failure (5xx, timeout, not JSON): AT may have paid. The payout stays `sent` and
 * waits to be sent again under the same key, or, its tries used up, needs a person.
 */
export function ambiguousFailure(p: Payout, reason: string, now: Date, r: RetryPolicy = DEFAULT_RETRY): Payout {
  const changes = { lastError: reason, lastFailure: 'ambiguous' as const };
  if (p.tries >= r.maxTries) return advance(p, 'needs_action', now, changes, `gave up after ${p.tries} tries: ${reason}`);
  return advance(p, 'sent', now, { ...changes, retryAt: backoff(p.tries, r, now) }, reason);
}

/**
 * A definite failure: nothing was paid. Retried as a new attempt after a backoff, or, its tries
 * used up, shown for action: two moves in one version, so the history shows both.
 */
export function definiteFailure(p: Payout, reason: string, now: Date, r: RetryPolicy = DEFAULT_RETRY): Payout {
  const failed = advance(p, 'failed', now, { lastError: reason, lastFailure: 'definite' }, reason);
  // One write for both steps: the store's condition is on the version that was read.
  return { ...scheduleRetry(failed, now, r), version: p.version + 1 };
}

/** After a definite failure: a new attempt later, or a person's attention. */
export function scheduleRetry(p: Payout, now: Date, r: RetryPolicy = DEFAULT_RETRY): Payout {
  if (p.tries >= r.maxTries) return advance(p, 'needs_action', now, {}, `gave up after ${p.tries} tries`);
  return advance(p, 'retried', now, { attempt: p.attempt + 1, retryAt: backoff(p.tries, r, now) });
}

/**
 * An admin's retry of a payout that needs action: another round of tries. A new attempt (new
 * key) only if the last failure was definite; after an ambiguous one the key stays, so a
 * payment AT did make is not made again.
 */
export function adminRetry(p: Payout, now: Date): Payout {
  if (p.status !== 'needs_action') throw new PayoutTransitionError(p.payoutId, p.status, 'retried');
  const attempt = p.lastFailure === 'definite' ? p.attempt + 1 : p.attempt;
  return advance(p, 'retried', now, { tries: 0, attempt }, 'retried by an admin');
}
