import type { AssignmentProcedure } from '../randomize/procedure.js';
import { differenceInMeans } from './dim.js';
import { treatmentFit } from './lin.js';
import { EIGEN_TOL } from './ols.js';
import type { RiStatistic } from './ri.js';
import { groupedRegressionStatistic } from './ri-regression.js';

/**
 * The test statistics of randomization inference, one per estimator of the impact report, as
 * functions of a re-drawn assignment (element → arm index):
 *  - dim: the (blocked) difference in means;
 *  - ols: the treatment coefficient of the Lin-adjusted regression (ANCOVA), HC2 fit;
 *  - cr2: the randomization-t of the same regression with CR2 (the coefficient over its CR2 SE),
 *    as Young (2019) recommends with few clusters and as ri2 does with studentize = TRUE; the bare
 *    coefficient would repeat the ols test.
 * Units whose outcome is missing stay in the procedure (they occupy their slots in every draw) but
 * not in the statistic. In multi-arm studies each draw re-runs the whole procedure and the
 * comparison takes the units that land in its two arms: the sharp null is no effect of any arm.
 *
 * Every statistic is the public estimator re-run (differenceInMeans, lmRobust). Three cases have an
 * equivalent that costs O(clusters) per draw instead of O(N), checked against the estimator in
 * test/unit/ri-properties.test.ts: the difference in means (sums per element and block); the
 * regressions with covariates when whole clusters were randomized in a two-arm design
 * (stats/ri-regression.ts); and the CR2 t without covariates when each CR2 cluster lies in one
 * randomized element: there
 * X_s = 1·x_s′, H_ss = (n_s/N_a)·J/n_s, so A_s has eigenvalue (1 − n_s/N_a)^(−1/2) on the ones
 * vector and the CR2 variance of the coefficient is Σ_arms Σ_s E_s² / ((1 − n_s/N_a) N_a²), with
 * E_s the cluster's residual sum.
 */

export type RiEstimator = 'dim' | 'ols' | 'cr2';

export interface RiProblem {
  procedure: AssignmentProcedure;
  /** Per unit of procedure.units (that order): the outcome, null when not observed. */
  y: readonly (number | null)[];
  treatedArm: string;
  controlArm: string;
  estimator: RiEstimator;
  /** Per unit: blocks of the difference in means (blocked when given). */
  blocks?: readonly string[];
  /** Per unit: covariates of ols / cr2 (Lin-adjusted when any). */
  covariates?: Readonly<Record<string, readonly number[]>>;
  /** Per unit: clusters of cr2. */
  clusters?: readonly string[];
  /** Lin's centring and interactions (default true, as the impact report); false: covariates as they are. */
  lin?: boolean;
  /** Re-run the estimator on every draw even where an O(clusters) equivalent exists (tests, bench). */
  generic?: boolean;
}

export interface PreparedStatistic {
  statistic: RiStatistic;
  /** What the statistic is, for reports. */
  name: string;
  /** Whether an O(clusters) equivalent is used. */
  fast: boolean;
}

/** Unit id → position in procedure.units, to lay the caller's data out in that order. */
export function unitPositions(procedure: AssignmentProcedure): Map<string, number> {
  return new Map(procedure.units.map((u, i) => [u.id, i]));
}

function armIndex(procedure: AssignmentProcedure, armId: string): number {
  const k = procedure.arms.findIndex((a) => a.armId === armId);
  if (k < 0) throw new RangeError(`arm "${armId}" is not in the design (arms: ${procedure.arms.map((a) => a.armId).join(', ')})`);
  return k;
}

function checkLength(what: string, values: { length: number } | undefined, n: number): void {
  if (values !== undefined && values.length !== n) throw new RangeError(`${what} has ${values.length} values for ${n} units`);
}

