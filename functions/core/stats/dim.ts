/**
 * Difference in means as estimatr's `difference_in_means` (estimatr 1.0.x).
 *
 * Unblocked: Ȳ₁ − Ȳ₀, Neyman SE √(s₁²/N₁ + s₀²/N₀), Welch–Satterthwaite df.
 * Blocked (Gerber & Green 2012 eq. 3.10): Σ_j (N_j/N) τ_j with
 *  - the blocked variance Σ_j (N_j/N)² V_j and df = N − 2J, when every block has
 *    at least two treated and two control units;
 *  - the matched-pairs variance Σ_j (τ_j − τ)² / (J(J − 1)) and df = J − 1, when
 *    every block has exactly two units, and also — as estimatr does, with a
 *    warning — when some blocks have two units and others more (a variance
 *    cannot be estimated inside a two-unit block).
 */
import { tInference, type TInference } from './dist.js';
import { assertBinary, assertFiniteVector, assertSameLength, mean, sampleVariance } from './validate.js';

export interface DifferenceInMeansInput {
  /** Outcome per unit. */
  y: readonly number[];
  /** Assignment per unit: 1 treated, 0 control. */
  z: readonly number[];
  /** Optional block id per unit. */
  blocks?: readonly (string | number)[];
  /** Significance level for the confidence interval (default 0.05). */
  alpha?: number;
}

export type DimDesign = 'standard' | 'blocked' | 'matched-pairs';

export interface DifferenceInMeansResult extends TInference {
  n: number;
  n1: number;
  n0: number;
  design: DimDesign;
  /** Number of blocks (blocked and matched-pairs designs). */
  nBlocks?: number;
  /** Set when estimatr would have warned (mixed pair / larger blocks). */
  warning?: string;
}

interface ArmSummary {
  n1: number;
  n0: number;
  mean1: number;
  mean0: number;
  var1: number;
  var0: number;
}

function summarise(y: readonly number[], z: readonly number[]): ArmSummary {
  const y1: number[] = [];
  const y0: number[] = [];
  for (let i = 0; i < y.length; i++) ((z[i] === 1 ? y1 : y0)).push(y[i] as number);
  return {
    n1: y1.length,
    n0: y0.length,
    mean1: y1.length > 0 ? mean(y1) : Number.NaN,
    mean0: y0.length > 0 ? mean(y0) : Number.NaN,
    var1: sampleVariance(y1),
    var0: sampleVariance(y0),
  };
}

export function differenceInMeans(input: DifferenceInMeansInput): DifferenceInMeansResult {
  const { y, z, blocks, alpha = 0.05 } = input;
  const n = y.length;
  assertSameLength(n, { z, blocks });
  assertFiniteVector('y', y);
  assertBinary('z', z);

  if (blocks === undefined) {
    const s = summarise(y, z);
    if (s.n1 < 2 || s.n0 < 2) {
      throw new RangeError('difference in means needs at least two treated and two control units');
    }
    const v1 = s.var1 / s.n1;
    const v0 = s.var0 / s.n0;
    const se = Math.sqrt(v1 + v0);
    // Welch–Satterthwaite, written as estimatr writes it: se⁴ / Σ (v_k² / (N_k − 1)).
    const df = se ** 4 / (v1 ** 2 / (s.n1 - 1) + v0 ** 2 / (s.n0 - 1));
    return { ...tInference(s.mean1 - s.mean0, se, df, alpha), n, n1: s.n1, n0: s.n0, design: 'standard' };
  }

  // Group units by block, in order of first appearance (the order does not affect any result).
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = String(blocks[i]);
    let g = groups.get(key);
    if (g === undefined) {
      g = [];
      groups.set(key, g);
    }
    g.push(i);
  }
  const sizes = [...groups.values()].map((g) => g.length);
  if (sizes.some((s) => s === 1)) throw new RangeError('every block must have more than one unit');
  const allPairs = sizes.every((s) => s === 2);
  const somePairs = sizes.some((s) => s === 2);
  const pairMatched = allPairs || somePairs;
  const warning = !allPairs && somePairs
    ? 'some blocks have two units while others have more; as estimatr, the matched-pairs variance is used'
    : undefined;

  const perBlock = [...groups.entries()].map(([key, idx]) => {
    const s = summarise(idx.map((i) => y[i] as number), idx.map((i) => z[i] as number));
    if (s.n1 === 0 || s.n0 === 0) throw new RangeError(`block ${key} must have both treated and control units`);
    if (!pairMatched && (s.n1 < 2 || s.n0 < 2)) {
      throw new RangeError(`block ${key} must have at least two treated and two control units (not a matched-pairs design)`);
    }
    return { tau: s.mean1 - s.mean0, n: idx.length, n1: s.n1, n0: s.n0, v: s.var1 / s.n1 + s.var0 / s.n0 };
  });

  const J = perBlock.length;
  if (J < 2 && pairMatched) throw new RangeError('a matched-pairs design needs at least two pairs');
  let estimate = 0;
  for (const b of perBlock) estimate += (b.n / n) * b.tau;
  let se: number;
  let df: number;
  if (pairMatched) {
    let ss = 0;
    for (const b of perBlock) ss += (b.tau - estimate) ** 2;
    se = Math.sqrt(ss / (J * (J - 1)));
    df = J - 1;
  } else {
    let v = 0;
    for (const b of perBlock) v += (b.n / n) ** 2 * b.v;
    se = Math.sqrt(v);
    df = n - 2 * J;
  }
  const n1 = perBlock.reduce((a, b) => a + b.n1, 0);
  const result: DifferenceInMeansResult = {
    ...tInference(estimate, se, df, alpha),
    n,
    n1,
    n0: n - n1,
    design: pairMatched ? 'matched-pairs' : 'blocked',
    nBlocks: J,
  };
  if (warning !== undefined) result.warning = warning;
  return result;
}
