import { treatmentFit } from '../stats/lin.js';
import type { RegressionEstimate } from './report-model.js';

export const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Runs an estimator; one that cannot run leaves a note (`what: why`) instead of failing the report. */
export function attempt<T>(notes: string[], what: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    notes.push(`${what}: ${message(err)}`);
    return undefined;
  }
}

/** Lin-adjusted regression of y on treatment and covariates (HC2, or CR2 with clusters). */
export function regression(
  y: readonly number[],
  z: readonly number[],
  covariates: Readonly<Record<string, readonly number[]>>,
  alpha: number,
  clusters?: readonly string[],
): RegressionEstimate {
  const { fit, treatment, names } = treatmentFit(y, z, covariates, alpha, clusters);
  return { se: fit.se, covariates: names, n: fit.n, ...(fit.nClusters !== undefined ? { nClusters: fit.nClusters } : {}), treatment };
}
