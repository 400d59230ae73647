import { compareIds, type DesignArm } from './assign.js';
import { assertSeed, deriveRng, RANDOMIZATION_ALGORITHM, RandomizationError, type RandomizationAlgorithm } from './rng.js';

/**
 * Rolling enrolment: people who join after the study's one-off randomization get an arm at once,
 * by permuted blocks within their stratum. randomizr has no sequential design; this is the
 * classic permuted-block scheme (as in R's blockrand with a fixed block size): each block holds
 * arm k exactly ratio_k × multiplier times, in an order shuffled with a stream derived from
 * (seed, 'rolling', stratum, block number), and a stratum's arrivals take the slots of its current
 * block in order. So after every complete block the arms are exactly in ratio, and in between they
 * are off by less than one block.
 *
 * Pure: the caller stores the returned state (plain JSON) with the study and passes it back next
 * time, under the same conditional write as the participant's arm (assignment is write-once).
 * Which arm the i-th arrival of a stratum gets depends only on (seed, stratum, i, arms, multiplier),
 * not on the other strata or the order in which strata are served.
 */

export const DEFAULT_BLOCK_MULTIPLIER = 2;
/** Guards against a block so large that rolling enrolment loses its balance guarantee in practice. */
export const MAX_ROLLING_BLOCK = 10_000;

export interface RollingOptions {
  /** Copies of the ratio pattern per block (default 2): block size = Σ ratios × multiplier. */
  multiplier?: number;
}

export interface RollingStratumState {
  stratum: string;
  /** The block the next arrival falls in (0-based). */
  block: number;
  /** The slot of that block the next arrival takes (0-based, < block size). */
  position: number;
}

/**
 * JSON-safe state. Strata are an array sorted by name rather than an object keyed by stratum, so a
 * stratum called "__proto__" or "constructor" is just data. The design is kept in the state so a
 * change of arms, ratios, multiplier, seed or algorithm half-way through is refused, not silently
 * mixed into blocks drawn for another design.
 */
export interface RollingState {
  algorithm: string;
  seed: number;
  multiplier: number;
  /** Sorted by armId. */
  arms: DesignArm[];
  strata: RollingStratumState[];
}

export interface RollingAssignment {
  armId: string;
  /** The state to store for the next arrival; the input state is not modified. */
  state: RollingState;
  stratum: string;
  block: number;
  position: number;
  algorithm: RandomizationAlgorithm;
}

function validateRolling(arms: readonly DesignArm[], seed: number, options: RollingOptions): { arms: DesignArm[]; multiplier: number; size: number } {
  assertSeed(seed);
  const multiplier = options.multiplier ?? DEFAULT_BLOCK_MULTIPLIER;
  if (!Number.isSafeInteger(multiplier) || multiplier < 1) {
    throw new RandomizationError(`block multiplier must be a positive integer, got ${String(multiplier)}`);
  }
  if (!Array.isArray(arms) || arms.length < 1) throw new RandomizationError('a design needs at least 1 arm');
  const seen = new Set<string>();
  for (const arm of arms) {
    if (typeof arm.armId !== 'string' || arm.armId === '') throw new RandomizationError('every arm needs a non-empty armId');
    if (seen.has(arm.armId)) throw new RandomizationError(`duplicate arm "${arm.armId}"`);
    seen.add(arm.armId);
    if (typeof arm.ratio !== 'number' || !Number.isFinite(arm.ratio) || arm.ratio <= 0) {
      throw new RandomizationError(`arm "${arm.armId}" has ratio ${String(arm.ratio)}; ratios must be positive numbers`);
    }
    if (!Number.isInteger(arm.ratio)) {
      throw new RandomizationError(`arm "${arm.armId}" has ratio ${String(arm.ratio)}; rolling enrolment needs whole-number ratios (e.g. 1:2, not 0.33:0.67)`);
    }
  }
  const size = arms.reduce((s, a) => s + a.ratio, 0) * multiplier;
  if (size > MAX_ROLLING_BLOCK) {
    throw new RandomizationError(`a rolling block would hold ${size} slots (Σ ratios × multiplier); at most ${MAX_ROLLING_BLOCK}: use smaller ratios`);
  }
  const sorted = arms.map((a) => ({ armId: a.armId, ratio: a.ratio })).sort((a, b) => compareIds(a.armId, b.armId));
  return { arms: sorted, multiplier, size };
}

