import { createHash } from 'node:crypto';
import { assertSeed, deriveRng, RANDOMIZATION_ALGORITHM, RandomizationError, type RandomizationAlgorithm, type Rng } from './rng.js';

/**
 * Randomizing units (participants) into arms with randomizr's arm-size rules (randomizr 1.0.0,
 * DeclareDesign/randomizr, R/complete_ra.R, R/block_ra.R, R/cluster_ra.R,
 * R/block_and_cluster_ra.R). The rules are followed exactly; the draws are not R's (R's
 * Mersenne-Twister and sample() cannot be reproduced here), so the same seed gives a different
 * assignment than R would, with the same distribution of arm sizes.
 *
 * A design's arms with ratios r_1..r_K are randomizr's `prob_each = r / sum(r)`, for every method
 * and any number of arms: `complete` is `complete_ra(N, prob_each = p)`, `block` is
 * `block_ra(blocks, prob_each = p)`, `cluster` is `cluster_ra(clusters, prob_each = p)` and
 * `block_cluster` is `block_and_cluster_ra(blocks, clusters, prob_each = p)`.
 *
 * Determinism: units are sorted by id, blocks and clusters by name (UTF-16 code-unit order, never
 * localeCompare, whose collation depends on the ICU data of the Node build), arms by armId; each
 * block draws from its own stream derived from (seed, method, block). So the result depends on
 * the set of units and the design, not on the order they were given in.
 */

export type RandomizationMethod = 'complete' | 'block' | 'cluster' | 'block_cluster';

export interface RandomizationUnit {
  id: string;
  /** Stratum (randomizr's `blocks`); required by `block` and `block_cluster`, ignored otherwise. */
  block?: string;
  /** Required by `cluster` and `block_cluster`, ignored otherwise. */
  cluster?: string;
}

export interface DesignArm {
  armId: string;
  /** Relative share, a positive finite number (1:1, 1:2, 0.3:0.7, …). */
  ratio: number;
}

export interface RandomizationDesign {
  method: RandomizationMethod;
  arms: DesignArm[];
}

export interface ArmCount {
  armId: string;
  /** Units assigned to the arm. */
  n: number;
  /** Clusters assigned to the arm (cluster methods only). */
  clusters?: number;
}

export interface BlockArmCount extends ArmCount {
  block: string;
}

export interface AssignmentResult {
  /** Unit id → armId, iterated in unit-id order. */
  assignments: Map<string, string>;
  /** Per arm, in the design's arm order (arms with no unit included). */
  counts: ArmCount[];
  /** Per block (sorted) and arm (design order) for `block` and `block_cluster`; empty otherwise. */
  byBlock: BlockArmCount[];
  algorithm: RandomizationAlgorithm;
  seed: number;
  method: RandomizationMethod;
  /** SHA-256 hex of canonicalInputs(units, design). */
  inputsHash: string;
}

/** What is stored with a study's randomization (invariant 5: write-once, audited). */
export interface AssignmentAudit {
  algorithm: string;
  seed: number;
  method: RandomizationMethod;
  inputsHash: string;
  counts: ArmCount[];
  byBlock: BlockArmCount[];
  /** Who ran it (filled by the caller). */
  by: string;
  /** ISO time it was run (filled by the caller). */
  at: string;
}

export function auditOf(result: AssignmentResult, by: string, at: string): AssignmentAudit {
  return {
    algorithm: result.algorithm,
    seed: result.seed,
    method: result.method,
    inputsHash: result.inputsHash,
    counts: result.counts.map((c) => ({ ...c })),
    byBlock: result.byBlock.map((c) => ({ ...c })),
    by,
    at,
  };
}

const METHODS: readonly RandomizationMethod[] = ['complete', 'block', 'cluster', 'block_cluster'];

