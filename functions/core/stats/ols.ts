/**
 * OLS with heteroskedasticity- or cluster-robust standard errors, matching
 * estimatr's `lm_robust` (estimatr 1.0.x, unweighted, no fixed effects):
 *
 *  - HC2: (X′X)⁻¹ X′ diag(e²/(1 − h_ii)) X (X′X)⁻¹ with df = N − K. As estimatr,
 *    an observation whose e²/(1 − h_ii) is not finite (a perfect fit, h_ii = 1)
 *    contributes 0.
 *  - CR2 (Bell & McCaffrey 2002): (X′X)⁻¹ Σ_s X_s′A_s e_s e_s′A_s X_s (X′X)⁻¹ with
 *    A_s = (I − H_ss)^(−1/2), taken from the symmetric eigen-decomposition of
 *    I − H_ss where eigenvalues ≤ 1e-12 map to 0 (a pseudo-inverse square root,
 *    estimatr's rule). No small-sample factor is applied.
 *    Degrees of freedom per coefficient are the Bell–McCaffrey / Pustejovsky–
 *    Tipton Satterthwaite df under the working model Var(e) = σ²I, which is what
 *    estimatr reports (and clubSandwich's `coef_test(..., "Satterthwaite")`):
 *    with g_s = A_s X_s (X′X)⁻¹ c for the coefficient c and the J×J matrix
 *    U = G′(I − H)G (G holds g_s in cluster s's rows),
 *    df = tr(U)² / Σ_ij U_ij². Since the g_s occupy disjoint rows,
 *    U = diag(‖g_s‖²) − W′(X′X)⁻¹W with w_s = X_s′g_s.
 *
 * Matrix algebra uses `ml-matrix` (maintained, typed, no native code): QR for the
 * coefficients and (X′X)⁻¹ = R⁻¹R⁻ᵀ, symmetric EVD for (I − H_ss)^(−1/2), SVD for
 * the rank check.
 */
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition, inverse } from 'ml-matrix';
import { tInference, type TInference } from './dist.js';
import { assertFiniteVector, mean } from './validate.js';

export type RobustSeType = 'HC2' | 'CR2';

export interface LmRobustInput {
  y: readonly number[];
  /** Design matrix, one row per unit (include the intercept column yourself, or use designMatrix). */
  X: readonly (readonly number[])[];
  /** One name per column of X. */
  names: readonly string[];
  /** Default: CR2 when clusters are given, HC2 otherwise (estimatr's defaults). */
  se?: RobustSeType;
  clusters?: readonly (string | number)[];
  alpha?: number;
}

export interface CoefficientResult extends TInference {
  term: string;
}

export interface LmRobustResult {
  coefficients: CoefficientResult[];
  /** Robust variance–covariance matrix, in the order of `names`. */
  vcov: number[][];
  n: number;
  k: number;
  se: RobustSeType;
  /** N − K. */
  dfResidual: number;
  /** Number of clusters (CR2 only). */
  nClusters?: number;
}

/** Thrown when X does not have full column rank; names the columns that are linear combinations of earlier ones. */
export class RankDeficientError extends Error {
  readonly collinear: readonly string[];
  constructor(collinear: readonly string[]) {
    super(
      `design matrix is rank deficient: ${collinear.map((c) => `"${c}"`).join(', ')} ` +
        'is a linear combination of earlier columns (or constant zero); drop it and refit',
    );
    this.name = 'RankDeficientError';
    this.collinear = collinear;
  }
}

/** Relative tolerance for collinearity, as R's `lm` (qr tol = 1e-7) on unit-norm columns. */
const RANK_TOL = 1e-7;
/** estimatr: eigenvalues of I − H_ss at or below this are treated as 0 in the inverse square root. */
export const EIGEN_TOL = 1e-12;

function toMatrix(rows: readonly (readonly number[])[], k: number, what: string): Matrix {
  const m = new Matrix(rows.length, k);
  rows.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`${what} row ${i} has ${row.length} columns, expected ${k}`);
    assertFiniteVector(`${what}[${i}]`, row);
    for (let j = 0; j < k; j++) m.set(i, j, row[j] as number);
  });
  return m;
}

