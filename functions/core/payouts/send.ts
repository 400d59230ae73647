/**
 * One round of the airtime sender, over the ports: claim each due payout (a conditional write,
 * so two senders never send one payout at once), send, and record each answer. The claim is
 * written before AT is called: a crash after AT accepted leaves the payout `sent` without a
 * requestId, and the next round (after the lease) sends it again under the same idempotency
 * key, which AT answers with its first answer, paying nothing twice.
 */
import type { Clock } from '../ports/index.js';
import { applyStatusCallback } from './callbacks.js';
import { acceptedByAt, ambiguousFailure, DEFAULT_RETRY, definiteFailure, dueToSend, idempotencyKey, type Payout, type RetryPolicy, startSend } from './ledger.js';
import { type AirtimeGateway, type AirtimeOutcome, type PayoutStore, StalePayoutError } from '../ports/payouts.js';

export interface SendRoundResult {
  sent: number;
  failed: number;
  retry: number;
  /** Due payouts another sender claimed first. */
  lost: number;
  /** Payouts now succeeded, to send a receipt for (those with `receipt`). */
  succeeded: Payout[];
}

/** The next version of a payout after AT's answer to its send. */
export function applyOutcome(p: Payout, outcome: AirtimeOutcome, now: Date, retry: RetryPolicy = DEFAULT_RETRY): Payout | undefined {
  if (outcome.status === 'sent') return acceptedByAt(p, outcome.requestId, now);
  if (outcome.status === 'failed') return definiteFailure(p, outcome.reason, now, retry);
  return ambiguousFailure(p, outcome.reason, now, retry);
}

export async function sendDuePayouts(
  deps: { store: PayoutStore; gateway: AirtimeGateway; clock: Clock; retry?: RetryPolicy },
  candidates: readonly Payout[],
): Promise<SendRoundResult> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const result: SendRoundResult = { sent: 0, failed: 0, retry: 0, lost: 0, succeeded: [] };
  const claimed: Payout[] = [];
  for (const p of candidates) {
    if (!dueToSend(p, deps.clock.now())) continue;
    const next = startSend(p, deps.clock.now());
    if (await saved(deps.store, next)) claimed.push(next);
    else result.lost += 1;
  }
  if (claimed.length === 0) return result;
  const outcomes = await deps.gateway.send(
    claimed.map((p) => ({ payoutId: p.payoutId, idempotencyKey: idempotencyKey(p), phone: p.phone as string, currency: p.currency, amount: p.amount })),
  );
  for (const p of claimed) {
    const outcome = outcomes.get(p.payoutId) ?? { status: 'retry', reason: 'no outcome from the gateway' };
    result[outcome.status === 'sent' ? 'sent' : outcome.status] += 1;
    let current = applyOutcome(p, outcome, deps.clock.now(), retry);
    if (!current || !(await saved(deps.store, current))) continue;
    if (outcome.status !== 'sent') continue;
    // A status callback that overtook this answer was kept apart: apply it now.
    for (const cb of await deps.store.unmatchedCallbacks(outcome.requestId)) {
      const decision = applyStatusCallback(current, cb, deps.clock.now(), retry);
      if (decision.kind === 'advanced' && (await saved(deps.store, decision.next))) current = decision.next;
    }
    if (current.status === 'succeeded') result.succeeded.push(current);
  }
  return result;
}

/** Saves with the version condition; false when someone else changed the payout first. */
async function saved(store: PayoutStore, next: Payout): Promise<boolean> {
  try {
    await store.savePayout(next);
    return true;
  } catch (error) {
    if (error instanceof StalePayoutError) return false;
    throw error;
  }
}
