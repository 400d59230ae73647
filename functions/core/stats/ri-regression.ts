import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import { EIGEN_TOL, thinSvd } from './ols.js';
import type { RiStatistic } from './ri.js';

/**
 * The regression statistics of randomization inference (the Lin or plain covariate-adjusted
 * coefficient, and its CR2 t) in O(clusters · k³) a draw instead of a fit on N rows, when the
 * treatment is constant within each group (cluster of the CR2, or randomized element). Then every
 * group's rows are X_s = B_s·T(z_s), with B_s = [1, x_s] fixed and T(z) a k-column selection that
 * copies B's columns into the treatment and interaction columns when z = 1 (zeros when z = 0):
 *  - X′X = Σ T_s′(B_s′B_s)T_s and X′y = Σ T_s′B_s′y_s, from per-group sums precomputed once;
 *  - CR2: with B_s = U_s·R_s (U_s orthonormal, rank columns, R_s = D_sV_s′),
 *    H_ss = U_s C_s U_s′ with C_s = P_s (X′X)⁻¹ P_s′, P_s = R_s T_s, so
 *    X_s′A_s e_s = P_s′ (I − C_s)^(−1/2) (U_s′y_s − P_s b), the same algebra as stats/ols.ts
 *    (eigenvalues ≤ 1e-12 map to 0, directions below 1e-10 of the largest singular value dropped).
 * Checked against lmRobust draw by draw in test/unit/ri-properties.test.ts.
 */


interface Group {
  /** Randomized element of the group (its treatment). */
  element: number;
  /** B_s′B_s (q×q) and B_s′y_s (q). */
  btb: Matrix;
  bty: number[];
  /** R_s (r×q) and U_s′y_s (r): CR2 only. */
  R?: Matrix;
  uty?: number[];
}

/** The columns of X: (Intercept), treatment, covariates, and with Lin the treatment × covariate interactions. */
function selection(q: number, lin: boolean): { k: number; base: number[]; treated: number[] } {
  // base[j]: which column of B feeds column j for everyone (−1: none); treated[j]: which feeds it when z = 1 only.
  const base: number[] = [0, -1];
  const treated: number[] = [-1, 0];
  for (let c = 1; c < q; c++) {
    base.push(c);
    treated.push(-1);
  }
  if (lin) {
    for (let c = 1; c < q; c++) {
      base.push(-1);
      treated.push(c);
    }
  }
  return { k: base.length, base, treated };
}

/** T(z): q×k. */
function tMatrix(q: number, sel: ReturnType<typeof selection>, z: 0 | 1): Matrix {
  const T = new Matrix(q, sel.k);
  for (let j = 0; j < sel.k; j++) {
    const b = sel.base[j] as number;
    const t = sel.treated[j] as number;
    if (b >= 0) T.set(b, j, 1);
    if (z === 1 && t >= 0) T.set(t, j, 1);
  }
  return T;
}

export interface GroupedRegressionInput {
  /** Observed units: outcome, covariates (already centred for Lin), group key and element. */
  y: readonly number[];
  x: readonly (readonly number[])[];
  group: readonly string[];
  element: readonly number[];
  lin: boolean;
  /** The statistic: the treatment coefficient, or its CR2 t with the groups as clusters. */
  kind: 'coefficient' | 'cr2t';
  treatedArm: number;
  controlArm: number;
}

export function groupedRegressionStatistic(input: GroupedRegressionInput): RiStatistic {
  const { y, x, lin, kind, treatedArm, controlArm } = input;
  const q = 1 + (x[0]?.length ?? 0);
  const sel = selection(q, lin);
  const T = [tMatrix(q, sel, 0), tMatrix(q, sel, 1)] as const;
  const rowsOf = new Map<string, number[]>();
  input.group.forEach((g, i) => {
    const rows = rowsOf.get(g);
    if (rows) rows.push(i);
    else rowsOf.set(g, [i]);
  });
  const groups: Group[] = [...rowsOf.values()].map((rows) => {
    const B = new Matrix(rows.map((i) => [1, ...(x[i] as readonly number[])]));
    const ys = Matrix.columnVector(rows.map((i) => y[i] as number));
    const g: Group = { element: input.element[rows[0] as number] as number, btb: B.transpose().mmul(B), bty: B.transpose().mmul(ys).getColumn(0) };
    if (kind === 'cr2t') {
      const { U, DVt } = thinSvd(B);
      g.R = DVt;
      g.uty = U.transpose().mmul(ys).getColumn(0);
    }
    return g;
  });
  const zCol = 1; // the treatment column

  return (z) => {
    const xtx = new Matrix(sel.k, sel.k);
    const xty = new Matrix(sel.k, 1);
    const active: { g: Group; t: Matrix }[] = [];
    for (const g of groups) {
      const a = z[g.element];
      if (a !== treatedArm && a !== controlArm) continue;
      const t = T[a === treatedArm ? 1 : 0];
      active.push({ g, t });
      xtx.add(t.transpose().mmul(g.btb).mmul(t));
      xty.add(t.transpose().mmul(Matrix.columnVector(g.bty)));
    }
    let M: Matrix;
    try {
      M = solve(xtx, Matrix.eye(sel.k));
    } catch {
      return Number.NaN;
    }
    const b = M.mmul(xty);
    if (kind === 'coefficient') return b.get(zCol, 0);
    const meat = new Matrix(sel.k, sel.k);
    for (const { g, t } of active) {
      const P = (g.R as Matrix).mmul(t); // r×k
      if (P.rows === 0) continue;
      const C = P.mmul(M).mmul(P.transpose());
      const I = Matrix.eye(P.rows).sub(C);
      const evd = new EigenvalueDecomposition(I.add(I.transpose()).mul(0.5), { assumeSymmetric: true });
      const Q = evd.eigenvectorMatrix;
      const f = evd.realEigenvalues.map((l) => (l > EIGEN_TOL ? 1 / Math.sqrt(l) : 0));
      const resid = Matrix.columnVector(g.uty as number[]).sub(P.mmul(b));
      const u = P.transpose().mmul(Q.mmul(Matrix.diag(f)).mmul(Q.transpose()).mmul(resid)); // k×1
      meat.add(u.mmul(u.transpose()));
    }
    const V = M.mmul(meat).mmul(M);
    return b.get(zCol, 0) / Math.sqrt(V.get(zCol, zCol));
  };
}
