import type { AssignmentProcedure } from '../randomize/procedure.js';
import { createRng } from '../randomize/rng.js';
import { enumerateSupport, supportSize } from '../randomize/support.js';

/**
 * Randomization inference (Fisher's exact test of the sharp null of no effect for anyone): the
 * observed statistic against its distribution over the assignments the study's own procedure can
 * draw (randomize/procedure.ts), outcomes held at their observed values.
 *
 * - Exact when every stratum's arm sizes are fixed and the support has at most `limit`
 *   assignments: each is visited once (randomize/support.ts), as ri2's conduct_ri does with an
 *   exhaustive permutation matrix (randomizr's obtain_permutation_matrix).
 * - Otherwise Monte Carlo: M draws of the procedure, each with a seed from a stream seeded by
 *   `seed`, so a p-value is reproducible; p is the share of draws at least as extreme (ri2's
 *   mean(extreme)), with its binomial standard error √(p(1 − p)/M).
 * - "At least as extreme", two-sided: |T_m| ≥ |T_obs| − tol·(|T_obs| + 1), tol = √ε, ri2's rule
 *   (R/conduct_ri.R, ri_extreme): the observed assignment is one of the visited ones, and float
 *   noise in recomputing its statistic must not drop it.
 * Memory does not grow with M: draws reuse one buffer and only counts are kept.
 */

export const DEFAULT_RI_LIMIT = 100_000;
export const DEFAULT_RI_PERMUTATIONS = 10_000;
export const DEFAULT_RI_SEED = 1;
const TOL = Math.sqrt(Number.EPSILON);

export interface RiOptions {
  /** Enumerate exactly when the support has at most this many assignments (default 100,000). */
  limit?: number;
  /** Monte Carlo draws otherwise (default 10,000). */
  permutations?: number;
  /** Seed of the Monte Carlo stream (default 1). */
  seed?: number;
}

export interface RiResult {
  /** The statistic under the observed assignment. */
  observed: number;
  /** Two-sided sharp-null p-value. */
  p: number;
  exact: boolean;
  /** Assignments visited (the whole support when exact, M otherwise). */
  permutations: number;
  /** Of those, at least as extreme as the observed one. */
  extreme: number;
  /** Monte Carlo standard error of p; 0 when exact. */
  mcSe: number;
  /** Draws whose statistic could not be computed (counted as not extreme). */
  undefinedDraws: number;
  /** Why it is not exact (support too large, or arm sizes drawn). */
  reason?: string;
}

/** The statistic of an assignment: element → arm index, as AssignmentProcedure.draw returns it. */
export type RiStatistic = (z: Uint16Array) => number;

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${String(value)}`);
  return value;
}

export function randomizationInference(procedure: AssignmentProcedure, observedZ: Uint16Array, statistic: RiStatistic, options: RiOptions = {}): RiResult {
  const limit = positiveInteger(options.limit ?? DEFAULT_RI_LIMIT, 'the enumeration limit');
  const draws = positiveInteger(options.permutations ?? DEFAULT_RI_PERMUTATIONS, 'the number of permutations');
  const observed = statistic(observedZ);
  if (!Number.isFinite(observed)) throw new RangeError('the statistic cannot be computed on the observed assignment');
  const threshold = Math.abs(observed) - TOL * (Math.abs(observed) + 1);
  let visited = 0;
  let extreme = 0;
  let undefinedDraws = 0;
  const tally = (z: Uint16Array): void => {
    const t = statistic(z);
    visited++;
    if (!Number.isFinite(t)) undefinedDraws++;
    else if (Math.abs(t) >= threshold) extreme++;
  };

  const support = supportSize(procedure);
  if (support.fixed && support.count <= limit) {
    enumerateSupport(procedure, support.sizes, tally);
    return { observed, p: extreme / visited, exact: true, permutations: visited, extreme, mcSe: 0, undefinedDraws };
  }
  const seeds = createRng(options.seed ?? DEFAULT_RI_SEED);
  const z = new Uint16Array(procedure.elementNames.length);
  for (let m = 0; m < draws; m++) tally(procedure.draw(seeds.nextUint32(), z));
  const p = extreme / visited;
  const reason = support.fixed ? `${support.count.toLocaleString('en-US')} possible assignments, more than the limit of ${limit.toLocaleString('en-US')}` : support.reason;
  return { observed, p, exact: false, permutations: visited, extreme, mcSe: Math.sqrt((p * (1 - p)) / visited), undefinedDraws, reason };
}
