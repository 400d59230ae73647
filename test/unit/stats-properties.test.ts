/** Properties of functions/core/stats that hold on any data (fast-check). */
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  RankDeficientError,
  balanceTable,
  benjaminiHochberg,
  differenceInMeans,
  ivRobust,
  leeBounds,
  lmRobust,
} from '../../functions/core/stats/index.js';

/** Survey-like amounts: two decimals in ±1000 (no subnormal noise that makes every estimator ill-posed). */
const value = fc.integer({ min: -100_000, max: 100_000 }).map((v) => v / 100);
const arm = fc.array(value, { minLength: 2, maxLength: 25 });

function near(a: number, b: number, tol = 1e-9): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Two arms as one vector: the treated first, then the control units. */
function twoArms(y1: readonly number[], y0: readonly number[]): { y: number[]; z: number[] } {
  return { y: [...y1, ...y0], z: [...y1.map(() => 1), ...y0.map(() => 0)] };
}

describe('difference in means and HC2', () => {
  it('the HC2 SE of y ~ 1 + z equals the Neyman SE of the difference in means', () => {
    fc.assert(
      fc.property(arm, arm, (y1, y0) => {
        const { y, z } = twoArms(y1, y0);
        const dim = differenceInMeans({ y, z });
        const fit = lmRobust({ y, X: z.map((t) => [1, t]), names: ['(Intercept)', 'z'], se: 'HC2' });
        const coef = fit.coefficients[1];
        expect(near(coef?.estimate as number, dim.estimate)).toBe(true);
        expect(near(coef?.se as number, dim.se, 1e-8)).toBe(true);
        expect(coef?.df).toBe(y.length - 2);
      }),
    );
  });

  it('CR2 with every unit its own cluster has the HC2 variance', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value, fc.boolean()), { minLength: 8, maxLength: 30 }), (rows) => {
        fc.pre(rows.filter((r) => r[2]).length >= 2 && rows.filter((r) => !r[2]).length >= 2);
        const y = rows.map((r) => r[0]);
        const X = rows.map((r) => [1, r[2] ? 1 : 0, r[1]]);
        const names = ['(Intercept)', 'z', 'x'];
        let hc2;
        try {
          hc2 = lmRobust({ y, X, names, se: 'HC2' });
        } catch (e) {
          fc.pre(!(e instanceof RankDeficientError));
          throw e;
        }
        const cr2 = lmRobust({ y, X, names, se: 'CR2', clusters: rows.map((_, i) => i) });
        hc2.vcov.forEach((row, a) => row.forEach((v, b) => expect(near(cr2.vcov[a]?.[b] as number, v, 1e-6)).toBe(true)));
      }),
    );
  });

  it('CR2 equals the textbook m×m formula (A_s from the eigen-decomposition of I − H_ss) on clustered designs', () => {
    // The direct definition, O(m³) per cluster: what lmRobust computes in k×k pieces.
    const direct = (y: number[], X: number[][], clusters: number[]) => {
      const Xm = new Matrix(X);
      const B = inverse(Xm.transpose().mmul(Xm));
      const e = Matrix.columnVector(y).sub(Xm.mmul(B).mmul(Xm.transpose()).mmul(Matrix.columnVector(y)));
      const meat = new Matrix(X[0]!.length, X[0]!.length);
      for (const c of new Set(clusters)) {
        const rows = clusters.flatMap((v, i) => (v === c ? [i] : []));
        const Xs = Xm.selection(rows, X[0]!.map((_, j) => j));
        const M = Matrix.eye(rows.length).sub(Xs.mmul(B).mmul(Xs.transpose()));
        const evd = new EigenvalueDecomposition(M.add(M.transpose()).mul(0.5), { assumeSymmetric: true });
        const f = evd.realEigenvalues.map((l) => (l > 1e-12 ? 1 / Math.sqrt(l) : 0));
        const A = evd.eigenvectorMatrix.mmul(Matrix.diag(f)).mmul(evd.eigenvectorMatrix.transpose());
        const u = Matrix.rowVector(rows.map((i) => e.get(i, 0))).mmul(A).mmul(Xs);
        meat.add(u.transpose().mmul(u));
      }
      return B.mmul(meat).mmul(B).to2DArray();
    };
    const cluster = fc.record({ size: fc.integer({ min: 1, max: 9 }), treated: fc.boolean(), ys: fc.array(fc.tuple(value, value), { minLength: 9, maxLength: 9 }) });
    fc.assert(
      fc.property(fc.array(cluster, { minLength: 4, maxLength: 10 }), (cs) => {
        fc.pre(cs.filter((c) => c.treated).length >= 2 && cs.filter((c) => !c.treated).length >= 2);
        // Treatment is constant within a cluster, as in a cluster-randomized study: X_s is rank-deficient.
        const rows = cs.flatMap((c, id) => c.ys.slice(0, c.size).map(([y, x]) => ({ id, y, X: [1, c.treated ? 1 : 0, x] })));
        const y = rows.map((r) => r.y);
        const X = rows.map((r) => r.X);
        const clusters = rows.map((r) => r.id);
        let fit;
        try {
          fit = lmRobust({ y, X, names: ['(Intercept)', 'z', 'x'], clusters });
        } catch (e) {
          fc.pre(!(e instanceof RankDeficientError));
          throw e;
        }
        const ref = direct(y, X, clusters);
        fit.vcov.forEach((row, a) => row.forEach((v, b) => expect(near(v, ref[a]![b]!, 1e-6), `vcov[${a}][${b}] ${v} vs ${ref[a]![b]}`).toBe(true)));
      }),
      { numRuns: 200 },
    );
  });

  it('2SLS with full compliance is OLS on assignment', () => {
    fc.assert(
      fc.property(arm, arm, (y1, y0) => {
        const { y, z } = twoArms(y1, y0);
        const iv = ivRobust({ y, endogenous: z, instrument: z });
        const ols = lmRobust({ y, X: z.map((t) => [1, t]), names: ['(Intercept)', 'd'] });
        expect(near(iv.effect.estimate, ols.coefficients[1]?.estimate as number)).toBe(true);
        expect(near(iv.effect.se, ols.coefficients[1]?.se as number, 1e-8)).toBe(true);
      }),
    );
  });

  it('names the collinear column of a rank-deficient design', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const X = x.map((v, i) => [1, i % 2, v, 2 * v + 3]);
    expect(() => lmRobust({ y: x.map((v) => v * v), X, names: ['(Intercept)', 'z', 'x', 'x2'] })).toThrow(RankDeficientError);
    expect(() => lmRobust({ y: x.map((v) => v * v), X, names: ['(Intercept)', 'z', 'x', 'x2'] })).toThrow(/"x2"/);
  });
});

