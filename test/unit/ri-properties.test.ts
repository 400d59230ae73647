/** Properties of randomization inference (functions/core/stats/ri.ts) on any data (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assign, prepareProcedure, supportSize, type AssignmentProcedure, type RandomizationUnit } from '../../functions/core/randomize/index.js';
import { randomizationInference } from '../../functions/core/stats/ri.js';
import { riStatistic, type RiEstimator } from '../../functions/core/stats/ri-statistics.js';

const ARMS = [{ armId: 'control', ratio: 1 }, { armId: 'treatment', ratio: 1 }];
const value = fc.integer({ min: -10_000, max: 10_000 }).map((v) => v / 100);
const seed = fc.integer({ min: 0, max: 0xffff_ffff });

/** The observed assignment: the procedure's own draw with the study's seed, as assign() makes it. */
function observedOf(procedure: AssignmentProcedure, units: readonly RandomizationUnit[], s: number): Uint16Array {
  const result = assign(units, { method: procedure.method, arms: ARMS }, s);
  const z = new Uint16Array(procedure.elementNames.length);
  procedure.units.forEach((u, i) => {
    z[procedure.elementOfUnit[i] as number] = procedure.arms.findIndex((a) => a.armId === result.assignments.get(u.id));
  });
  return z;
}

function stat(procedure: AssignmentProcedure, y: readonly (number | null)[], estimator: RiEstimator, extra: { generic?: boolean; blocks?: string[]; clusters?: string[] } = {}) {
  return riStatistic({ procedure, y, treatedArm: 'treatment', controlArm: 'control', estimator, ...extra });
}

const complete = (n: number): RandomizationUnit[] => Array.from({ length: n }, (_, i) => ({ id: `u${String(i).padStart(2, '0')}` }));
const clusteredUnits = (sizes: readonly number[], blocks = 1): RandomizationUnit[] =>
  sizes.flatMap((size, c) => Array.from({ length: size }, (_, i) => ({ id: `c${String(c).padStart(2, '0')}-${i}`, cluster: `c${String(c).padStart(2, '0')}`, block: `b${c % blocks}` })));

describe('exact randomization inference', () => {
  it('the exact p-value is a multiple of 1/(number of assignments)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(2, 4, 6), { minLength: 1, maxLength: 3 }), seed, fc.infiniteStream(value), (blockSizes, s, ys) => {
        const units = blockSizes.flatMap((size, b) => Array.from({ length: size }, (_, i) => ({ id: `b${b}-${i}`, block: `b${b}` })));
        const procedure = prepareProcedure(units, { method: 'block', arms: ARMS });
        const y = procedure.units.map(() => ys.next().value as number);
        const r = randomizationInference(procedure, observedOf(procedure, units, s), stat(procedure, y, 'dim').statistic);
        const count = supportSize(procedure);
        expect(r.exact).toBe(true);
        expect(count.fixed && count.count).toBe(r.permutations);
        expect(Math.abs(r.p * r.permutations - Math.round(r.p * r.permutations))).toBeLessThan(1e-9);
        expect(r.p).toBeGreaterThanOrEqual(1 / r.permutations);
      }),
      { numRuns: 40 },
    );
  });

  it('a constant outcome gives p = 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), value, seed, fc.constantFrom<RiEstimator>('dim', 'ols'), (half, c, s, estimator) => {
        const units = complete(2 * half);
        const procedure = prepareProcedure(units, { method: 'complete', arms: ARMS });
        const r = randomizationInference(procedure, observedOf(procedure, units, s), stat(procedure, procedure.units.map(() => c), estimator).statistic);
        expect(r.p).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  it('a perfectly separated complete design gives p = 1/(number of assignments), or 2/ when the mirror assignment is possible', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 12 }), fc.integer({ min: 1, max: 3 }), seed, value, fc.integer({ min: 1, max: 500 }), (n, k, s, base, gap) => {
        // Ratios 1:k treat n/(k+1) units; keep n a multiple of k+1 so arm sizes are fixed.
        const size = n - (n % (k + 1));
        const arms = [{ armId: 'control', ratio: k }, { armId: 'treatment', ratio: 1 }];
        const units = complete(size);
        const procedure = prepareProcedure(units, { method: 'complete', arms });
        const observed = new Uint16Array(procedure.elementNames.length);
        procedure.draw(s, observed);
        const t = procedure.arms.findIndex((a) => a.armId === 'treatment');
        // Every treated outcome above every control outcome.
        const y = procedure.units.map((_, i) => (observed[i] === t ? base + gap : base));
        const r = randomizationInference(procedure, observed, riStatistic({ procedure, y, treatedArm: 'treatment', controlArm: 'control', estimator: 'dim' }).statistic);
        // Two-sided: with equal arms the swapped assignment is as extreme (−T); otherwise it is not.
        expect(r.p * r.permutations).toBeCloseTo(k === 1 ? 2 : 1, 9);
      }),
      { numRuns: 40 },
    );
  });
});

