import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeScorecard } from '../../functions/core/scorecard/publish.js';
import { suppressRow } from '../../functions/core/scorecard/suppress.js';
import type { Provider } from '../../functions/core/model.js';
import { seededStudy } from '../support/scorecard-study.js';

/**
 * The feasible values of each withheld cell, from what is published: the row total, the
 * published cells, and that counts are whole and not negative. A one-equation system: each
 * withheld x_i lies in [S - (sum of the others' maxima), S] where S is the total less the
 * published cells, and each other withheld cell can be anything from 0 to S.
 */
function feasibleRanges(total: number, cells: readonly (number | null)[]): [number, number][] {
  const s = total - cells.reduce<number>((a, c) => a + (c ?? 0), 0);
  const hidden = cells.filter((c) => c === null).length;
  return cells.flatMap((c) => (c === null ? [[Math.max(0, s - (hidden - 1) * s), s] as [number, number]] : []));
}

const CATEGORIES = ['fees', 'agent_refused', 'rude', 'fraud', 'other'];

describe('small-cell suppression', () => {
  it('publishes no cell under k and pins no withheld cell from the row total', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 2, max: 15 }), (counts, k) => {
        const total = counts.reduce((a, b) => a + b, 0);
        fc.pre(total >= k);
        const { cells } = suppressRow(counts, k);
        cells.forEach((c, i) => {
          if (c !== null) expect(c).toBe(counts[i]);
          if (c !== null) expect(c).toBeGreaterThanOrEqual(k);
        });
        for (const [lo, hi] of feasibleRanges(total, cells)) {
          expect(hi).toBeGreaterThan(lo);
          // Not even "all of them under k": the withheld cells hold at least k together.
          expect(hi).toBeGreaterThanOrEqual(k);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the solver catches a single withheld cell (the check can fail)', () => {
    expect(feasibleRanges(30, [20, null, 5])).toEqual([[5, 5]]);
    expect(feasibleRanges(30, [20, null, null])).toEqual([[0, 10], [0, 10]]);
  });

  it('holds for whole scorecards computed from random studies', () => {
    const providers: Provider[] = [
      { id: 'mpesa', name: 'M-Pesa', kind: 'mobile_money', publicName: 'Safaricom M-Pesa' },
      { id: 'kcb', name: 'KCB', kind: 'bank' },
      { id: 'agent', name: 'Agents', kind: 'agent' },
    ];
    let rows = 0;
    let withheld = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 5, max: 60 }), fc.double({ min: 0.01, max: 0.4, noNaN: true }), (seed, k, n, rate) => {
        const study = seededStudy(seed, { studyId: 'rs', participants: n, weeks: ['2026-W10', '2026-W11', '2026-W14'], providers, rate: { mpesa: rate, kcb: rate / 3, agent: rate / 9 }, categories: CATEGORIES });
        const doc = computeScorecard([study], { k, now: new Date('2026-05-01T00:00:00Z'), categories: CATEGORIES.map((name) => ({ name, label: name })) });
        rows += doc.rows.length;
        for (const row of doc.rows) {
          withheld += Object.values(row.byCategory).filter((c) => c === null).length;
          expect(row.complaints).toBeGreaterThanOrEqual(k);
          expect(row.participantWeeks).toBeGreaterThanOrEqual(k);
          if (row.kudos !== null) expect(row.kudos).toBeGreaterThanOrEqual(k);
          const cells = CATEGORIES.map((c) => row.byCategory[c] ?? null);
          for (const c of cells) if (c !== null) expect(c).toBeGreaterThanOrEqual(k);
          for (const [lo, hi] of feasibleRanges(row.complaints, cells)) expect(hi).toBeGreaterThan(lo);
        }
      }),
      { numRuns: 60 },
    );
    // The property is about something: rows were published, and some with cells withheld.
    expect(rows).toBeGreaterThan(0);
    expect(withheld).toBeGreaterThan(0);
  });
});
