/**
 * Two-stage least squares for the complier effect (e.g. module completion
 * instrumented by assignment), as estimatr's `iv_robust` (unweighted, no fixed
 * effects): X = [1, d, covariates], Z = [1, z, covariates].
 *  - First stage: X̂ = Z(Z′Z)⁻¹Z′X.
 *  - Second stage: b = (X̂′X̂)⁻¹X̂′y, residuals e = y − X·b (the structural
 *    residuals, with the endogenous d itself, not its fit).
 *  - Variance: estimatr's HC2 / CR2 with X̂ in every place X appears (bread,
 *    leverages, the CR2 adjustment and the CR2 df); df = N − K for HC2.
 * Default se: HC2 without clusters, CR2 with them (iv_robust's defaults).
 */
import { Matrix, QrDecomposition } from 'ml-matrix';
import { assertFullRank, robustFit, type CoefficientResult, type LmRobustResult, type RobustFitSpec, type RobustSeType } from './ols.js';
import { assertBinary, assertFiniteVector } from './validate.js';

export interface IvRobustInput {
  y: readonly number[];
  /** Endogenous treatment actually taken (e.g. completed the module), usually 0/1. */
  endogenous: readonly number[];
  /** Instrument: random assignment, 0/1. */
  instrument: readonly number[];
  /** Exogenous covariates, used in both stages. */
  covariates?: Readonly<Record<string, readonly number[]>>;
  clusters?: readonly (string | number)[];
  se?: RobustSeType;
  alpha?: number;
  /** Name of the endogenous term in the output (default "d"). */
  endogenousName?: string;
}

export interface IvRobustResult extends LmRobustResult {
  /** The coefficient on the endogenous variable: the complier average effect. */
  effect: CoefficientResult;
}

export function ivRobust(input: IvRobustInput): IvRobustResult {
  const { y, endogenous, instrument, covariates = {}, clusters, alpha = 0.05, endogenousName = 'd' } = input;
  const n = y.length;
  const covNames = Object.keys(covariates);
  for (const [name, v] of [['endogenous', endogenous], ['instrument', instrument], ...covNames.map((c) => [c, covariates[c]] as const)] as const) {
    if (v === undefined || v.length !== n) throw new RangeError(`${name} must have length ${n}`);
    assertFiniteVector(name, v);
  }
  if (clusters !== undefined && clusters.length !== n) throw new RangeError(`clusters has length ${clusters.length}, expected ${n}`);
  assertFiniteVector('y', y);
  assertBinary('instrument', instrument);
  const se: RobustSeType = input.se ?? (clusters === undefined ? 'HC2' : 'CR2');

  const cov = (i: number): number[] => covNames.map((c) => (covariates[c] as readonly number[])[i] as number);
  const X = new Matrix(y.map((_, i) => [1, endogenous[i] as number, ...cov(i)]));
  const Z = new Matrix(y.map((_, i) => [1, instrument[i] as number, ...cov(i)]));
  const names = ['(Intercept)', endogenousName, ...covNames];
  assertFullRank(Z, ['(Intercept)', 'instrument', ...covNames]);

  const Xhat = Z.mmul(new QrDecomposition(Z).solve(X));
  const spec: RobustFitSpec = { Xv: Xhat, Xr: X, y, names, se, alpha };
  if (clusters !== undefined) spec.clusters = clusters;
  const fit = robustFit(spec);
  return { ...fit, effect: fit.coefficients[1] as CoefficientResult };
}
