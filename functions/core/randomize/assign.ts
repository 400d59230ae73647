import { createHash } from 'node:crypto';
import { compareIds, groupSorted, needsBlock, needsCluster, validateDesign, validateUnits, type DesignArm, type RandomizationDesign, type RandomizationMethod, type RandomizationUnit } from './design.js';
import { prepareProcedure } from './procedure.js';
import { assertSeed, RANDOMIZATION_ALGORITHM, type RandomizationAlgorithm } from './rng.js';

export { compareIds, type DesignArm, type RandomizationDesign, type RandomizationMethod, type RandomizationUnit } from './design.js';
export { armQuotas, completeAssignment, drawArmSizes } from './sizes.js';

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
  /** Who ran it (filled by the caller): a label, and the immutable id of record where known. */
  by: string;
  byId?: string;
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
  const procedure = prepareProcedure(units, design);
  const { arms, method, units: sorted, elementOfUnit } = procedure;
  const z = procedure.draw(seed);
  const assignments = new Map<string, string>(); // unit-id iteration order
  sorted.forEach((unit, i) => assignments.set(unit.id, (arms[z[elementOfUnit[i] as number] as number] as DesignArm).armId));

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

