import { tCritical } from '../stats/dist.js';
import type { Descriptive, WeeklyArmMean } from './report-model.js';

/** Count, mean and sample SD (null where undefined). */
export function describe(xs: readonly number[]): Descriptive {
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null };
  const m = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean: m, sd: null };
  return { n, mean: m, sd: Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1)) };
}

/** A mean with its t-based confidence interval (the weekly series). */
export function meanCi(xs: readonly number[], alpha: number): Omit<WeeklyArmMean, 'armId'> {
  const d = describe(xs);
  if (d.mean === null) return { n: 0, mean: null, ciLower: null, ciUpper: null };
  if (d.sd === null) return { n: d.n, mean: d.mean, ciLower: null, ciUpper: null };
  const half = tCritical(1 - alpha / 2, d.n - 1) * (d.sd / Math.sqrt(d.n));
  return { n: d.n, mean: d.mean, ciLower: d.mean - half, ciUpper: d.mean + half };
}

export const varies = (xs: readonly number[]) => xs.some((x) => x !== xs[0]);
