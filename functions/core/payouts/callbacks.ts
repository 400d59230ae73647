/**
 * Africa's Talking's two airtime callbacks, decided here (the handler stores and answers):
 *
 * - Status (`{ phoneNumber, description, status: Success|Failed, requestId, discount, value }`):
 *   the final word on an attempt. Unknown requestId: recorded apart, nothing changes. A replay:
 *   applied once (the second finds the payout already there). Out of order: a status never moves
 *   a payout backwards, and a Failed for an earlier attempt is ignored once a later one is out.
 * - Validation (`{ transactionId, phoneNumber, sourceIpAddress, currencyCode, amount }`), the
 *   opt-in anti-fraud check before AT pays: `Validated` only for a payout Sauti created, for that
 *   number and amount, that no earlier request validated; anything else `Failed`.
 */
import { centsOfAtValue, cents } from './money.js';
import { advance, definiteFailure, type Payout, type RetryPolicy, DEFAULT_RETRY } from './ledger.js';

export interface AirtimeStatusCallback {
  phoneNumber: string;
  description?: string;
  status: string;
  requestId: string;
  discount?: string;
  value?: string;
}

export type StatusDecision =
  /** No payout has this requestId: store the callback apart (phase 2 may match it later). */
  | { kind: 'unknown' }
  | { kind: 'unchanged'; why: string }
  | { kind: 'advanced'; next: Payout };

/** What a status callback does to the payout whose attempt has its requestId (undefined: none). */
export function applyStatusCallback(payout: Payout | undefined, cb: AirtimeStatusCallback, now: Date, retry: RetryPolicy = DEFAULT_RETRY): StatusDecision {
  const request = payout?.requests.find((r) => r.requestId === cb.requestId);
  if (!payout || !request) return { kind: 'unknown' };
  const status = cb.status.trim().toLowerCase();
  if (status === 'success') {
    if (payout.status === 'succeeded') return { kind: 'unchanged', why: 'already succeeded' };
    return { kind: 'advanced', next: advance(payout, 'succeeded', now, {}, cb.description ? `AT: ${cb.description}` : 'AT: Success') };
  }
  if (status !== 'failed') return { kind: 'unchanged', why: `status "${cb.status}" is not a final one` };
  // Only the attempt in flight can fail: a later attempt is out, or the payout is settled.
  if (request.attempt !== payout.attempt) return { kind: 'unchanged', why: `a Failed for attempt ${request.attempt}, now on attempt ${payout.attempt}` };
  if (payout.status !== 'sent') return { kind: 'unchanged', why: `already ${payout.status}` };
  return { kind: 'advanced', next: definiteFailure(payout, `AT: ${cb.description ?? 'Failed'}`, now, retry) };
}

export interface AirtimeValidationRequest {
  transactionId: string;
  phoneNumber: string;
  sourceIpAddress?: string;
  currencyCode: string;
  amount: string | number;
}

export type ValidationDecision = { status: 'Validated'; payoutId: string } | { status: 'Failed'; why: string };

/**
 * The answer to a validation request, given the payouts of that number (any study). Validate
 * only a payout in flight (`sent`), in that currency and amount, whose attempt AT has not given
 * another request id, and that no request validated before for this attempt. The caller then marks it validated
 * with a condition (only if still unmarked), and answers `Failed` if it lost that race.
 */
export function decideValidation(req: AirtimeValidationRequest, payoutsOfNumber: readonly Payout[]): ValidationDecision {
  const amount = centsOfAtValue(req.amount, req.currencyCode);
  if (amount === undefined) return { status: 'Failed', why: 'amount unreadable' };
  const candidates = payoutsOfNumber.filter((p) => p.phone === req.phoneNumber && p.channel === 'airtime');
  if (candidates.length === 0) return { status: 'Failed', why: 'no payout for this number' };
  const matching = candidates.filter((p) => p.currency === req.currencyCode && cents(p.amount) === amount);
  if (matching.length === 0) return { status: 'Failed', why: 'no payout of this amount for this number' };
  if (matching.some((p) => p.validated?.transactionId === req.transactionId)) return { status: 'Failed', why: 'already validated' };
  const open = matching.filter((p) => {
    if (p.status !== 'sent' || p.validated?.attempt === p.attempt) return false;
    const ours = p.requests.find((r) => r.attempt === p.attempt);
    return ours === undefined || ours.requestId === req.transactionId;
  });
  const chosen = open.sort((a, b) => (a.payoutId < b.payoutId ? -1 : 1))[0];
  return chosen ? { status: 'Validated', payoutId: chosen.payoutId } : { status: 'Failed', why: 'no payout of this number and amount awaiting payment' };
}

/** The payout marked validated for this transaction (the store writes it only if unmarked). */
export function markValidated(p: Payout, transactionId: string, now: Date): Payout {
  return { ...p, validated: { attempt: p.attempt, transactionId }, version: p.version + 1, updatedAt: now.toISOString() };
}