function shuffledBlock(stratum: string, block: number, arms: readonly DesignArm[], seed: number, multiplier: number): string[] {
  const slots: string[] = [];
  for (const arm of arms) {
    for (let i = 0; i < arm.ratio * multiplier; i++) slots.push(arm.armId);
  }
  return deriveRng(seed, ['rolling', stratum, block]).shuffle(slots);
}

/** Block `block` of `stratum`, slot by slot: lets an auditor replay any rolling assignment. */
export function rollingBlock(stratum: string, block: number, arms: readonly DesignArm[], seed: number, options: RollingOptions = {}): string[] {
  if (typeof stratum !== 'string') throw new RandomizationError('stratum must be a string');
  if (!Number.isSafeInteger(block) || block < 0) throw new RandomizationError(`block number must be a non-negative integer, got ${String(block)}`);
  const v = validateRolling(arms, seed, options);
  return shuffledBlock(stratum, block, v.arms, seed, v.multiplier);
}

/** The state before anyone has enrolled. */
export function initialRollingState(arms: readonly DesignArm[], seed: number, options: RollingOptions = {}): RollingState {
  const v = validateRolling(arms, seed, options);
  return { algorithm: RANDOMIZATION_ALGORITHM, seed, multiplier: v.multiplier, arms: v.arms, strata: [] };
}

function checkState(state: RollingState, expected: RollingState, size: number): void {
  if (state.algorithm !== expected.algorithm) {
    throw new RandomizationError(`rolling state was made by algorithm "${String(state.algorithm)}"; this is "${expected.algorithm}"`);
  }
  if (state.seed !== expected.seed) throw new RandomizationError(`rolling state was made with seed ${String(state.seed)}, not ${expected.seed}`);
  if (state.multiplier !== expected.multiplier) {
    throw new RandomizationError(`rolling state was made with block multiplier ${String(state.multiplier)}, not ${expected.multiplier}`);
  }
  if (!Array.isArray(state.arms) || JSON.stringify(state.arms.map((a) => ({ armId: a.armId, ratio: a.ratio }))) !== JSON.stringify(expected.arms)) {
    throw new RandomizationError('rolling state was made for other arms or ratios; a design cannot change during enrolment');
  }
  if (!Array.isArray(state.strata)) throw new RandomizationError('rolling state has no strata list');
  const seen = new Set<string>();
  for (const s of state.strata) {
    if (typeof s.stratum !== 'string' || seen.has(s.stratum)) throw new RandomizationError('rolling state has a missing or repeated stratum');
    seen.add(s.stratum);
    if (!Number.isSafeInteger(s.block) || s.block < 0 || !Number.isSafeInteger(s.position) || s.position < 0 || s.position >= size) {
      throw new RandomizationError(`rolling state for stratum "${s.stratum}" has an impossible block ${String(s.block)} / position ${String(s.position)}`);
    }
  }
}

/**
 * The arm of the next person to enrol in `stratum`, and the state to store. `state` undefined
 * starts afresh. The same (state, stratum, arms, seed, options) always give the same answer.
 * Any string is a stratum (use one fixed value, e.g. '', for unstratified enrolment).
 */
export function nextAssignment(
  state: RollingState | undefined,
  stratum: string,
  arms: readonly DesignArm[],
  seed: number,
  options: RollingOptions = {},
): RollingAssignment {
  if (typeof stratum !== 'string') throw new RandomizationError('stratum must be a string');
  const v = validateRolling(arms, seed, options);
  const fresh = initialRollingState(arms, seed, options);
  if (state !== undefined) checkState(state, fresh, v.size);
  const strata = (state?.strata ?? []).map((s) => ({ stratum: s.stratum, block: s.block, position: s.position }));

  const current = strata.find((s) => s.stratum === stratum) ?? { stratum, block: 0, position: 0 };
  const armId = shuffledBlock(stratum, current.block, v.arms, seed, v.multiplier)[current.position] as string;
  const next: RollingStratumState =
    current.position + 1 >= v.size ? { stratum, block: current.block + 1, position: 0 } : { stratum, block: current.block, position: current.position + 1 };
  const others = strata.filter((s) => s.stratum !== stratum);

  return {
    armId,
    state: { ...fresh, strata: [...others, next].sort((a, b) => compareIds(a.stratum, b.stratum)) },
    stratum,
    block: current.block,
    position: current.position,
    algorithm: RANDOMIZATION_ALGORITHM,
  };
}
