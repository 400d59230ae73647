/**
 * Properties of the payout core over random studies, completion patterns, arms and budgets:
 * never two payouts with one id, never past the budget or a cap, equal pay by arm for the same
 * pattern, and transitions only forward whatever events arrive in whatever order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyStatusCallback } from '../../functions/core/payouts/callbacks.js';
import { acceptedByAt, advance, ambiguousFailure, canMove, definiteFailure, dueToSend, type Payout, PayoutTransitionError, startSend } from '../../functions/core/payouts/ledger.js';
import { completionsOf, planPayouts } from '../../functions/core/payouts/plan.js';
import type { IncentivePolicy } from '../../functions/core/payouts/policy.js';
import { AT } from '../support/payouts.js';

const WEEKS = ['2026-W09', '2026-W10', '2026-W11', '2026-W12', '2026-W13', '2026-W14'];
const arms = ['treatment', 'control', 'treatment-2'];

const studyArb = fc.record({
  perWeek: fc.integer({ min: 1, max: 100 }),
  bonus: fc.option(fc.record({ amount: fc.integer({ min: 1, max: 200 }), afterWeeks: fc.integer({ min: 1, max: 6 }) }), { nil: undefined }),
  capWeeks: fc.integer({ min: 1, max: 10 }),
  budget: fc.integer({ min: 1, max: 5000 }),
  // Per participant: arm, and the set of completed weeks (a bit mask over WEEKS).
  people: fc.array(fc.record({ arm: fc.constantFrom(...arms), mask: fc.integer({ min: 0, max: 63 }) }), { minLength: 1, maxLength: 40 }),
  // Ticks of the dispatcher: how many weeks have been seen so far at each tick.
  ticks: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
});

type StudyCase = typeof studyArb extends fc.Arbitrary<infer T> ? T : never;

function policyOf(s: StudyCase): IncentivePolicy {
  return {
    currency: 'KES',
    perWeek: s.perWeek,
    ...(s.bonus ? { completionBonus: s.bonus } : {}),
    perParticipantCap: s.perWeek * s.capWeeks + (s.bonus?.amount ?? 0),
    budget: s.budget,
    channel: 'airtime',
  };
}

/** Runs the ticks: each plans the completions seen so far against the ledger so far. */
function run(s: StudyCase, policy: IncentivePolicy): Payout[] {
  const ledger: Payout[] = [];
  for (const seen of s.ticks) {
    const completions = s.people.flatMap((p, i) =>
      completionsOf(
        { participantId: `p${String(i).padStart(2, '0')}`, armId: p.arm, phone: '+254711000001', receipt: true, weeks: WEEKS.slice(0, seen).filter((_, w) => p.mask & (1 << w)), modules: [] },
        policy,
      ),
    );
    // Twice per tick: a second dispatcher planning with the same view creates nothing new.
    const plan = planPayouts({ studyId: 's', incentives: policy }, completions, ledger, AT);
    const twice = planPayouts({ studyId: 's', incentives: policy }, completions, [...ledger, ...plan.create], AT);
    expect(twice.create).toEqual([]);
    ledger.push(...plan.create);
  }
  return ledger;
}