export function riStatistic(problem: RiProblem): PreparedStatistic {
  const { procedure, y, estimator, blocks, clusters } = problem;
  const covariates = problem.covariates ?? {};
  const n = procedure.units.length;
  checkLength('the outcome', y, n);
  checkLength('blocks', blocks, n);
  checkLength('clusters', clusters, n);
  for (const [name, v] of Object.entries(covariates)) checkLength(`covariate "${name}"`, v, n);
  if (estimator === 'cr2' && clusters === undefined) throw new RangeError('the CR2 statistic needs clusters');
  const t = armIndex(procedure, problem.treatedArm);
  const c = armIndex(procedure, problem.controlArm);
  const observed = y.flatMap((v, i) => (v === null ? [] : [i]));
  const elementOf = procedure.elementOfUnit;
  const hasCovariates = Object.keys(covariates).length > 0;
  const name =
    estimator === 'dim'
      ? `${blocks ? 'blocked ' : ''}difference in means`
      : `${estimator === 'cr2' ? 'CR2 t statistic' : 'coefficient'} of the ${hasCovariates ? ((problem.lin ?? true) ? 'Lin-adjusted regression' : 'covariate-adjusted regression') : 'regression on treatment'}`;

  if (!problem.generic && estimator === 'dim') return { statistic: dimBySums(observed, y, elementOf, blocks, t, c), name, fast: true };
  if (!problem.generic && estimator === 'cr2' && !hasCovariates && clusters && clustersWithinElements(observed, clusters, elementOf)) {
    return { statistic: cr2tByClusters(observed, y, elementOf, clusters, t, c), name, fast: true };
  }
  // With covariates, per-cluster sums pay off when whole clusters were randomized and the sample is
  // the same in every draw (two arms); stats/ri-regression.ts.
  const byCluster = procedure.method === 'cluster' || procedure.method === 'block_cluster';
  if (!problem.generic && estimator !== 'dim' && hasCovariates && byCluster && procedure.arms.length === 2 && (estimator === 'ols' || (clusters && clustersWithinElements(observed, clusters, elementOf)))) {
    const names = Object.keys(covariates);
    const lin = problem.lin ?? true;
    const centre = names.map((k) => (lin ? observed.reduce((a, i) => a + ((covariates[k] as readonly number[])[i] as number), 0) / observed.length : 0));
    const statistic = groupedRegressionStatistic({
      y: observed.map((i) => y[i] as number),
      x: observed.map((i) => names.map((k, j) => ((covariates[k] as readonly number[])[i] as number) - (centre[j] as number))),
      group: observed.map((i) => (estimator === 'cr2' ? (clusters as readonly string[])[i] as string : String(elementOf[i]))),
      element: observed.map((i) => elementOf[i] as number),
      lin,
      kind: estimator === 'cr2' ? 'cr2t' : 'coefficient',
      treatedArm: t,
      controlArm: c,
    });
    return { statistic, name, fast: true };
  }

  const statistic: RiStatistic = (z) => {
    const idx = observed.filter((i) => {
      const a = z[elementOf[i] as number];
      return a === t || a === c;
    });
    const yy = idx.map((i) => y[i] as number);
    const zz = idx.map((i) => (z[elementOf[i] as number] === t ? 1 : 0));
    try {
      if (estimator === 'dim') return differenceInMeans({ y: yy, z: zz, ...(blocks ? { blocks: idx.map((i) => blocks[i] as string) } : {}) }).estimate;
      const cov = Object.fromEntries(Object.entries(covariates).map(([k, v]) => [k, idx.map((i) => v[i] as number)]));
      const { treatment } = treatmentFit(yy, zz, cov, 0.05, estimator === 'cr2' ? idx.map((i) => (clusters as readonly string[])[i] as string) : undefined, problem.lin ?? true);
      return estimator === 'cr2' ? treatment.t : treatment.estimate;
    } catch {
      return Number.NaN;
    }
  };
  return { statistic, name, fast: false };
}

/** Observed units grouped into cells (element, block): count and sum of y. */
function cells(observed: readonly number[], y: readonly (number | null)[], elementOf: Int32Array, key: (i: number) => string) {
  const index = new Map<string, number>();
  const element: number[] = [];
  const group: string[] = [];
  const count: number[] = [];
  const sum: number[] = [];
  for (const i of observed) {
    const k = `${elementOf[i] as number}\u0000${key(i)}`;
    let cell = index.get(k);
    if (cell === undefined) {
      cell = element.length;
      index.set(k, cell);
      element.push(elementOf[i] as number);
      group.push(key(i));
      count.push(0);
      sum.push(0);
    }
    count[cell] = (count[cell] as number) + 1;
    sum[cell] = (sum[cell] as number) + (y[i] as number);
  }
  return { element: Int32Array.from(element), group, count: Float64Array.from(count), sum: Float64Array.from(sum) };
}

