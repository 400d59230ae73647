/**
 * The ethics of paying participants, as functions the planner, the sender and the forget flow
 * call (each tested in test/unit/payouts-ethics.test.ts):
 * - a week completed and then STOP is still paid (the planner never reads consent), but no
 *   receipt SMS follows the STOP: after STOP nothing is sent but the confirmation (invariant 3);
 * - a forgotten participant's payouts keep their amounts, under the pseudonym, for the study's
 *   accounts; the number goes;
 * - control is paid exactly like treatment for the same diary (amounts by arm: core/payouts/policy.ts).
 */
import type { Content } from '../content/schema.js';
import type { Participant } from '../model.js';
import { smsText } from '../sms/text.js';
import { cents, formatAmount, fromCents } from './money.js';
import { advance, type Payout } from './ledger.js';

/**
 * Whether a receipt SMS may follow a successful payout: only to someone still taking part who
 * can be texted. Read at send time of the receipt too, as STOP may come in between.
 */
export function receiptOwed(p: Pick<Participant, 'consent' | 'forgotten'>, receiptsOn: boolean): boolean {
  return receiptsOn && p.consent.state === 'consented' && p.forgotten === undefined;
}

/**
 * A payout's record once its participant is forgotten: the amount, reason, period and status
 * stay (the study's accounts must add up), the number goes, and the pseudonym names whose it
 * was. A payout not yet handed to a provider cannot be paid without a number: it is shown for
 * action rather than silently dropped (the participant did the work). No receipt is owed.
 */
export function forgetPayout(p: Payout, pseudonym: string, now: Date): Payout {
  const { phone: _gone, ...kept } = p;
  const base: Payout = { ...kept, pseudonym, receipt: false };
  if (p.status === 'planned' || p.status === 'retried') {
    return advance(base, 'needs_action', now, { lastError: 'participant forgotten: no number to pay' }, 'participant forgotten');
  }
  return { ...base, version: p.version + 1, updatedAt: now.toISOString() };
}

/** Incentives per arm, for the impact report's check that pay does not differ by arm. */
export function incentivesByArm(payouts: readonly Payout[]): Map<string, { participants: number; amount: number }> {
  const byArm = new Map<string, { people: Set<string>; cents: number }>();
  for (const p of payouts) {
    if (p.status !== 'succeeded') continue;
    const arm = p.armId ?? '(none)';
    const entry = byArm.get(arm) ?? { people: new Set<string>(), cents: 0 };
    entry.people.add(p.participantId);
    entry.cents += cents(p.amount);
    byArm.set(arm, entry);
  }
  return new Map([...byArm].map(([arm, e]) => [arm, { participants: e.people.size, amount: fromCents(e.cents) }]));
}

/**
 * The receipt SMS for a payout that succeeded, in the participant's language, or undefined when
 * none is owed: the payout's own flag (set at planning) and the participant as they are now, as
 * a STOP may have come in between.
 */
export function receiptText(
  content: Pick<Content, 'sms'>,
  payout: Pick<Payout, 'status' | 'receipt' | 'amount' | 'currency' | 'channel'>,
  participant: Pick<Participant, 'consent' | 'forgotten' | 'lang'>,
): string | undefined {
  if (payout.status !== 'succeeded' || !payout.receipt || payout.channel !== 'airtime' || !receiptOwed(participant, true)) return undefined;
  return smsText(content, 'payoutReceipt', participant.lang ?? 'en', { amount: formatAmount(payout.currency, payout.amount) });
}
