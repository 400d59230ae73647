/**
 * Planning payouts: from what participants completed to the payouts to create, each once, never
 * past a participant's cap, never past the study's budget.
 *
 * Ethics, in code (each rule tested in test/unit/payouts-ethics.test.ts):
 * - Earned is earned: a week completed and then STOP (or a forget) is still owed; the consent
 *   state is not read here at all. Only the receipt SMS depends on it (core/payouts/ethics.ts).
 * - Equal by arm: amounts come from `amountsFor`, which gives every arm the same unless the
 *   study's design is differential (core/payouts/policy.ts refuses anything else).
 */
import { cents, fromCents } from './money.js';
import { type Payout, type PayoutReason, payoutId, plannedPayout } from './ledger.js';
import { amountsFor, type IncentivePolicy } from './policy.js';

/** One thing a participant completed that may earn a payout. */
export interface Completion {
  participantId: string;
  armId?: string;
  /** E.164, or absent for a forgotten participant. */
  phone?: string;
  reason: PayoutReason;
  /** ISO week for a week, module id for a module. */
  period: string;
  /** Owed a receipt SMS on success (core/payouts/ethics.ts `receiptOwed`). */
  receipt: boolean;
}

export interface ParticipantCompletions {
  participantId: string;
  armId?: string;
  phone?: string;
  receipt: boolean;
  /** ISO weeks whose diary is completed (core/payouts/completed.ts `weekCompleted`). */
  weeks: readonly string[];
  /** Modules completed (`completedModules`). */
  modules: readonly string[];
}

/** What a participant's completions earn under the policy, bonus included, in a fixed order. */
export function completionsOf(p: ParticipantCompletions, policy: IncentivePolicy): Completion[] {
  const a = amountsFor(policy, p.armId);
  const base = { participantId: p.participantId, receipt: p.receipt, ...(p.armId ? { armId: p.armId } : {}), ...(p.phone ? { phone: p.phone } : {}) };
  const weeks = [...new Set(p.weeks)].sort();
  const out: Completion[] = weeks.map((period) => ({ ...base, reason: 'week' as const, period }));
  if (a.perModule !== undefined) out.push(...[...new Set(p.modules)].map((period) => ({ ...base, reason: 'module' as const, period })));
  if (a.completionBonus && weeks.length >= a.completionBonus.afterWeeks) out.push({ ...base, reason: 'bonus', period: 'study' });
  return out;
}

export function amountOf(c: Pick<Completion, 'reason' | 'armId'>, policy: IncentivePolicy): number | undefined {
  const a = amountsFor(policy, c.armId);
  if (c.reason === 'week') return a.perWeek;
  if (c.reason === 'module') return a.perModule;
  return a.completionBonus?.amount;
}

export interface PayoutPlan {
  /** New payouts, to create with a condition (one already there is the same payout: skip it). */
  create: Payout[];
  /** Completions already paid or planned: nothing to do. */
  existing: number;
  /** Completions not planned because the participant reached the cap. */
  capped: { participantId: string; reason: PayoutReason; period: string }[];
  /**
   * Set when the budget ran out: the completions not planned (the batch is cut before the
   * budget, never half-paid past it), for an alarm and for the console.
   */
  budgetCut?: { left: number; notPlanned: number; amountNotPlanned: number; currency: string };
}

/**
 * The payouts to create for these completions, given every payout the study already has (any
 * status: planned money is committed money). Deterministic: completions are taken in order of
 * period, then participant, so two dispatchers planning at once plan the same ids.
 */
export function planPayouts(
  study: { studyId: string; incentives: IncentivePolicy },
  completions: readonly Completion[],
  existing: readonly Payout[],
  now: Date,
): PayoutPlan {
  const policy = study.incentives;
  const known = new Set(existing.map((p) => p.payoutId));
  const perParticipant = new Map<string, number>();
  let spent = 0;
  for (const p of existing) {
    spent += cents(p.amount);
    perParticipant.set(p.participantId, (perParticipant.get(p.participantId) ?? 0) + cents(p.amount));
  }
  const budget = cents(policy.budget);
  const cap = cents(policy.perParticipantCap);
  const ordered = [...completions].sort((a, b) => cmp(a.period, b.period) || cmp(a.participantId, b.participantId) || cmp(a.reason, b.reason));

  const plan: PayoutPlan = { create: [], existing: 0, capped: [] };
  let cut = { count: 0, amount: 0 };
  for (const c of ordered) {
    const id = payoutId({ studyId: study.studyId, participantId: c.participantId }, c.reason, c.period);
    if (known.has(id)) {
      plan.existing += 1;
      continue;
    }
    const amount = amountOf(c, policy);
    if (amount === undefined) continue;
    const a = cents(amount);
    const had = perParticipant.get(c.participantId) ?? 0;
    if (had + a > cap) {
      plan.capped.push({ participantId: c.participantId, reason: c.reason, period: c.period });
      continue;
    }
    // Once the budget is short, everything after is cut too: a later, smaller payout slipping
    // in would pay one participant's week while an earlier one's waits.
    if (cut.count > 0 || spent + a > budget) {
      cut = { count: cut.count + 1, amount: cut.amount + a };
      continue;
    }
    known.add(id);
    spent += a;
    perParticipant.set(c.participantId, had + a);
    plan.create.push(
      plannedPayout(
        {
          studyId: study.studyId,
          participantId: c.participantId,
          reason: c.reason,
          period: c.period,
          amount,
          currency: policy.currency,
          channel: policy.channel,
          receipt: c.receipt && policy.receipts !== false,
          ...(c.phone ? { phone: c.phone } : {}),
          ...(c.armId ? { armId: c.armId } : {}),
        },
        now,
      ),
    );
  }
  if (cut.count > 0) {
    plan.budgetCut = { left: fromCents(budget - spent), notPlanned: cut.count, amountNotPlanned: fromCents(cut.amount), currency: policy.currency };
  }
  return plan;
}

/** Spent, committed and left of a study's budget, for the console and the alarm. */
export function budgetState(policy: IncentivePolicy, payouts: readonly Payout[]): { committed: number; paid: number; left: number; failed: number; pending: number } {
  let committed = 0;
  let paid = 0;
  let failed = 0;
  let pending = 0;
  for (const p of payouts) {
    committed += cents(p.amount);
    if (p.status === 'succeeded') paid += cents(p.amount);
    else if (p.status === 'needs_action' || p.status === 'failed') failed += 1;
    else pending += 1;
  }
  return { committed: fromCents(committed), paid: fromCents(paid), left: fromCents(cents(policy.budget) - committed), failed, pending };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
