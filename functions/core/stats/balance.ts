/**
 * Balance table: per covariate the arm means and SDs (sample SD, n − 1) and the
 * standardised difference (m₁ − m₀)/√((s₁² + s₀²)/2); and a joint test that
 * assignment is unrelated to the covariates: regress z on an intercept and the
 * covariates (HC2, or CR2 with clusters) and Wald-test all slopes = 0, i.e.
 * estimatr's lm_robust `fstatistic` (df2 = N − K, or J − 1 with clusters).
 */
import { lmRobust } from './ols.js';
import { mean, sampleVariance, assertBinary, assertFiniteVector } from './validate.js';
import { waldTest, type WaldResult } from './wald.js';

export interface BalanceInput {
  z: readonly number[];
  covariates: Readonly<Record<string, readonly number[]>>;
  clusters?: readonly (string | number)[];
}

export interface BalanceRow {
  name: string;
  mean1: number;
  mean0: number;
  sd1: number;
  sd0: number;
  stdDiff: number;
}

export interface BalanceResult {
  rows: BalanceRow[];
  joint: WaldResult;
}

export function balanceTable(input: BalanceInput): BalanceResult {
  const { z, covariates, clusters } = input;
  const n = z.length;
  assertBinary('z', z);
  const names = Object.keys(covariates);
  if (names.length === 0) throw new RangeError('a balance table needs at least one covariate');
  const rows = names.map((name): BalanceRow => {
    const x = covariates[name] as readonly number[];
    if (x.length !== n) throw new RangeError(`covariate "${name}" has length ${x.length}, expected ${n}`);
    assertFiniteVector(name, x);
    const x1 = x.filter((_, i) => z[i] === 1);
    const x0 = x.filter((_, i) => z[i] === 0);
    const v1 = sampleVariance(x1);
    const v0 = sampleVariance(x0);
    const mean1 = mean(x1);
    const mean0 = mean(x0);
    return { name, mean1, mean0, sd1: Math.sqrt(v1), sd0: Math.sqrt(v0), stdDiff: (mean1 - mean0) / Math.sqrt((v1 + v0) / 2) };
  });
  const X = z.map((_, i) => [1, ...names.map((name) => (covariates[name] as readonly number[])[i] as number)]);
  const fit = lmRobust(
    clusters === undefined
      ? { y: z, X, names: ['(Intercept)', ...names], se: 'HC2' }
      : { y: z, X, names: ['(Intercept)', ...names], se: 'CR2', clusters },
  );
  return { rows, joint: waldTest(fit, names) };
}
