/**
 * Lee (2009) bounds on the treatment effect among always-observed units under
 * differential attrition, following the `leebounds` R package (Semenova;
 * `basic_lee_bound`, no covariates, no weights):
 *
 *  - q1, q0: observed (responding) share in the treated and control arms.
 *  - The arm with the higher observed share is trimmed. With p0 = q0/q1: if
 *    p0 ≤ 1 the treated arm is trimmed and keeps the share p* = p0; otherwise the
 *    control arm is trimmed and keeps p* = 1/p0. trimmedShare = 1 − p*
 *    = (q_high − q_low)/q_high. (p0 = 1 trims nothing.)
 *  - Cut points are R's default `quantile` (type 7, linear interpolation) of the
 *    trimmed arm's observed outcomes at p* and 1 − p*. Ties: every observation
 *    equal to a cut point is kept (`y ≤ Q(p*)` for the mean trimmed from the top,
 *    `y ≥ Q(1 − p*)` for the mean trimmed from the bottom), so with discrete
 *    outcomes slightly more than the share p* can be kept — the package's rule,
 *    not Lee's exact order-statistic trimming.
 *  - Treated trimmed: lower = mean(treated, top trimmed) − mean(control),
 *    upper = mean(treated, bottom trimmed) − mean(control).
 *    Control trimmed: lower = mean(treated) − mean(control, bottom trimmed),
 *    upper = mean(treated) − mean(control, top trimmed).
 */
import { assertBinary, mean } from './validate.js';

export interface LeeBoundsInput {
  /** Outcome per unit; null or NaN when the unit's outcome is not observed (attrition). */
  y: readonly (number | null)[];
  /** Assignment per unit: 1 treated, 0 control. */
  z: readonly number[];
}

export interface LeeBoundsResult {
  lower: number;
  upper: number;
  /** Share of the trimmed arm's observed units that is trimmed: (q_high − q_low)/q_high. */
  trimmedShare: number;
  trimmedArm: 'treatment' | 'control';
  /** Observed share among treated units. */
  q1: number;
  /** Observed share among control units. */
  q0: number;
}

/** R's `quantile(x, prob)` with the default type 7, computed with the same arithmetic. */
export function quantileType7(values: readonly number[], prob: number): number {
  const x = [...values].sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return Number.NaN;
  const index = 1 + Math.max(n - 1, 0) * prob;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qLo = x[lo - 1] as number;
  const qHi = x[hi - 1] as number;
  if (!(index > lo && qHi !== qLo)) return qLo;
  const h = index - lo;
  return (1 - h) * qLo + h * qHi;
}

export function leeBounds(input: LeeBoundsInput): LeeBoundsResult {
  const { y, z } = input;
  if (y.length !== z.length) throw new RangeError(`y has length ${y.length}, z has ${z.length}`);
  assertBinary('z', z);
  const obs1: number[] = [];
  const obs0: number[] = [];
  let n1 = 0;
  let n0 = 0;
  y.forEach((v, i) => {
    const treated = z[i] === 1;
    if (treated) n1++;
    else n0++;
    if (v === null || Number.isNaN(v)) return;
    if (!Number.isFinite(v)) throw new RangeError(`y[${i}] must be finite, null or NaN`);
    (treated ? obs1 : obs0).push(v);
  });
  if (obs1.length === 0 || obs0.length === 0) {
    throw new RangeError('Lee bounds need observed outcomes in both arms');
  }
  const q1 = obs1.length / n1;
  const q0 = obs0.length / n0;
  const p0 = q0 / q1;
  const trimTreated = p0 <= 1;
  const keep = trimTreated ? p0 : 1 / p0;
  const trimmed = trimTreated ? obs1 : obs0;
  const other = mean(trimTreated ? obs0 : obs1);
  const cutLow = quantileType7(trimmed, keep); // keep y ≤ this: trimmed from the top
  const cutHigh = quantileType7(trimmed, 1 - keep); // keep y ≥ this: trimmed from the bottom
  const meanTopTrimmed = mean(trimmed.filter((v) => v <= cutLow));
  const meanBottomTrimmed = mean(trimmed.filter((v) => v >= cutHigh));
  return trimTreated
    ? { lower: meanTopTrimmed - other, upper: meanBottomTrimmed - other, trimmedShare: 1 - keep, trimmedArm: 'treatment', q1, q0 }
    : { lower: other - meanBottomTrimmed, upper: other - meanTopTrimmed, trimmedShare: 1 - keep, trimmedArm: 'control', q1, q0 };
}
