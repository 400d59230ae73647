import { lmRobust } from './ols.js';
import { assertFiniteVector, mean } from './validate.js';

/**
 * What a power calculation needs from baseline data (after enrolment, before randomization):
 * - the ICC by the one-way ANOVA estimator for unequal cluster sizes (Donner 1986):
 *   (MSB − MSW) / (MSB + (m₀ − 1) MSW), m₀ = (N − Σ n_j² / N) / (J − 1), floored at 0;
 * - the R² of the outcome's baseline measure on the covariates to adjust for (OLS);
 * - its SD, so the MDE can be given in the outcome's units.
 * The baseline stands in for the follow-up outcome: the usual planning assumption.
 */
export interface BaselineEstimates {
  n: number;
  clusters: number;
  icc: number;
  /** Present when covariates are given. */
  r2?: number;
  sd: number;
  mean: number;
}

export function baselineEstimates(y: readonly number[], clusters: readonly string[], covariates?: Readonly<Record<string, readonly number[]>>): BaselineEstimates {
  assertFiniteVector('the baseline outcome', y);
  if (clusters.length !== y.length) throw new RangeError(`clusters has ${clusters.length} values for ${y.length} outcomes`);
  const groups = new Map<string, number[]>();
  y.forEach((v, i) => {
    const g = groups.get(clusters[i] as string);
    if (g) g.push(v);
    else groups.set(clusters[i] as string, [v]);
  });
  const N = y.length;
  const J = groups.size;
  if (J < 2 || N <= J) throw new RangeError(`estimating the ICC needs at least 2 clusters and more people than clusters (got ${N} people in ${J} clusters)`);
  const grand = mean(y);
  let ssb = 0;
  let ssw = 0;
  let sumSq = 0;
  for (const g of groups.values()) {
    const m = mean(g);
    ssb += g.length * (m - grand) ** 2;
    for (const v of g) ssw += (v - m) ** 2;
    sumSq += g.length ** 2;
  }
  const msb = ssb / (J - 1);
  const msw = ssw / (N - J);
  const m0 = (N - sumSq / N) / (J - 1);
  const denominator = msb + (m0 - 1) * msw;
  const icc = denominator > 0 ? Math.max(0, (msb - msw) / denominator) : 0;
  const sst = y.reduce((a, v) => a + (v - grand) ** 2, 0);
  const out: BaselineEstimates = { n: N, clusters: J, icc, sd: Math.sqrt(sst / (N - 1)), mean: grand };
  const names = Object.keys(covariates ?? {});
  if (covariates && names.length > 0) {
    const X = y.map((_, i) => [1, ...names.map((c) => (covariates[c] as readonly number[])[i] as number)]);
    const fit = lmRobust({ y, X, names: ['(Intercept)', ...names], se: 'HC2' });
    const b = fit.coefficients.map((c) => c.estimate);
    const ssr = y.reduce((a, v, i) => a + (v - (X[i] as number[]).reduce((s, x, k) => s + x * (b[k] as number), 0)) ** 2, 0);
    out.r2 = sst > 0 ? 1 - ssr / sst : 0;
  }
  return out;
}