function unitColumns(X: Matrix, cols: readonly number[]): Matrix | undefined {
  const out = new Matrix(X.rows, cols.length);
  for (let c = 0; c < cols.length; c++) {
    const col = X.getColumn(cols[c] as number);
    let ss = 0;
    for (const v of col) ss += v * v;
    const norm = Math.sqrt(ss);
    if (norm === 0) return undefined;
    for (let i = 0; i < X.rows; i++) out.set(i, c, (col[i] as number) / norm);
  }
  return out;
}

function isFullRank(X: Matrix, cols: readonly number[]): boolean {
  const U = unitColumns(X, cols);
  if (U === undefined) return false;
  const s = new SingularValueDecomposition(U, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
  const max = Math.max(...s);
  const min = Math.min(...s);
  return min > RANK_TOL * max;
}

/** Throws RankDeficientError when X (n×k) has rank < k; scans columns left to right as R's lm does. */
export function assertFullRank(X: Matrix, names: readonly string[]): void {
  const all = Array.from({ length: X.columns }, (_, j) => j);
  if (X.rows >= X.columns && isFullRank(X, all)) return;
  const kept: number[] = [];
  const collinear: string[] = [];
  for (const j of all) {
    if (kept.length < X.rows && isFullRank(X, [...kept, j])) kept.push(j);
    else collinear.push(names[j] ?? `X${j + 1}`);
  }
  throw new RankDeficientError(collinear);
}

function groupRows(clusters: readonly (string | number)[]): number[][] {
  const groups = new Map<string, number[]>();
  clusters.forEach((c, i) => {
    const key = `${typeof c}:${String(c)}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [i]);
    else g.push(i);
  });
  return [...groups.values()];
}

interface RobustVariance {
  vcov: Matrix;
  df: number[];
}

function hc2(Xv: Matrix, B: Matrix, e: readonly number[]): RobustVariance {
  const n = Xv.rows;
  const k = Xv.columns;
  const XB = Xv.mmul(B);
  const half = new Matrix(n, k);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = 0; j < k; j++) h += XB.get(i, j) * Xv.get(i, j);
    let omega = (e[i] as number) ** 2 / (1 - h);
    if (!Number.isFinite(omega)) omega = 0;
    const s = Math.sqrt(omega);
    for (let j = 0; j < k; j++) half.set(i, j, Xv.get(i, j) * s);
  }
  const meat = half.transpose().mmul(half);
  return { vcov: B.mmul(meat).mmul(B), df: new Array<number>(k).fill(n - k) };
}

/** Relative size below which a singular value of X_s counts as 0 (its direction is not in the span). */
const SPAN_TOL = 1e-10;

/**
 * X_s = U·DVt with U (m×p) orthonormal and p = rank(X_s): CR2 then needs only p×k algebra
 * per cluster, so a cluster of 500 rows costs O(500·k²) rather than an O(500³) eigenproblem.
 */
export function thinSvd(Xs: Matrix): { U: Matrix; DVt: Matrix } {
  const svd = new SingularValueDecomposition(Xs, { autoTranspose: true });
  const d = svd.diagonal;
  const max = Math.max(0, ...d);
  const keep = d.map((v, i) => (v > SPAN_TOL * max ? i : -1)).filter((i) => i >= 0);
  const Uall = svd.leftSingularVectors;
  const Vall = svd.rightSingularVectors;
  const U = new Matrix(Xs.rows, keep.length);
  const DVt = new Matrix(keep.length, Xs.columns);
  keep.forEach((j, c) => {
    for (let i = 0; i < Xs.rows; i++) U.set(i, c, Uall.get(i, j));
    for (let i = 0; i < Xs.columns; i++) DVt.set(c, i, (d[j] as number) * Vall.get(i, j));
  });
  return { U, DVt };
}

function cr2(Xv: Matrix, B: Matrix, e: readonly number[], groups: readonly number[][]): RobustVariance {
  const k = Xv.columns;
  const J = groups.length;
  const allCols = Array.from({ length: k }, (_, j) => j);
  const meat = new Matrix(k, k);
  // Per cluster s: W_s = X_s′A_s X_s B (column c is w_s for coefficient c) and ‖g_s‖² per coefficient.
  const Ws: Matrix[] = [];
  const gNorm2 = new Matrix(k, J);
  groups.forEach((rows, s) => {
    const { U, DVt } = thinSvd(Xv.selection(rows, allCols));
    const p = DVt.rows;
    if (p === 0) {
      // A cluster whose rows are all zero adds nothing to the meat and has g_s = 0.
      Ws.push(new Matrix(k, k));
      return;
    }
    // With X_s = U·DVt (U orthonormal, p columns): H_ss = U C U′ where C = DVt B DVt′, so
    // I − H_ss has eigenvalue 1 off span(U) and those of I − C on it. Then
    // A_s X_s = U (I − C)^(−1/2) DVt: every product below is p×k or k×k, never m×m.
    const C = DVt.mmul(B).mmul(DVt.transpose());
    const M = Matrix.eye(p).sub(C);
    const evd = new EigenvalueDecomposition(M.add(M.transpose()).mul(0.5), { assumeSymmetric: true });
    const V = evd.eigenvectorMatrix;
    const f = evd.realEigenvalues.map((l) => (l > EIGEN_TOL ? 1 / Math.sqrt(l) : 0));
    const AXcore = V.mmul(Matrix.diag(f)).mmul(V.transpose()).mmul(DVt); // p×k: A_s X_s = U·AXcore
    const eU = Matrix.rowVector(rows.map((i) => e[i] as number)).mmul(U); // 1×p
    const u = eU.mmul(AXcore); // e_s′A_s X_s, 1×k
    meat.add(u.transpose().mmul(u));
    const Z = AXcore.mmul(B); // p×k; G_s = U·Z, so column norms of G_s are those of Z
    for (let c = 0; c < k; c++) {
      let ss = 0;
      for (let i = 0; i < p; i++) ss += Z.get(i, c) ** 2;
      gNorm2.set(c, s, ss);
    }
    Ws.push(DVt.transpose().mmul(Z)); // X_s′G_s = DVt′ U′U Z
  });
  const vcov = B.mmul(meat).mmul(B);

  const df: number[] = [];
  for (let c = 0; c < k; c++) {
    const W = new Matrix(k, J);
    Ws.forEach((Wsm, s) => {
      for (let r = 0; r < k; r++) W.set(r, s, Wsm.get(r, c));
    });
    const U = W.transpose().mmul(B).mmul(W).mul(-1);
    for (let s = 0; s < J; s++) U.set(s, s, U.get(s, s) + gNorm2.get(c, s));
    let trace = 0;
    let sumSq = 0;
    for (let a = 0; a < J; a++) {
      trace += U.get(a, a);
      for (let b = 0; b < J; b++) sumSq += U.get(a, b) ** 2;
    }
    df.push((trace * trace) / sumSq);
  }
  return { vcov, df };
}

/** Inputs to the shared robust fit: for OLS Xv = Xr = X; for 2SLS Xv = X̂ (first-stage fits), Xr = X. */
export interface RobustFitSpec {
  /** Matrix the coefficients are solved on and the variance is built from. */
  Xv: Matrix;
  /** Matrix the residuals are taken with: e = y − Xr·b. */
  Xr: Matrix;
  y: readonly number[];
  names: readonly string[];
  se: RobustSeType;
  clusters?: readonly (string | number)[];
  alpha: number;
}

/** Shared by lmRobust and ivRobust (estimatr's lm_robust_fit with iv_stage 0 or 2). */
export function robustFit(spec: RobustFitSpec): LmRobustResult {
  const { Xv, Xr, y, names, se, clusters, alpha } = spec;
  const n = Xv.rows;
  const k = Xv.columns;
  if (n <= k) throw new RangeError(`need more observations (${n}) than coefficients (${k})`);
  assertFullRank(Xv, names);

  const qr = new QrDecomposition(Xv);
  const b = qr.solve(Matrix.columnVector([...y])).getColumn(0);
  const Rinv = inverse(qr.upperTriangularMatrix);
  const B = Rinv.mmul(Rinv.transpose()); // (Xv′Xv)⁻¹
  const fitted = Xr.mmul(Matrix.columnVector(b)).getColumn(0);
  const e = y.map((v, i) => v - (fitted[i] as number));

  let variance: RobustVariance;
  let nClusters: number | undefined;
  if (se === 'HC2') {
    if (clusters !== undefined) throw new RangeError('HC2 does not take clusters; use CR2');
    variance = hc2(Xv, B, e);
  } else {
    if (clusters === undefined) throw new RangeError('CR2 needs clusters');
    const groups = groupRows(clusters);
    if (groups.length < 2) throw new RangeError('CR2 needs at least two clusters');
    nClusters = groups.length;
    variance = cr2(Xv, B, e, groups);
  }

  const vcov = variance.vcov.to2DArray();
  const coefficients = names.map((term, j) => ({
    term,
    ...tInference(b[j] as number, Math.sqrt(variance.vcov.get(j, j)), variance.df[j] as number, alpha),
  }));
  const result: LmRobustResult = { coefficients, vcov, n, k, se, dfResidual: n - k };
  if (nClusters !== undefined) result.nClusters = nClusters;
  return result;
}

export function lmRobust(input: LmRobustInput): LmRobustResult {
  const { y, X, names, clusters, alpha = 0.05 } = input;
  const se: RobustSeType = input.se ?? (clusters === undefined ? 'HC2' : 'CR2');
  const n = y.length;
  if (X.length !== n) throw new RangeError(`X has ${X.length} rows, y has ${n} values`);
  if (clusters !== undefined && clusters.length !== n) throw new RangeError(`clusters has length ${clusters.length}, expected ${n}`);
  assertFiniteVector('y', y);
  const k = names.length;
  const Xm = toMatrix(X, k, 'X');
  const spec: RobustFitSpec = { Xv: Xm, Xr: Xm, y, names, se, alpha };
  if (clusters !== undefined) spec.clusters = clusters;
  return robustFit(spec);
}

export interface DesignMatrixOptions {
  /** Add a leading "(Intercept)" column of ones. */
  intercept: boolean;
  /** Name of the 0/1 treatment field (omit for a covariates-only design, e.g. a balance regression). */
  treatment?: string;
  covariates?: readonly string[];
  /**
   * Lin (2013), as estimatr's lm_lin: covariates are mean-centred (named `x_c`) and
   * interacted with the treatment (`treatment:x_c`); needs `treatment`.
   */
  lin?: boolean;
}

export interface DesignMatrix {
  X: number[][];
  names: string[];
}

/**
 * Builds X from records. Column order: (Intercept), treatment, covariates, then for
 * Lin the treatment × centred-covariate interactions — estimatr's order and names.
 */
export function designMatrix(rows: readonly Readonly<Record<string, number>>[], options: DesignMatrixOptions): DesignMatrix {
  const { intercept, treatment, covariates = [], lin = false } = options;
  if (lin && treatment === undefined) throw new RangeError('the Lin adjustment needs a treatment');
  const value = (row: Readonly<Record<string, number>>, field: string, i: number): number => {
    const v = row[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`row ${i}: "${field}" must be a finite number`);
    return v;
  };
  const centres = new Map<string, number>();
  if (lin) for (const c of covariates) centres.set(c, mean(rows.map((r, i) => value(r, c, i))));
  const names: string[] = [];
  if (intercept) names.push('(Intercept)');
  if (treatment !== undefined) names.push(treatment);
  for (const c of covariates) names.push(lin ? `${c}_c` : c);
  if (lin) for (const c of covariates) names.push(`${treatment as string}:${c}_c`);
  const X = rows.map((row, i) => {
    const out: number[] = [];
    if (intercept) out.push(1);
    const t = treatment === undefined ? 0 : value(row, treatment, i);
    if (treatment !== undefined) out.push(t);
    const cov = covariates.map((c) => value(row, c, i) - (centres.get(c) ?? 0));
    out.push(...cov);
    if (lin) out.push(...cov.map((x) => t * x));
    return out;
  });
  return { X, names };
}
