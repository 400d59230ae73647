import { prepareProcedure } from '../randomize/procedure.js';
import { createRng, deriveRng, standardNormal } from '../randomize/rng.js';
import { treatmentFit } from './lin.js';
import { mdeAnalytic, powerDesign, type PowerDesign } from './power.js';

/**
 * Power by simulation, to check the analytic MDE on the design as it will really be run: each
 * replication draws outcomes with the design's ICC (cluster effect of variance ρ, individual noise
 * 1 − ρ), a baseline covariate with the same ICC that explains R², who answers (response ×
 * (1 − attrition)), then assigns through the study's own procedure (cluster, or block_cluster
 * with blocks; randomize/procedure.ts) and tests with the report's CR2 estimator (Lin-adjusted
 * for the covariate when R² > 0), two-sided at α. Power is the share of rejections, with its
 * binomial Monte Carlo SE; the simulated MDE is the analytic multiplier times the SD of the
 * estimates under no effect. Seeded: the same inputs give the same numbers.
 */

export interface PowerSimulation {
  effect: number;
  simulations: number;
  power: number;
  mcSe: number;
  /** Replications where the estimator could not run (counted as not rejecting). */
  failed: number;
  /** SD of the estimates (the simulated standard error), in outcome units. */
  sdEstimate: number;
  /** The analytic multiplier × sdEstimate. */
  mde: number;
  /** Monte Carlo SE of that MDE (SD of an SD: sd / √(2(S − 1))). */
  mdeSe: number;
}

export function simulatePower(input: PowerDesign, options: { effect?: number; simulations?: number; seed?: number } = {}): PowerSimulation {
  const d = powerDesign(input);
  const analytic = mdeAnalytic(input);
  const effect = options.effect ?? analytic.mde;
  const S = options.simulations ?? 1000;
  if (!Number.isInteger(S) || S < 2) throw new RangeError(`the number of simulations must be a whole number of at least 2, got ${String(S)}`);
  const seed = options.seed ?? 1;
  const method = d.blocks > 1 ? 'block_cluster' : 'cluster';
  const names = Array.from({ length: d.clusters }, (_, j) => `c${String(j).padStart(4, '0')}`);
  const units = names.flatMap((cluster, j) => Array.from({ length: d.clusterSize }, (_, i) => ({ id: `${cluster}-${String(i).padStart(4, '0')}`, cluster, block: `b${j % d.blocks}` })));
  const treated = d.treatedClusters;
  const procedure = prepareProcedure(units, { method, arms: [{ armId: 'treatment', ratio: treated }, { armId: 'control', ratio: d.clusters - treated }] });
  const t = procedure.arms.findIndex((a) => a.armId === 'treatment');
  const keep = d.response * (1 - d.attrition);
  const rho = d.icc;
  const z = new Uint16Array(procedure.elementNames.length);
  const seeds = createRng(seed);
  let rejections = 0;
  let failed = 0;
  const estimates: number[] = [];
  for (let s = 0; s < S; s++) {
    const rng = deriveRng(seed, ['power', s]);
    procedure.draw(seeds.nextUint32(), z);
    const level = procedure.elementNames.map(() => [standardNormal(rng), standardNormal(rng)] as const);
    const y: number[] = [];
    const zz: number[] = [];
    const x: number[] = [];
    const clusters: string[] = [];
    procedure.units.forEach((u, i) => {
      const e = procedure.elementOfUnit[i] as number;
      const [ue, ax] = level[e] as readonly [number, number];
      const xi = Math.sqrt(rho) * ax + Math.sqrt(1 - rho) * standardNormal(rng);
      const noise = Math.sqrt(rho) * ue + Math.sqrt(1 - rho) * standardNormal(rng);
      const treatedUnit = z[e] === t ? 1 : 0;
      if (rng.nextFloat() >= keep) return;
      y.push(d.sd * (effect / d.sd * treatedUnit + Math.sqrt(d.r2) * xi + Math.sqrt(1 - d.r2) * noise));
      zz.push(treatedUnit);
      x.push(xi);
      clusters.push(u.cluster as string);
    });
    try {
      const { treatment } = treatmentFit(y, zz, d.r2 > 0 ? { x } : {}, d.alpha, clusters);
      estimates.push(treatment.estimate - effect);
      if (treatment.p < d.alpha) rejections++;
    } catch {
      failed++;
    }
  }
  const power = rejections / S;
  const m = estimates.reduce((a, v) => a + v, 0) / estimates.length;
  const sdEstimate = Math.sqrt(estimates.reduce((a, v) => a + (v - m) ** 2, 0) / (estimates.length - 1));
  return {
    effect,
    simulations: S,
    power,
    mcSe: Math.sqrt((power * (1 - power)) / S),
    failed,
    sdEstimate,
    mde: analytic.multiplier * sdEstimate,
    mdeSe: (analytic.multiplier * sdEstimate) / Math.sqrt(2 * (estimates.length - 1)),
  };
}