describe('the O(clusters) statistics equal the estimators they stand for', () => {
  it('difference in means (blocked or not) and the CR2 t, on any draw of a cluster design', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 6, maxLength: 12 }), fc.constantFrom(1, 2), seed, fc.infiniteStream(value), (sizes, blocks, s, ys) => {
        const units = clusteredUnits(sizes, blocks);
        const method = blocks > 1 ? 'block_cluster' : 'cluster';
        const procedure = prepareProcedure(units, { method, arms: ARMS });
        // Some outcomes missing: those units stay in the draws but not in the statistic.
        const y = procedure.units.map((_, i) => (i % 7 === 3 ? null : (ys.next().value as number)));
        const clusters = procedure.units.map((u) => u.cluster as string);
        const blockOf = procedure.units.map((u) => u.block as string);
        const pairs: [ReturnType<typeof stat>, ReturnType<typeof stat>][] = [
          [stat(procedure, y, 'dim'), stat(procedure, y, 'dim', { generic: true })],
          [stat(procedure, y, 'cr2', { clusters }), stat(procedure, y, 'cr2', { clusters, generic: true })],
        ];
        if (blocks > 1) pairs.push([stat(procedure, y, 'dim', { blocks: blockOf }), stat(procedure, y, 'dim', { blocks: blockOf, generic: true })]);
        const z = new Uint16Array(procedure.elementNames.length);
        for (let m = 0; m < 5; m++) {
          procedure.draw((s + m) >>> 0, z);
          for (const [fast, generic] of pairs) {
            expect(fast.fast && !generic.fast).toBe(true);
            const a = fast.statistic(z);
            const b = generic.statistic(z);
            if (Number.isNaN(b)) continue; // the estimator refused (e.g. one observed cluster in an arm)
            expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('Monte Carlo randomization inference', () => {
  const units = clusteredUnits([3, 5, 2, 4, 6, 3, 4, 2, 5, 3, 4, 6], 2);
  const procedure = prepareProcedure(units, { method: 'block_cluster', arms: ARMS });
  const y = procedure.units.map((u, i) => Number(u.cluster?.slice(1)) * 0.3 + ((i * 37) % 11) / 4);
  const observed = observedOf(procedure, units, 7);
  const { statistic } = stat(procedure, y, 'dim');
  const exact = randomizationInference(procedure, observed, statistic);

  it('is seeded (same seed, same p), a multiple of 1/M, and within 4 MC SE of the exact p', () => {
    expect(exact.exact).toBe(true);
    expect(exact.permutations).toBe(400); // C(6,3)² clusters per block
    const mc = randomizationInference(procedure, observed, statistic, { limit: 399, permutations: 2000, seed: 11 });
    expect(mc.exact).toBe(false);
    expect(mc.reason).toContain('more than the limit of 399');
    expect(mc.permutations).toBe(2000);
    expect(randomizationInference(procedure, observed, statistic, { limit: 399, permutations: 2000, seed: 11 }).p).toBe(mc.p);
    expect(Number.isInteger(Math.round(mc.p * 2000 * 1e6) / 1e6)).toBe(true);
    const se = Math.sqrt((exact.p * (1 - exact.p)) / 2000);
    expect(Math.abs(mc.p - exact.p)).toBeLessThanOrEqual(4 * se);
    expect(mc.mcSe).toBeCloseTo(Math.sqrt((mc.p * (1 - mc.p)) / 2000), 12);
  });

  it('falls back to Monte Carlo, saying why, when arm sizes are drawn (an odd number of clusters)', () => {
    const odd = clusteredUnits([2, 3, 2, 4, 3]);
    const p = prepareProcedure(odd, { method: 'cluster', arms: ARMS });
    const r = randomizationInference(p, observedOf(p, odd, 3), stat(p, p.units.map((_, i) => i), 'dim').statistic, { permutations: 500 });
    expect(r.exact).toBe(false);
    expect(r.reason).toContain('arm sizes are drawn, not fixed');
  });

  it('rejects a bad limit, a bad number of permutations and an arm not in the design', () => {
    expect(() => randomizationInference(procedure, observed, statistic, { limit: 0 })).toThrow('the enumeration limit must be a positive integer');
    expect(() => randomizationInference(procedure, observed, statistic, { permutations: 2.5 })).toThrow('the number of permutations must be a positive integer');
    expect(() => riStatistic({ procedure, y, treatedArm: 'lessons', controlArm: 'control', estimator: 'dim' })).toThrow('arm "lessons" is not in the design');
  });
});

describe('the O(clusters) regression statistics equal lmRobust draw by draw', () => {
  it('Lin and plain covariate-adjusted coefficient and CR2 t, cluster and block_cluster designs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 8, maxLength: 12 }), fc.constantFrom(1, 2), fc.boolean(), seed, fc.infiniteStream(value), (sizes, blocks, lin, s, vs) => {
        const units = clusteredUnits(sizes, blocks);
        const procedure = prepareProcedure(units, { method: blocks > 1 ? 'block_cluster' : 'cluster', arms: ARMS });
        const y = procedure.units.map((_, i) => (i % 5 === 2 ? null : (vs.next().value as number)));
        const covariates = { x1: procedure.units.map(() => vs.next().value as number), x2: procedure.units.map(() => Math.round(vs.next().value as number) % 3) };
        const clusters = procedure.units.map((u) => u.cluster as string);
        const pairs = (['ols', 'cr2'] as const).map((estimator) => {
          const make = (generic: boolean) => riStatistic({ procedure, y, treatedArm: 'treatment', controlArm: 'control', estimator, covariates, clusters, lin, generic });
          return [make(false), make(true)] as const;
        });
        const z = new Uint16Array(procedure.elementNames.length);
        for (let m = 0; m < 4; m++) {
          procedure.draw((s + 31 * m) >>> 0, z);
          for (const [fast, generic] of pairs) {
            expect(fast.fast && !generic.fast).toBe(true);
            const b = generic.statistic(z);
            if (!Number.isFinite(b)) continue; // lmRobust refused (rank, too few rows)
            expect(Math.abs(fast.statistic(z) - b)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(b)));
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
