import { RandomizationError, type Rng } from './rng.js';

/** randomizr's arm-size rules (see assign.ts for the mapping to randomizr's functions). */

/**
 * randomizr's integer split of n units over arms with probabilities p_k = r_k / Σr:
 * floors_k = floor(n·p_k), remainder = n − Σ floors_k, and weights_k ∝ n·p_k − floors_k (the
 * fractional parts), from which the remainder is drawn (R/complete_ra.R, lines 189–194).
 *
 * Differs from R in arithmetic only: with integer ratios everything is exact integers (weights
 * are the remainders n·r_k mod Σr); otherwise a quota within 1e-9 of an integer counts as that
 * integer, so float noise (10 × 0.7 = 7.000000000000001 in R) never makes a fractional part.
 */
export function armQuotas(n: number, ratios: readonly number[]): { floors: number[]; weights: number[]; remainder: number } {
  const total = ratios.reduce((s, r) => s + r, 0);
  let floors: number[];
  let weights: number[];
  if (ratios.every((r) => Number.isInteger(r)) && Number.isSafeInteger(n * total)) {
    floors = ratios.map((r) => ((n * r) - ((n * r) % total)) / total);
    weights = ratios.map((r) => (n * r) % total);
  } else {
    const quotas = ratios.map((r) => (n * r) / total);
    const whole = quotas.map((q) => Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, q));
    floors = quotas.map((q, k) => (whole[k] ? Math.round(q) : Math.floor(q)));
    weights = quotas.map((q, k) => (whole[k] ? 0 : q - (floors[k] as number)));
  }
  const remainder = n - floors.reduce((s, f) => s + f, 0);
  if (remainder < 0 || remainder > weights.filter((w) => w > 0).length) {
    throw new RandomizationError(`cannot split ${n} units by ratios ${ratios.join(':')}`);
  }
  return { floors, weights, remainder };
}

/** One draw with probability proportional to the weights (all ≥ 0, some > 0). */
function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  const u = rng.nextFloat() * total;
  let cumulative = 0;
  let last = -1;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k] as number;
    if (w <= 0) continue;
    cumulative += w;
    last = k;
    if (u < cumulative) return k;
  }
  return last; // only reached through float rounding at the very top of the range
}

/**
 * Arm sizes for complete assignment of n units (randomizr's complete_ra with prob_each,
 * R/complete_ra.R lines 187–211): each arm gets floor(n·p_k); the remaining units go to
 * `remainder` distinct arms drawn one after another with probability proportional to the
 * fractional parts still in play — R's `sample(conditions, N_remainder, prob = prob_each_fix_up,
 * replace = FALSE)`, i.e. successive sampling (R's ProbSampleNoReplace in src/main/random.c).
 * So each size is floor(n·p_k) or that plus one, and sizes sum to n.
 *
 * As in randomizr (and contrary to its documentation's "exactly prob_each"), when two or more
 * units are left over and the fractional parts differ, successive sampling makes an arm's chance
 * of the extra unit differ slightly from its fractional part: we keep that, it is the rule.
 * With two arms there is one unit left over at most, so the larger size has probability equal to
 * the fractional part; with two equal arms this is `complete_ra(N)` (lines 107–127): N/2 each,
 * or floor/ceiling with probability ½ for odd N.
 *
 * Differs: randomizr's two-arm `prob` path (lines 143–168) forces floor(N·prob) when
 * ceiling(N·prob) = N (lines 147–153), e.g. N = 5, prob = 0.9 always treats 4; we always use the
 * `prob_each` path (as block_ra does, R/block_ra.R lines 296–305), which treats 4 or 5 with
 * probability ½ each. R draws the leftovers in decreasing weight order; we scan arms in armId
 * order (same distribution).
 */
export function drawArmSizes(n: number, ratios: readonly number[], rng: Rng): number[] {
  const { floors, weights, remainder } = armQuotas(n, ratios);
  const sizes = floors.slice();
  const inPlay = weights.slice();
  for (let i = 0; i < remainder; i++) {
    const k = pickWeighted(rng, inPlay);
    sizes[k] = (sizes[k] as number) + 1;
    inPlay[k] = 0;
  }
  return sizes;
}

/**
 * Complete random assignment of n positions: the arm index of each position. Arm sizes as in
 * drawArmSizes, then a uniform permutation of the multiset of arm labels (R/complete_ra.R
 * line 208, `sample(conditions_vec)`; here Fisher–Yates).
 */
export function completeAssignment(n: number, ratios: readonly number[], rng: Rng): number[] {
  const sizes = drawArmSizes(n, ratios, rng);
  const labels: number[] = [];
  sizes.forEach((size, k) => {
    for (let i = 0; i < size; i++) labels.push(k);
  });
  return rng.shuffle(labels);
}