/** Code-unit order: the same on every machine (see the file comment). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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

function missing(value: string | undefined): value is undefined {
  return value === undefined || value === '';
}

function needsBlock(method: RandomizationMethod): boolean {
  return method === 'block' || method === 'block_cluster';
}

function needsCluster(method: RandomizationMethod): boolean {
  return method === 'cluster' || method === 'block_cluster';
}

function validateDesign(design: RandomizationDesign): DesignArm[] {
  if (!METHODS.includes(design.method)) {
    throw new RandomizationError(`unknown randomization method "${String(design.method)}" (use ${METHODS.join(', ')})`);
  }
  if (!Array.isArray(design.arms) || design.arms.length < 1) throw new RandomizationError('a design needs at least 1 arm');
  const seen = new Set<string>();
  for (const arm of design.arms) {
    if (typeof arm.armId !== 'string' || arm.armId === '') throw new RandomizationError('every arm needs a non-empty armId');
    if (seen.has(arm.armId)) throw new RandomizationError(`duplicate arm "${arm.armId}"`);
    seen.add(arm.armId);
    if (typeof arm.ratio !== 'number' || !Number.isFinite(arm.ratio) || arm.ratio <= 0) {
      throw new RandomizationError(`arm "${arm.armId}" has ratio ${String(arm.ratio)}; ratios must be positive numbers`);
    }
  }
  if (!Number.isFinite(design.arms.reduce((s, a) => s + a.ratio, 0))) throw new RandomizationError('the ratios are too large to add up');
  return design.arms.map((a) => ({ armId: a.armId, ratio: a.ratio })).sort((a, b) => compareIds(a.armId, b.armId));
}

/** The units as they matter to the method: sorted by id, with only the fields it uses. */
function validateUnits(units: readonly RandomizationUnit[], method: RandomizationMethod): RandomizationUnit[] {
  if (units.length === 0) throw new RandomizationError('no units to randomize');
  const ids = new Set<string>();
  const blockOfCluster = new Map<string, string>();
  const out: RandomizationUnit[] = [];
  for (const unit of units) {
    if (typeof unit.id !== 'string' || unit.id === '') throw new RandomizationError('every unit needs a non-empty id');
    if (ids.has(unit.id)) throw new RandomizationError(`duplicate unit id "${unit.id}"`);
    ids.add(unit.id);
    if ((unit.block !== undefined && typeof unit.block !== 'string') || (unit.cluster !== undefined && typeof unit.cluster !== 'string')) {
      throw new RandomizationError(`unit "${unit.id}" has a block or cluster that is not a string`);
    }
    const kept: RandomizationUnit = { id: unit.id };
    if (needsBlock(method)) {
      if (missing(unit.block)) throw new RandomizationError(`unit "${unit.id}" has no block; method "${method}" needs a block for every unit`);
      kept.block = unit.block;
    }
    if (needsCluster(method)) {
      if (missing(unit.cluster)) throw new RandomizationError(`unit "${unit.id}" has no cluster; method "${method}" needs a cluster for every unit`);
      kept.cluster = unit.cluster;
    }
    if (method === 'block_cluster' && kept.cluster !== undefined && kept.block !== undefined) {
      const other = blockOfCluster.get(kept.cluster);
      if (other === undefined) blockOfCluster.set(kept.cluster, kept.block);
      else if (other !== kept.block) {
        const [first, second] = [other, kept.block].sort(compareIds);
        throw new RandomizationError(`cluster "${kept.cluster}" spans blocks "${String(first)}" and "${String(second)}"; all units of a cluster must be in one block`);
      }
    }
    out.push(kept);
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}

/**
 * Canonical JSON of the inputs that determine an assignment: units sorted by id with only the
 * fields the method uses (so a stratum left on units of a `complete` design changes nothing),
 * then the design with arms sorted by armId. Keys are in alphabetical order.
 */
function canonicalJson(units: readonly RandomizationUnit[], method: RandomizationMethod, arms: readonly DesignArm[]): string {
  const u = units.map((x) => ({
    ...(x.block !== undefined ? { block: x.block } : {}),
    ...(x.cluster !== undefined ? { cluster: x.cluster } : {}),
    id: x.id,
  }));
  return JSON.stringify({ design: { arms: arms.map((a) => ({ armId: a.armId, ratio: a.ratio })), method }, units: u });
}

/** The canonical JSON the inputs hash is taken of (validates like assign). */
export function canonicalInputs(units: readonly RandomizationUnit[], design: RandomizationDesign): string {
  const arms = validateDesign(design);
  return canonicalJson(validateUnits(units, design.method), design.method, arms);
}

/** SHA-256 hex of canonicalInputs: lets an auditor check the inputs behind a stored assignment. */
export function inputsHash(units: readonly RandomizationUnit[], design: RandomizationDesign): string {
  return createHash('sha256').update(canonicalInputs(units, design), 'utf8').digest('hex');
}

/** Groups sorted values (already in order) by a key, keys in sorted order. */
function groupSorted<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.entries()].sort((a, b) => compareIds(a[0], b[0]));
}

