/**
 * Robust Wald test of linear restrictions R·b = r:
 *   F = (Rb − r)′ (R V R′)⁻¹ (Rb − r) / q,  p = P(F_{q, df2} > F),
 * with V the robust (HC2 or CR2) vcov. The default denominator df is the one
 * estimatr's lm_robust uses for its `fstatistic`: N − K for HC2, J − 1 (clusters)
 * for CR2. Testing all non-intercept coefficients reproduces that fstatistic.
 */
import { Matrix, solve } from 'ml-matrix';
import { fPValue } from './dist.js';
import type { LmRobustResult } from './ols.js';

export interface WaldResult {
  F: number;
  df1: number;
  df2: number;
  p: number;
}

export interface LinearWaldInput {
  beta: readonly number[];
  vcov: readonly (readonly number[])[];
  /** q × K restriction matrix. */
  R: readonly (readonly number[])[];
  /** Right-hand side (default 0). */
  r?: readonly number[];
  df2: number;
}

export function waldTestLinear(input: LinearWaldInput): WaldResult {
  const { beta, vcov, R, df2 } = input;
  const q = R.length;
  const k = beta.length;
  if (q === 0) throw new RangeError('a Wald test needs at least one restriction');
  if (R.some((row) => row.length !== k)) throw new RangeError(`every restriction row needs ${k} entries`);
  const r = input.r ?? new Array<number>(q).fill(0);
  if (r.length !== q) throw new RangeError(`r has length ${r.length}, expected ${q}`);
  const Rm = new Matrix(R.map((row) => [...row]));
  const V = new Matrix(vcov.map((row) => [...row]));
  const d = Rm.mmul(Matrix.columnVector([...beta])).sub(Matrix.columnVector([...r]));
  const RVR = Rm.mmul(V).mmul(Rm.transpose());
  const x = solve(RVR, d);
  const F = d.transpose().mmul(x).get(0, 0) / q;
  return { F, df1: q, df2, p: fPValue(F, q, df2) };
}

/** Joint test that the named coefficients of a robust fit are all zero. */
export function waldTest(fit: LmRobustResult, terms: readonly string[], options: { df2?: number } = {}): WaldResult {
  const k = fit.coefficients.length;
  const R = terms.map((term) => {
    const j = fit.coefficients.findIndex((c) => c.term === term);
    if (j < 0) throw new RangeError(`no coefficient named "${term}"`);
    const row = new Array<number>(k).fill(0);
    row[j] = 1;
    return row;
  });
  const df2 = options.df2 ?? (fit.se === 'CR2' ? (fit.nClusters as number) - 1 : fit.dfResidual);
  return waldTestLinear({ beta: fit.coefficients.map((c) => c.estimate), vcov: fit.vcov, R, df2 });
}
