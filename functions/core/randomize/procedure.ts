import { groupSorted, needsCluster, compareIds, validateDesign, validateUnits, type DesignArm, type RandomizationDesign, type RandomizationMethod, type RandomizationUnit } from './design.js';
import { deriveRng, RandomizationError } from './rng.js';
import { completeAssignment } from './sizes.js';

/**
 * A randomization procedure prepared once and drawn many times: assign() draws it once with the
 * study's seed, randomization inference (stats/ri.ts) draws it thousands of times with other seeds.
 * Both go through draw(), so a re-randomization is the study's own procedure (same method, blocks,
 * clusters, ratios, streams), not a look-alike; validation, sorting and grouping happen here once,
 * so a draw costs only the shuffles.
 *
 * The randomized elements are the units, or the clusters for cluster methods (sorted by name);
 * each stratum (the whole design, or one block) is one complete assignment over its elements, drawn
 * from the stream (seed, method, block), as assign.ts documents.
 */

export interface ProcedureStratum {
  /** The block, for block methods. */
  block?: string;
  /** Labels of the stream this stratum draws from (after seed and method). */
  labels: readonly string[];
  /** Element indices, in the order the complete assignment fills them. */
  elements: Int32Array;
}

export interface AssignmentProcedure {
  method: RandomizationMethod;
  /** Sorted by armId: arm index k in a draw is arms[k]. */
  arms: readonly DesignArm[];
  ratios: readonly number[];
  /** Validated, sorted by id, with only the fields the method uses. */
  units: readonly RandomizationUnit[];
  /** Unit ids for plain methods, cluster names for cluster methods. */
  elementNames: readonly string[];
  /** Per unit (in `units` order): the index of its element. */
  elementOfUnit: Int32Array;
  strata: readonly ProcedureStratum[];
  /** The arm index of every element under `seed`; writes into `out` when given (no allocation per draw). */
  draw(seed: number, out?: Uint16Array): Uint16Array;
}

const MAX_ARMS = 0xffff;

export function prepareProcedure(input: readonly RandomizationUnit[], design: RandomizationDesign): AssignmentProcedure {
  const arms = validateDesign(design);
  if (arms.length > MAX_ARMS) throw new RandomizationError(`a design can have at most ${MAX_ARMS} arms`);
  const method = design.method;
  const units = validateUnits(input, method);
  const ratios = arms.map((a) => a.ratio);
  const clustered = needsCluster(method);

  const elementNames = clustered ? [...new Set(units.map((u) => u.cluster as string))].sort(compareIds) : units.map((u) => u.id);
  const indexOf = new Map(elementNames.map((name, i) => [name, i]));
  const elementOfUnit = Int32Array.from(units, (u, i) => (clustered ? (indexOf.get(u.cluster as string) as number) : i));
  // Position of every unit, so grouping stays linear (units.indexOf would be quadratic).
  const position = new Map(units.map((u, i) => [u, i]));
  const elementsOf = (group: readonly RandomizationUnit[]): Int32Array =>
    Int32Array.from([...new Set(group.map((u) => elementOfUnit[position.get(u) as number] as number))].sort((a, b) => a - b));

  const strata: ProcedureStratum[] =
    method === 'block' || method === 'block_cluster'
      ? groupSorted(units, (u) => u.block as string).map(([block, group]) => ({ block, labels: [block], elements: elementsOf(group) }))
      : [{ labels: [], elements: Int32Array.from(elementNames, (_, i) => i) }];

  const draw = (seed: number, out?: Uint16Array): Uint16Array => {
    const z = out ?? new Uint16Array(elementNames.length);
    for (const s of strata) {
      const labels = completeAssignment(s.elements.length, ratios, deriveRng(seed, [method, ...s.labels]));
      for (let i = 0; i < labels.length; i++) z[s.elements[i] as number] = labels[i] as number;
    }
    return z;
  };
  return { method, arms, ratios, units, elementNames, elementOfUnit, strata, draw };
}
