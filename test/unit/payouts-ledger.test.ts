import { describe, expect, it } from 'vitest';
import {
  adminRetry,
  advance,
  ambiguousFailure,
  canMove,
  definiteFailure,
  dueToSend,
  idempotencyKey,
  type Payout,
  type PayoutStatus,
  payoutId,
  PayoutTransitionError,
  plannedPayout,
  SEND_LEASE_MS,
  startSend,
} from '../../functions/core/payouts/ledger.js';
import { acceptedByAt } from '../../functions/core/payouts/ledger.js';
import { AT } from '../support/payouts.js';

const retry = { maxTries: 3, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };
const later = (ms: number) => new Date(AT.getTime() + ms);

function planned(): Payout {
  return plannedPayout({ studyId: 's1', participantId: 'p1', phone: '+254711000001', reason: 'week', period: '2026-W10', amount: 20, currency: 'KES', channel: 'airtime', receipt: true }, AT);
}

describe('payout ids and keys', () => {
  it('are deterministic from study, participant, reason and period, and distinct across each', () => {
    const p = { studyId: 's1', participantId: 'p1' };
    expect(payoutId(p, 'week', '2026-W10')).toBe(payoutId({ ...p }, 'week', '2026-W10'));
    const ids = [payoutId(p, 'week', '2026-W10'), payoutId(p, 'week', '2026-W11'), payoutId(p, 'bonus', 'study'), payoutId({ ...p, participantId: 'p2' }, 'week', '2026-W10'), payoutId({ ...p, studyId: 's2' }, 'week', '2026-W10')];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the idempotency key is the payout id, and changes only with a new attempt', () => {
    const p = planned();
    expect(idempotencyKey(p)).toBe(p.payoutId);
    expect(idempotencyKey({ ...p, attempt: 2 })).toBe(`${p.payoutId}#2`);
  });
});

describe('forward-only transitions', () => {
  const all: PayoutStatus[] = ['planned', 'sent', 'succeeded', 'failed', 'retried', 'needs_action'];
  it('refuse a step backwards', () => {
    const done = advance(advance(planned(), 'sent', AT), 'succeeded', AT);
    for (const to of all) expect(() => advance(done, to, AT)).toThrow(PayoutTransitionError);
    expect(() => advance(planned(), 'planned', AT)).toThrow(/cannot go from planned to planned/);
    expect(() => advance(planned(), 'succeeded', AT)).toThrow(PayoutTransitionError);
    expect(canMove('sent', 'planned')).toBe(false);
    expect(canMove('retried', 'failed')).toBe(false);
  });

  it('record each move in the history, with one version each', () => {
    const sent = startSend(planned(), later(1));
    expect(sent).toMatchObject({ status: 'sent', tries: 1, version: 2 });
    expect(sent.history.map((h) => h.status)).toEqual(['planned', 'sent']);
  });
});

describe('retries', () => {
  it('an ambiguous failure keeps the key and waits, doubling, then needs action', () => {
    let p = startSend(planned(), AT);
    p = ambiguousFailure(p, 'HTTP 503', AT, retry);
    expect(p).toMatchObject({ status: 'sent', attempt: 1, retryAt: later(60_000).toISOString(), lastFailure: 'ambiguous' });
    expect(dueToSend(p, later(59_999))).toBe(false);
    expect(dueToSend(p, later(60_000))).toBe(true);
    p = ambiguousFailure(startSend(p, later(60_000)), 'timeout', later(60_000), retry);
    expect(p.retryAt).toBe(later(60_000 + 120_000).toISOString());
    p = ambiguousFailure(startSend(p, later(180_000)), 'timeout', later(180_000), retry);
    expect(p).toMatchObject({ status: 'needs_action', tries: 3, attempt: 1 });
    expect(dueToSend(p, later(1e9))).toBe(false);
  });

  it('a definite failure retries as a new attempt (new key) after the backoff, then needs action', () => {
    let p = definiteFailure(startSend(planned(), AT), 'AT: Insufficient Credit', AT, retry);
    expect(p).toMatchObject({ status: 'retried', attempt: 2, version: 3, lastFailure: 'definite' });
    expect(p.history.map((h) => h.status)).toEqual(['planned', 'sent', 'failed', 'retried']);
    expect(dueToSend(p, later(59_999))).toBe(false);
    p = definiteFailure(startSend(p, later(60_000)), 'again', later(60_000), retry);
    p = definiteFailure(startSend(p, later(1e6)), 'again', later(1e6), retry);
    expect(p).toMatchObject({ status: 'needs_action', tries: 3 });
  });

  it('a crashed send is resent only after the lease, and never once AT answered', () => {
    const inFlight = startSend(planned(), AT);
    expect(dueToSend(inFlight, later(SEND_LEASE_MS - 1))).toBe(false);
    expect(dueToSend(inFlight, later(SEND_LEASE_MS))).toBe(true);
    const accepted = acceptedByAt(inFlight, 'ATQid_1', AT) as Payout;
    expect(dueToSend(accepted, later(1e9))).toBe(false);
    expect(acceptedByAt(accepted, 'ATQid_1', AT)).toBeUndefined();
  });

  it('an admin retry starts a new round, with a new key only after a definite failure', () => {
    const definite = definiteFailure(startSend({ ...planned(), tries: 2 }, AT), 'Failed', AT, retry);
    expect(definite.status).toBe('needs_action');
    expect(adminRetry(definite, AT)).toMatchObject({ status: 'retried', tries: 0, attempt: 2 });
    const ambiguous = ambiguousFailure(startSend({ ...planned(), tries: 2 }, AT), 'timeout', AT, retry);
    expect(adminRetry(ambiguous, AT)).toMatchObject({ status: 'retried', tries: 0, attempt: 1 });
    expect(() => adminRetry(planned(), AT)).toThrow(PayoutTransitionError);
  });

  it('payouts of the file channel or without a number are never due for airtime', () => {
    expect(dueToSend({ ...planned(), channel: 'payout_file' }, AT)).toBe(false);
    const { phone: _p, ...noPhone } = planned();
    expect(dueToSend(noPhone, AT)).toBe(false);
  });
});
