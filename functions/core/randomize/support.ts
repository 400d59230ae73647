import type { AssignmentProcedure } from './procedure.js';
import { RandomizationError } from './rng.js';
import { armQuotas } from './sizes.js';

/**
 * The support of a prepared procedure: every assignment it can draw. When every stratum's arm sizes
 * are fixed (n·p_k whole in each), the procedure is uniform over the product, over strata, of the
 * distinct orderings of that stratum's multiset of arm labels, so enumerating them gives the exact
 * randomization distribution. When some stratum draws its sizes (a leftover unit), assignments of
 * different sizes can have different probabilities, so a plain count is not the distribution.
 */

export type SupportSize =
  | { fixed: true; count: number; sizes: readonly (readonly number[])[] }
  | { fixed: false; reason: string };

/** n! / Π k_i!, as a float: exact below 2^53, and only compared with a limit above that. */
function multinomial(sizes: readonly number[]): number {
  let count = 1;
  let n = 0;
  for (const k of sizes) {
    for (let i = 1; i <= k; i++) count = (count * (n + i)) / i;
    n += k;
    count = Math.round(count);
  }
  return count;
}

export function supportSize(procedure: AssignmentProcedure): SupportSize {
  const sizes: number[][] = [];
  let count = 1;
  for (const s of procedure.strata) {
    const q = armQuotas(s.elements.length, procedure.ratios);
    if (q.remainder > 0) {
      const where = s.block !== undefined ? `block "${s.block}"` : 'the design';
      return { fixed: false, reason: `arm sizes are drawn, not fixed (${s.elements.length} ${procedure.method.includes('cluster') ? 'clusters' : 'units'} in ${where} do not split exactly by the ratios), so assignments are not equally likely` };
    }
    sizes.push(q.floors);
    count *= multinomial(q.floors);
  }
  return { fixed: true, count, sizes };
}

/** Lexicographic next permutation of a multiset in place; false (and sorted again) after the last. */
function nextPermutation(a: Uint16Array): boolean {
  let i = a.length - 2;
  while (i >= 0 && (a[i] as number) >= (a[i + 1] as number)) i--;
  if (i < 0) {
    a.reverse();
    return false;
  }
  let j = a.length - 1;
  while ((a[j] as number) <= (a[i] as number)) j--;
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
  a.subarray(i + 1).reverse();
  return true;
}

/**
 * Calls visit with every assignment of the support (element → arm index), each once; the array is
 * reused between calls. Strata advance like an odometer, the first stratum fastest.
 */
export function enumerateSupport(procedure: AssignmentProcedure, sizes: readonly (readonly number[])[], visit: (z: Uint16Array) => void): void {
  const z = new Uint16Array(procedure.elementNames.length);
  const labels = procedure.strata.map((s, k) => {
    const a = new Uint16Array(s.elements.length);
    let i = 0;
    (sizes[k] as readonly number[]).forEach((size, arm) => {
      for (let c = 0; c < size; c++) a[i++] = arm;
    });
    return a;
  });
  const write = (k: number): void => {
    const s = procedure.strata[k];
    const a = labels[k] as Uint16Array;
    if (s === undefined) return;
    for (let i = 0; i < a.length; i++) z[s.elements[i] as number] = a[i] as number;
  };
  procedure.strata.forEach((_, k) => write(k));
  for (;;) {
    visit(z);
    let k = 0;
    while (k < labels.length && !nextPermutation(labels[k] as Uint16Array)) write(k++);
    if (k === labels.length) return;
    write(k);
  }
}

/**
 * Refuses an observed assignment the procedure could not have drawn (arm sizes of a stratum off
 * its quotas): then the data do not come from this procedure (another method or ratio, or units
 * missing), and a p-value over its support would answer another question.
 */
export function assertInSupport(procedure: AssignmentProcedure, z: Uint16Array): void {
  for (const s of procedure.strata) {
    const { floors, weights } = armQuotas(s.elements.length, procedure.ratios);
    const counts = floors.map(() => 0);
    for (const e of s.elements) counts[z[e] as number] = (counts[z[e] as number] as number) + 1;
    const bad = counts.findIndex((n, k) => n !== floors[k] && !(n === (floors[k] as number) + 1 && (weights[k] as number) > 0));
    if (bad >= 0) {
      const unit = procedure.method.includes('cluster') ? 'clusters' : 'units';
      const allowed = (weights[bad] as number) > 0 ? `${floors[bad] as number} or ${(floors[bad] as number) + 1}` : String(floors[bad]);
      throw new RandomizationError(
        `${s.block !== undefined ? `block "${s.block}"` : 'the design'} has ${counts[bad] as number} of ${s.elements.length} ${unit} in arm "${(procedure.arms[bad] as { armId: string }).armId}", but the ${procedure.method} procedure (ratios ${procedure.arms.map((a) => `${a.armId} ${a.ratio}`).join(' : ')}) puts ${allowed} there: the data do not come from this procedure`,
      );
    }
  }
}

/**
 * The observed assignment as a draw of the procedure (element → arm index), from each unit's arm
 * (in procedure.units order), checked to be one the procedure could have drawn.
 */
export function observedDraw(procedure: AssignmentProcedure, armOfUnit: readonly string[]): Uint16Array {
  const z = new Uint16Array(procedure.elementNames.length);
  const seen = new Int32Array(procedure.elementNames.length).fill(-1);
  procedure.units.forEach((u, i) => {
    const k = procedure.arms.findIndex((a) => a.armId === armOfUnit[i]);
    if (k < 0) throw new RandomizationError(`unit "${u.id}" is in arm "${String(armOfUnit[i])}", which is not in the design`);
    const e = procedure.elementOfUnit[i] as number;
    const before = seen[e] as number;
    if (before >= 0 && before !== k) throw new RandomizationError(`cluster "${procedure.elementNames[e] as string}" has units in two arms, so it was not assigned as a whole: the data do not come from the ${procedure.method} procedure`);
    seen[e] = k;
    z[e] = k;
  });
  assertInSupport(procedure, z);
  return z;
}
