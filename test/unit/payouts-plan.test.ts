import { describe, expect, it } from 'vitest';
import { payoutId } from '../../functions/core/payouts/ledger.js';
import { budgetState, type Completion, completionsOf, planPayouts } from '../../functions/core/payouts/plan.js';
import type { IncentivePolicy } from '../../functions/core/payouts/policy.js';
import { AT, KENYA_POLICY } from '../support/payouts.js';

const study = (incentives: IncentivePolicy = KENYA_POLICY) => ({ studyId: 's1', incentives });
const week = (participantId: string, period: string, armId = 'control'): Completion => ({ participantId, armId, phone: '+254711000001', reason: 'week', period, receipt: true });

describe('planning payouts', () => {
  it('plans one payout per completed week, with the deterministic id', () => {
    const plan = planPayouts(study(), [week('p1', '2026-W10'), week('p2', '2026-W10')], [], AT);
    expect(plan.create.map((p) => p.payoutId)).toEqual([payoutId({ studyId: 's1', participantId: 'p1' }, 'week', '2026-W10'), payoutId({ studyId: 's1', participantId: 'p2' }, 'week', '2026-W10')]);
    expect(plan.create.every((p) => p.status === 'planned' && p.amount === 20 && p.currency === 'KES')).toBe(true);
  });

  it('never plans a week twice: existing payouts, or the same completion twice in one batch', () => {
    const first = planPayouts(study(), [week('p1', '2026-W10')], [], AT);
    const again = planPayouts(study(), [week('p1', '2026-W10'), week('p1', '2026-W10'), week('p1', '2026-W11')], first.create, AT);
    expect(again.create.map((p) => p.period)).toEqual(['2026-W11']);
    expect(again.existing).toBe(2);
  });

  it('stops at the per-participant cap, and says so', () => {
    const weeks = ['W01', 'W02', 'W03', 'W04'].map((w) => week('p1', `2026-${w}`));
    const plan = planPayouts(study({ ...KENYA_POLICY, perParticipantCap: 60 }), weeks, [], AT);
    expect(plan.create).toHaveLength(3);
    expect(plan.capped).toEqual([{ participantId: 'p1', reason: 'week', period: '2026-W04' }]);
  });

  it('cuts the batch before the budget, never half past it, and reports the cut for an alarm', () => {
    const completions = Array.from({ length: 10 }, (_, i) => week(`p${i}`, '2026-W10'));
    const existing = planPayouts(study(), [week('old', '2026-W09')], [], AT).create;
    const plan = planPayouts(study({ ...KENYA_POLICY, budget: 130 }), completions, existing, AT);
    expect(plan.create).toHaveLength(5);
    expect(plan.budgetCut).toEqual({ left: 10, notPlanned: 5, amountNotPlanned: 100, currency: 'KES' });
    const total = [...existing, ...plan.create].reduce((n, p) => n + p.amount, 0);
    expect(total).toBeLessThanOrEqual(130);
  });

  it('plans nothing once the budget is spent, and the same completions in any order plan the same', () => {
    const completions = Array.from({ length: 6 }, (_, i) => week(`p${i}`, `2026-W1${i % 3}`));
    const a = planPayouts(study({ ...KENYA_POLICY, budget: 60 }), completions, [], AT);
    const b = planPayouts(study({ ...KENYA_POLICY, budget: 60 }), [...completions].reverse(), [], AT);
    expect(a.create.map((p) => p.payoutId)).toEqual(b.create.map((p) => p.payoutId));
    expect(planPayouts(study({ ...KENYA_POLICY, budget: 60 }), completions, a.create, AT).create).toEqual([]);
  });

  it('adds module payouts and the completion bonus when the policy has them', () => {
    const policy = { ...KENYA_POLICY, perModule: 10, completionBonus: { amount: 50, afterWeeks: 2 } };
    const base = { participantId: 'p1', armId: 'treatment', phone: '+254711000001', receipt: true, modules: ['fees'] };
    expect(completionsOf({ ...base, weeks: ['2026-W10'] }, policy).map((c) => `${c.reason}:${c.period}`)).toEqual(['week:2026-W10', 'module:fees']);
    const two = completionsOf({ ...base, weeks: ['2026-W11', '2026-W10', '2026-W10'] }, policy);
    expect(two.map((c) => `${c.reason}:${c.period}`)).toEqual(['week:2026-W10', 'week:2026-W11', 'module:fees', 'bonus:study']);
    const plan = planPayouts(study(policy), two, [], AT);
    expect(Object.fromEntries(plan.create.map((p) => [`${p.reason}:${p.period}`, p.amount]))).toEqual({ 'week:2026-W10': 20, 'week:2026-W11': 20, 'module:fees': 10, 'bonus:study': 50 });
  });

  it('a policy without receipts plans none', () => {
    const plan = planPayouts(study({ ...KENYA_POLICY, receipts: false }), [week('p1', '2026-W10')], [], AT);
    expect(plan.create[0]?.receipt).toBe(false);
  });

  it('reports spent, left, failed and pending', () => {
    const plan = planPayouts(study(), [week('p1', '2026-W10'), week('p2', '2026-W10')], [], AT);
    const [a, b] = plan.create;
    const state = budgetState(KENYA_POLICY, [{ ...a!, status: 'succeeded' }, { ...b!, status: 'needs_action' }]);
    expect(state).toEqual({ committed: 40, paid: 20, left: 9960, failed: 1, pending: 0 });
  });
});