/**
 * Assigns every unit to an arm.
 *
 * - `complete` — randomizr `complete_ra(N, prob_each)` (R/complete_ra.R lines 187–211): arm sizes
 *   floor(N·p_k) plus the leftovers drawn as in drawArmSizes, then a random permutation.
 * - `block` — randomizr `block_ra(blocks, prob_each)` (R/block_ra.R lines 107–141, 296–305):
 *   complete_ra independently within each block; blocks in sorted order. Differs: each block
 *   draws from its own stream (seed, 'block', block), where R runs one stream through the blocks
 *   in factor-level order.
 * - `cluster` — randomizr `cluster_ra(clusters, prob_each)` (R/cluster_ra.R lines 61–84):
 *   complete_ra over the clusters (N = number of clusters, sorted by name, as `tapply` sorts
 *   them), and every unit takes its cluster's arm (`rep(z_clust, n_per_clust)`). Arm sizes are
 *   counted in clusters; unit counts follow cluster sizes.
 * - `block_cluster` — randomizr `block_and_cluster_ra(blocks, clusters, prob_each)`
 *   (R/block_and_cluster_ra.R lines 86–119): the block of each cluster, then block_ra at the
 *   cluster level, so complete_ra over the clusters of each block, units inheriting. A cluster in
 *   two blocks is an error, as in randomizr (R/helper_functions.R lines 52–62).
 *
 * Not randomizr: simple (coin-flip) assignment, and fixed `m` / `m_each` / `block_m` sizes (a
 * design gives ratios only); ratios need not be integers.
 */
export function assign(units: readonly RandomizationUnit[], design: RandomizationDesign, seed: number): AssignmentResult {
  assertSeed(seed);
  const arms = validateDesign(design);
  const method = design.method;
  const sorted = validateUnits(units, method);
  const ratios = arms.map((a) => a.ratio);
  const armIdOf = (k: number): string => (arms[k] as DesignArm).armId;

  const assignments = new Map<string, string>();
  for (const unit of sorted) assignments.set(unit.id, ''); // unit-id iteration order
  const armOfCluster = new Map<string, string>();

  /** Complete assignment of `ids` (sorted) with the stream for `labels`; returns id → armId. */
  const completeOver = (ids: readonly string[], labels: readonly string[]): Map<string, string> => {
    const z = completeAssignment(ids.length, ratios, deriveRng(seed, [method, ...labels]));
    return new Map(ids.map((id, i) => [id, armIdOf(z[i] as number)]));
  };
  const clustersOf = (group: readonly RandomizationUnit[]): string[] => [...new Set(group.map((u) => u.cluster as string))].sort(compareIds);

  switch (method) {
    case 'complete':
      for (const [id, armId] of completeOver(sorted.map((u) => u.id), [])) assignments.set(id, armId);
      break;
    case 'block':
      for (const [block, group] of groupSorted(sorted, (u) => u.block as string)) {
        for (const [id, armId] of completeOver(group.map((u) => u.id), [block])) assignments.set(id, armId);
      }
      break;
    case 'cluster':
      for (const [cluster, armId] of completeOver(clustersOf(sorted), [])) armOfCluster.set(cluster, armId);
      break;
    case 'block_cluster':
      for (const [block, group] of groupSorted(sorted, (u) => u.block as string)) {
        for (const [cluster, armId] of completeOver(clustersOf(group), [block])) armOfCluster.set(cluster, armId);
      }
      break;
  }
  if (needsCluster(method)) {
    for (const unit of sorted) assignments.set(unit.id, armOfCluster.get(unit.cluster as string) as string);
  }

  const clustered = needsCluster(method);
  const tally = (group: readonly RandomizationUnit[]): ArmCount[] =>
    design.arms.map((arm) => {
      const mine = group.filter((u) => assignments.get(u.id) === arm.armId);
      return { armId: arm.armId, n: mine.length, ...(clustered ? { clusters: new Set(mine.map((u) => u.cluster)).size } : {}) };
    });
  const byBlock: BlockArmCount[] = needsBlock(method)
    ? groupSorted(sorted, (u) => u.block as string).flatMap(([block, group]) => tally(group).map((c) => ({ block, ...c })))
    : [];

  return {
    assignments,
    counts: tally(sorted),
    byBlock,
    algorithm: RANDOMIZATION_ALGORITHM,
    seed,
    method,
    inputsHash: createHash('sha256').update(canonicalJson(sorted, method, arms), 'utf8').digest('hex'),
  };
}
