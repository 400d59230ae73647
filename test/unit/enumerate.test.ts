import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inBackCheckSample } from '../../functions/core/enumerate/attempts.js';
import { balancedPlan, reassign } from '../../functions/core/enumerate/assign.js';
import { callList } from '../../functions/core/enumerate/call-list.js';
import { consistencyPrompts } from '../../functions/core/enumerate/consistency.js';
import type { Participant } from '../../functions/core/model.js';

const person = (i: number, armId: string, stratum: string, extra: Partial<Participant> = {}): Participant => ({
  studyId: 's', participantId: `p-${String(i).padStart(4, '0')}`, phone: `+2547000${String(i).padStart(5, '0')}`, lang: 'en',
  consent: { state: 'consented' }, armId, stratum, source: 'seed', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...extra,
});

const people = fc.array(fc.tuple(fc.constantFrom('treatment', 'control', 'other'), fc.constantFrom('a', 'b', 'c')), { maxLength: 120 }).map((xs) => xs.map(([arm, st], i) => person(i, arm, st)));

describe('balanced assignment', () => {
  it('every cell of arm and stratum, and every total, differs by at most one between enumerators', () => {
    fc.assert(
      fc.property(people, fc.integer({ min: 1, max: 7 }), (ps, n) => {
        const enumerators = Array.from({ length: n }, (_, i) => `e${i}`);
        const plan = balancedPlan(ps, enumerators);
        expect(plan.size).toBe(ps.length);
        const spread = (list: Participant[]) => {
          const counts = enumerators.map((e) => list.filter((p) => plan.get(p.participantId) === e).length);
          return Math.max(...counts) - Math.min(...counts);
        };
        expect(spread(ps)).toBeLessThanOrEqual(1);
        for (const arm of ['treatment', 'control', 'other']) for (const st of ['a', 'b', 'c']) expect(spread(ps.filter((p) => p.armId === arm && p.stratum === st))).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('a reassignment keeps the earlier enumerator in the history; the same enumerator changes nothing', () => {
    const first = reassign(undefined, { studyId: 's', participantId: 'p' }, { enumeratorId: 'a', at: 't1', by: 'sup', how: 'hand' });
    const second = reassign(first, { studyId: 's', participantId: 'p' }, { enumeratorId: 'b', at: 't2', by: 'sup', how: 'balanced' });
    expect(second).toMatchObject({ enumeratorId: 'b', version: 2, history: [{ enumeratorId: 'a', at: 't1' }] });
    expect(reassign(second, { studyId: 's', participantId: 'p' }, { enumeratorId: 'b', at: 't3', by: 'sup', how: 'hand' })).toBe(second);
  });
});

describe('the call list (blinding)', () => {
  it('never carries an arm, a stratum or a phone number, whatever the participants', () => {
    fc.assert(
      fc.property(people, fc.integer({ min: 0, max: 23 }), (ps, hour) => {
        const rows = callList({ study: { timeZone: 'Africa/Nairobi' }, participants: ps.map((p, i) => ({ ...p, reminder: { day: 1, hour: (i * 5) % 24 } })), answered: new Set(), records: [], now: new Date(Date.UTC(2026, 10, 24, hour)) });
        const text = JSON.stringify(rows);
        expect(text).not.toMatch(/treatment|control|armId|stratum|\+254/);
        expect(rows).toHaveLength(ps.length);
      }),
    );
  });

  it('orders by the preferred hour nearest the local time now', () => {
    const ps = [person(1, 'x', 'a', { reminder: { day: 1, hour: 8 } }), person(2, 'x', 'a', { reminder: { day: 1, hour: 13 } }), person(3, 'x', 'a')];
    // 09:00 UTC is 12:00 in Nairobi.
    const rows = callList({ study: { timeZone: 'Africa/Nairobi' }, participants: ps, answered: new Set(['p-0003']), records: [], now: new Date('2026-11-24T09:00:00Z') });
    expect(rows.map((r) => r.participantId)).toEqual(['p-0002', 'p-0001']);
  });
});

describe('consistency prompts and the back-check sample', () => {
  it('flags money out above the pay, a fee above the wage, and a saving far above usual', () => {
    expect(consistencyPrompts({ wage_amount: 1000, fee_amount: 1200, saved_amount: 0 }).map((p) => p.id)).toEqual(['outflowAboveIncome', 'feeAboveWage']);
    expect(consistencyPrompts({ wage_amount: 10_000, fee_amount: 100, saved_amount: 5000 }, { savedMedian: 500 }).map((p) => p.id)).toEqual(['savingAboveUsual']);
    expect(consistencyPrompts({ wage_amount: 10_000, fee_amount: 100, saved_amount: 1000 }, { savedMedian: 500 })).toEqual([]);
  });

  it('samples about k% of interviews, the same each time', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `p-${i}`);
    const share = ids.filter((id) => inBackCheckSample('s', id, '2026-W48', 10)).length / ids.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    expect(inBackCheckSample('s', 'p-1', '2026-W48', 10)).toBe(inBackCheckSample('s', 'p-1', '2026-W48', 10));
  });
});