describe('Benjamini–Hochberg', () => {
  const pValue = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0.01, 0.05), fc.constant(null));

  it('adjusted p ≥ p, ≤ 1, monotone in p, and NA stays NA', () => {
    fc.assert(
      fc.property(fc.array(pValue, { maxLength: 40 }), (p) => {
        const adj = benjaminiHochberg(p);
        expect(adj).toHaveLength(p.length);
        p.forEach((pi, i) => {
          const ai = adj[i] as number | null;
          if (pi === null) {
            expect(ai).toBeNull();
            return;
          }
          expect(ai).not.toBeNull();
          expect(ai as number).toBeGreaterThanOrEqual(pi);
          expect(ai as number).toBeLessThanOrEqual(1);
          p.forEach((pj, j) => {
            if (pj !== null && pi <= pj) expect(ai as number).toBeLessThanOrEqual(adj[j] as number);
          });
        });
      }),
    );
  });
});

describe('balance table', () => {
  it('the standardised difference is antisymmetric in swapping the arms; the joint F is unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 8, maxLength: 30 }), (rows) => {
        const z = rows.map((r) => (r[2] ? 1 : 0));
        const covariates = { income: rows.map((r) => r[0]), household: rows.map((r) => r[1]) };
        fc.pre(z.filter((t) => t === 1).length >= 3 && z.filter((t) => t === 0).length >= 3);
        let a;
        try {
          a = balanceTable({ z, covariates });
        } catch (e) {
          fc.pre(!(e instanceof RankDeficientError));
          throw e;
        }
        fc.pre(a.rows.every((r) => Number.isFinite(r.stdDiff)));
        const b = balanceTable({ z: z.map((t) => 1 - t), covariates });
        a.rows.forEach((r, i) => {
          const s = b.rows[i] as (typeof b.rows)[number];
          expect(s.stdDiff).toBeCloseTo(-r.stdDiff, 12);
          expect([s.mean1, s.mean0, s.sd1, s.sd0]).toEqual([r.mean0, r.mean1, r.sd0, r.sd1]);
        });
        expect(near(b.joint.F, a.joint.F, 1e-6)).toBe(true);
      }),
    );
  });
});

describe('Lee bounds', () => {
  const outcome = fc.option(fc.integer({ min: 0, max: 50 }), { nil: null, freq: 4 });

  it('lower ≤ upper, and they meet at the difference in observed means when response rates are equal', () => {
    fc.assert(
      fc.property(fc.array(outcome, { minLength: 2, maxLength: 40 }), fc.array(outcome, { minLength: 2, maxLength: 40 }), (y1, y0) => {
        fc.pre(y1.some((v) => v !== null) && y0.some((v) => v !== null));
        const r = leeBounds({ y: [...y1, ...y0], z: [...y1.map(() => 1), ...y0.map(() => 0)] });
        expect(r.lower).toBeLessThanOrEqual(r.upper + 1e-9);
        expect(r.trimmedShare).toBeGreaterThanOrEqual(0);
        expect(r.trimmedShare).toBeLessThan(1);
      }),
    );
    const y = [3, 5, null, 9, 1, 2, null, 4];
    const z = [1, 1, 1, 1, 0, 0, 0, 0];
    const r = leeBounds({ y, z });
    expect([r.lower, r.upper, r.trimmedShare]).toEqual([(17 / 3) - (7 / 3), (17 / 3) - (7 / 3), 0]);
  });
});