describe('payout properties', () => {
  it('never two payouts with one id; never past the budget or a cap', () => {
    fc.assert(
      fc.property(studyArb, (s) => {
        const policy = policyOf(s);
        const ledger = run(s, policy);
        expect(new Set(ledger.map((p) => p.payoutId)).size).toBe(ledger.length);
        const total = ledger.reduce((n, p) => n + p.amount * 100, 0);
        expect(total).toBeLessThanOrEqual(policy.budget * 100);
        const per = new Map<string, number>();
        for (const p of ledger) per.set(p.participantId, (per.get(p.participantId) ?? 0) + p.amount);
        for (const v of per.values()) expect(v).toBeLessThanOrEqual(policy.perParticipantCap);
      }),
    );
  });

  it('with budget enough, pay depends on the completion pattern only, never the arm', () => {
    fc.assert(
      fc.property(studyArb, (s) => {
        const policy = { ...policyOf(s), budget: 1e9 };
        const ledger = run(s, policy);
        const seen = Math.max(...s.ticks);
        const totalByPattern = new Map<number, Set<number>>();
        s.people.forEach((p, i) => {
          const mask = p.mask & ((1 << seen) - 1);
          const total = ledger.filter((x) => x.participantId === `p${String(i).padStart(2, '0')}`).reduce((n, x) => n + x.amount, 0);
          totalByPattern.set(mask, (totalByPattern.get(mask) ?? new Set()).add(total));
        });
        for (const totals of totalByPattern.values()) expect(totals.size).toBe(1);
      }),
    );
  });

  it('transitions only forward, whatever events arrive in whatever order', () => {
    type Ev = { kind: 'send' } | { kind: 'accept'; id: number } | { kind: 'ambiguous' } | { kind: 'definite' } | { kind: 'callback'; id: number; ok: boolean } | { kind: 'wait' };
    const ev = fc.oneof(
      fc.constant<Ev>({ kind: 'send' }),
      fc.integer({ min: 1, max: 3 }).map<Ev>((id) => ({ kind: 'accept', id })),
      fc.constant<Ev>({ kind: 'ambiguous' }),
      fc.constant<Ev>({ kind: 'definite' }),
      fc.record({ id: fc.integer({ min: 1, max: 3 }), ok: fc.boolean() }).map<Ev>((x) => ({ kind: 'callback', ...x })),
      fc.constant<Ev>({ kind: 'wait' }),
    );
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 40 }), (events) => {
        let p = planPayouts({ studyId: 's', incentives: { currency: 'KES', perWeek: 20, perParticipantCap: 100, budget: 100, channel: 'airtime' } }, [{ participantId: 'p1', phone: '+254711000001', reason: 'week', period: '2026-W10', receipt: true }], [], AT).create[0] as Payout;
        let t = AT.getTime();
        let succeeded = false;
        for (const e of events) {
          const now = new Date(t);
          const before = p;
          try {
            if (e.kind === 'send' && dueToSend(p, now)) p = startSend(p, now);
            else if (e.kind === 'accept' && p.status === 'sent') p = acceptedByAt(p, `R${e.id}`, now) ?? p;
            else if (e.kind === 'ambiguous' && p.status === 'sent') p = ambiguousFailure(p, 'timeout', now);
            else if (e.kind === 'definite' && p.status === 'sent') p = definiteFailure(p, 'Failed', now);
            else if (e.kind === 'callback') {
              const d = applyStatusCallback(p, { phoneNumber: '+254711000001', requestId: `R${e.id}`, status: e.ok ? 'Success' : 'Failed' }, now);
              if (d.kind === 'advanced') p = d.next;
            } else if (e.kind === 'wait') t += 7 * 3600_000;
          } catch (error) {
            expect(error).toBeInstanceOf(PayoutTransitionError);
          }
          if (p !== before) {
            expect(p.version).toBe(before.version + 1);
            expect(p.history.slice(0, before.history.length)).toEqual(before.history);
            const moves = p.history.slice(before.history.length - 1);
            for (let i = 1; i < moves.length; i++) expect(canMove(moves[i - 1]!.status, moves[i]!.status)).toBe(true);
          }
          if (succeeded) expect(p.status).toBe('succeeded');
          succeeded ||= p.status === 'succeeded';
          expect(p.tries).toBeLessThanOrEqual(5);
        }
        // Whatever happened, the moves recorded are allowed ones, and a success is never undone.
        const statuses = p.history.map((h) => h.status);
        for (let i = 1; i < statuses.length; i++) expect(canMove(statuses[i - 1]!, statuses[i]!)).toBe(true);
        expect(() => advance({ ...p, status: 'succeeded' }, 'sent', AT)).toThrow(PayoutTransitionError);
      }),
    );
  });
});
