import { designMatrix, lmRobust, type CoefficientResult, type LmRobustResult } from './ols.js';

/** The Lin-adjusted regression of the impact report (no covariates: y ~ 1 + treatment); lin = false adds covariates as they are. */
export function treatmentFit(
  y: readonly number[],
  z: readonly number[],
  covariates: Readonly<Record<string, readonly number[]>>,
  alpha: number,
  clusters?: readonly string[],
  lin = true,
): { fit: LmRobustResult; treatment: CoefficientResult; names: string[] } {
  const names = Object.keys(covariates);
  const rows = y.map((_, i) => {
    const row: Record<string, number> = { treatment: z[i] as number };
    for (const name of names) row[name] = (covariates[name] as readonly number[])[i] as number;
    return row;
  });
  const { X, names: columns } = designMatrix(rows, { intercept: true, treatment: 'treatment', covariates: names, lin: lin && names.length > 0 });
  const fit = lmRobust(clusters ? { y, X, names: columns, se: 'CR2', clusters, alpha } : { y, X, names: columns, se: 'HC2', alpha });
  return { fit, treatment: fit.coefficients.find((c) => c.term === 'treatment') as CoefficientResult, names };
}

