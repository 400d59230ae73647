/**
 * Randomization inference against R's ri2::conduct_ri (test/fixtures/stats/generate-ri.R): on four
 * designs small enough to enumerate, the exact p-value must equal ri2's to 1e-12 (both are
 * counts over the same exhaustive set of assignments) and the observed statistic estimatr's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareProcedure, type RandomizationMethod } from '../../functions/core/randomize/index.js';
import { randomizationInference } from '../../functions/core/stats/ri.js';
import { riStatistic, unitPositions, type RiEstimator } from '../../functions/core/stats/ri-statistics.js';

interface Fixture {
  method: RandomizationMethod;
  assignments: number;
  data: { id: string[]; block: string[]; cluster: string[]; x: number[]; y: number[]; z: number[] };
  ri: { estimator: RiEstimator; observed: number; p: number; permutations: number }[];
}
const load = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/stats/${name}.json`, import.meta.url), 'utf8')) as Fixture;

function run(f: Fixture, estimator: RiEstimator, generic: boolean) {
  const d = f.data;
  const blocked = f.method === 'block' || f.method === 'block_cluster';
  const clustered = f.method === 'cluster' || f.method === 'block_cluster';
  const units = d.id.map((id, i) => ({ id, ...(blocked ? { block: d.block[i] as string } : {}), ...(clustered ? { cluster: d.cluster[i] as string } : {}) }));
  const procedure = prepareProcedure(units, { method: f.method, arms: [{ armId: 'treatment', ratio: 1 }, { armId: 'control', ratio: 1 }] });
  const at = unitPositions(procedure);
  const order = procedure.units.map((u) => d.id.indexOf(u.id));
  expect(order.every((i, k) => at.get(d.id[i] as string) === k)).toBe(true);
  const observedZ = new Uint16Array(procedure.elementNames.length);
  const treated = procedure.arms.findIndex((a) => a.armId === 'treatment');
  order.forEach((i, k) => {
    observedZ[procedure.elementOfUnit[k] as number] = d.z[i] === 1 ? treated : 1 - treated;
  });
  // ri2's statistics, as generate-ri.R calls them: ols and block-cluster cr2 adjust for x (lm_lin).
  const withX = estimator === 'ols' || (estimator === 'cr2' && f.method === 'block_cluster');
  const { statistic, fast } = riStatistic({
    procedure,
    y: order.map((i) => d.y[i] as number),
    treatedArm: 'treatment',
    controlArm: 'control',
    estimator,
    ...(estimator === 'dim' && blocked ? { blocks: order.map((i) => d.block[i] as string) } : {}),
    ...(withX ? { covariates: { x: order.map((i) => d.x[i] as number) } } : {}),
    ...(estimator === 'cr2' ? { clusters: order.map((i) => d.cluster[i] as string) } : {}),
    generic,
  });
  return { ...randomizationInference(procedure, observedZ, statistic), fast };
}

describe.each(['ri-complete', 'ri-blocked', 'ri-clustered', 'ri-block-cluster'])('%s: ri2 parity', (name) => {
  const f = load(name);
  it.each(f.ri.map((r) => [r.estimator, r] as const))('%s: exact p equals ri2 to 1e-12', (estimator, ref) => {
    // Both routes: the estimator re-fitted on every draw, and its O(clusters) equivalent where there is one.
    for (const generic of [false, true]) {
      const r = run(f, estimator, generic);
      expect(r.exact).toBe(true);
      expect(r.permutations).toBe(f.assignments);
      expect(r.permutations).toBe(ref.permutations);
      expect(Math.abs(r.observed - ref.observed)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref.observed)));
      expect(Math.abs(r.p - ref.p)).toBeLessThanOrEqual(1e-12);
      expect(r.undefinedDraws).toBe(0);
      if (!generic) expect(r.fast).toBe(estimator === 'dim' || f.method.includes('cluster'));
    }
  });
});