function dimBySums(observed: readonly number[], y: readonly (number | null)[], elementOf: Int32Array, blocks: readonly string[] | undefined, t: number, c: number): RiStatistic {
  const cs = cells(observed, y, elementOf, (i) => (blocks ? (blocks[i] as string) : ''));
  const levels = [...new Set(cs.group)];
  const blockOf = Int32Array.from(cs.group, (g) => levels.indexOf(g));
  const J = levels.length;
  const n1 = new Float64Array(J);
  const n0 = new Float64Array(J);
  const s1 = new Float64Array(J);
  const s0 = new Float64Array(J);
  return (z) => {
    n1.fill(0);
    n0.fill(0);
    s1.fill(0);
    s0.fill(0);
    for (let k = 0; k < cs.element.length; k++) {
      const a = z[cs.element[k] as number];
      const b = blockOf[k] as number;
      if (a === t) {
        n1[b] = (n1[b] as number) + (cs.count[k] as number);
        s1[b] = (s1[b] as number) + (cs.sum[k] as number);
      } else if (a === c) {
        n0[b] = (n0[b] as number) + (cs.count[k] as number);
        s0[b] = (s0[b] as number) + (cs.sum[k] as number);
      }
    }
    let total = 0;
    for (let b = 0; b < J; b++) total += (n1[b] as number) + (n0[b] as number);
    let estimate = 0;
    for (let b = 0; b < J; b++) {
      const nb = (n1[b] as number) + (n0[b] as number);
      if (nb === 0) continue;
      if (n1[b] === 0 || n0[b] === 0) return Number.NaN; // as differenceInMeans: a block needs both arms
      estimate += (nb / total) * ((s1[b] as number) / (n1[b] as number) - (s0[b] as number) / (n0[b] as number));
    }
    return estimate;
  };
}

function clustersWithinElements(observed: readonly number[], clusters: readonly string[], elementOf: Int32Array): boolean {
  const elementOfCluster = new Map<string, number>();
  for (const i of observed) {
    const e = elementOfCluster.get(clusters[i] as string);
    if (e === undefined) elementOfCluster.set(clusters[i] as string, elementOf[i] as number);
    else if (e !== elementOf[i]) return false;
  }
  return true;
}


function cr2tByClusters(observed: readonly number[], y: readonly (number | null)[], elementOf: Int32Array, clusters: readonly string[], t: number, c: number): RiStatistic {
  const cs = cells(observed, y, elementOf, (i) => clusters[i] as string);
  const K = cs.element.length;
  return (z) => {
    let n1 = 0;
    let n0 = 0;
    let s1 = 0;
    let s0 = 0;
    let j1 = 0;
    let j0 = 0;
    for (let k = 0; k < K; k++) {
      const a = z[cs.element[k] as number];
      if (a === t) {
        n1 += cs.count[k] as number;
        s1 += cs.sum[k] as number;
        j1++;
      } else if (a === c) {
        n0 += cs.count[k] as number;
        s0 += cs.sum[k] as number;
        j0++;
      }
    }
    if (j1 + j0 < 2 || n1 < 1 || n0 < 1 || n1 + n0 <= 2) return Number.NaN;
    const m1 = s1 / n1;
    const m0 = s0 / n0;
    let v = 0;
    for (let k = 0; k < K; k++) {
      const a = z[cs.element[k] as number];
      if (a !== t && a !== c) continue;
      const na = a === t ? n1 : n0;
      const e = (cs.sum[k] as number) - (cs.count[k] as number) * (a === t ? m1 : m0);
      const l = 1 - (cs.count[k] as number) / na;
      if (l > EIGEN_TOL) v += (e * e) / l / (na * na);
    }
    return (m1 - m0) / Math.sqrt(v);
  };
}
