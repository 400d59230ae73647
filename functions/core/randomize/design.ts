import { RandomizationError } from './rng.js';

/**
 * What a randomization is given: the units, the method and the arms with their ratios, and the
 * validation shared by assign() and the procedure that re-runs it (procedure.ts).
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


export const METHODS: readonly RandomizationMethod[] = ['complete', 'block', 'cluster', 'block_cluster'];

/** Code-unit order: the same on every machine (see the file comment). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function missing(value: string | undefined): value is undefined {
  return value === undefined || value === '';
}

export function needsBlock(method: RandomizationMethod): boolean {
  return method === 'block' || method === 'block_cluster';
}

export function needsCluster(method: RandomizationMethod): boolean {
  return method === 'cluster' || method === 'block_cluster';
}

export function validateDesign(design: RandomizationDesign): DesignArm[] {
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
export function validateUnits(units: readonly RandomizationUnit[], method: RandomizationMethod): RandomizationUnit[] {
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

/** Groups sorted values (already in order) by a key, keys in sorted order. */
export function groupSorted<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.entries()].sort((a, b) => compareIds(a[0], b[0]));
}

