/**
 * Randomization inference at scale: 10,000 Monte Carlo permutations of the study's own procedure
 * (block_cluster: 200 factories in 2 strata) on 100,000 participants, for the difference in means
 * the CR2 t, and the CR2 t of the Lin-adjusted regression, each against its floor: 10,000 × the cost of one estimate with the public
 * estimator (differenceInMeans, the CR2 regression of the impact report) measured in the same run.
 * Target ≤ 1.5× the floor. Memory must not grow with M: the heap is sampled inside the run (it is
 * synchronous, so a timer would never fire) at M = 1,000 and M = 10,000.
 * `SAUTI_BENCH_SCALE` (e.g. 0.1) shrinks N and M for a quick run.
 */
import { prepareProcedure, observedDraw, assign, createRng, standardNormal } from '../functions/core/randomize/index.js';
import { differenceInMeans } from '../functions/core/stats/dim.js';
import { treatmentFit } from '../functions/core/stats/lin.js';
import { randomizationInference, type RiStatistic } from '../functions/core/stats/ri.js';
import { riStatistic } from '../functions/core/stats/ri-statistics.js';
import { type BenchResult, type Metric, atMost, bytes, fullGc, mdTable, median, progress, withinFloor } from './lib.js';

const SCALE = Number(process.env.SAUTI_BENCH_SCALE ?? 1);
const N = Math.max(2_000, Math.round(100_000 * SCALE));
const M = Math.max(1_000, Math.round(10_000 * SCALE));
const CLUSTERS = 200;
const SEED = 20_270_105;
const ARMS = [{ armId: 'treatment', ratio: 1 }, { armId: 'control', ratio: 1 }];

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function data() {
  const rng = createRng(SEED);
  const units = Array.from({ length: N }, (_, i) => {
    const c = i % CLUSTERS;
    return { id: `p${String(i).padStart(6, '0')}`, cluster: `f${String(c).padStart(3, '0')}`, block: c % 2 === 0 ? 'north' : 'south' };
  });
  const { assignments } = assign(units, { method: 'block_cluster', arms: ARMS }, SEED);
  const effect = Array.from({ length: CLUSTERS }, () => standardNormal(rng) * 0.3);
  const y = units.map((u, i) => 1000 + 200 * ((effect[i % CLUSTERS] as number) + standardNormal(rng)) + (assignments.get(u.id) === 'treatment' ? 20 : 0));
  return { units, assignments, y };
}

/** Runs RI with M draws, sampling the heap every 250 statistics; returns time and peak heap growth. */
function runRi(procedure: ReturnType<typeof prepareProcedure>, observed: Uint16Array, statistic: RiStatistic, draws: number) {
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let calls = 0;
  const sampled: RiStatistic = (z) => {
    calls += 1;
    if (calls % 250 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    return statistic(z);
  };
  const start = performance.now();
  const r = randomizationInference(procedure, observed, sampled, { permutations: draws, seed: 1 });
  return { ms: performance.now() - start, heap: peak - base, r };
}

export async function run(): Promise<BenchResult> {
  progress(`building ${N.toLocaleString('en-US')} participants in ${CLUSTERS} clusters`);
  const { units, assignments, y } = data();
  const prepStart = performance.now();
  const procedure = prepareProcedure(units, { method: 'block_cluster', arms: ARMS });
  const observed = observedDraw(procedure, procedure.units.map((u) => assignments.get(u.id) as string));
  const prepMs = performance.now() - prepStart;
  const yOrdered = procedure.units.map((_, i) => y[i] as number);
  const z01 = procedure.units.map((u) => (assignments.get(u.id) === 'treatment' ? 1 : 0));
  const blocks = procedure.units.map((u) => u.block as string);
  const clusters = procedure.units.map((u) => u.cluster as string);

  // Floors: one estimate with the public estimator, median of a few calls.
  const once = (f: () => void, k: number) => median(Array.from({ length: k }, () => { const t = performance.now(); f(); return performance.now() - t; }));
  progress('timing one estimate of each estimator');
  const dimOnce = once(() => differenceInMeans({ y: yOrdered, z: z01, blocks }), 7);
  const cr2Once = once(() => treatmentFit(yOrdered, z01, {}, 0.05, clusters), 3);
  const x = procedure.units.map((_, i) => (yOrdered[i] as number) / 400 + Math.sin(i));
  const linOnce = once(() => treatmentFit(yOrdered, z01, { x }, 0.05, clusters), 3);

  const dim = riStatistic({ procedure, y: yOrdered, treatedArm: 'treatment', controlArm: 'control', estimator: 'dim', blocks });
  const cr2 = riStatistic({ procedure, y: yOrdered, treatedArm: 'treatment', controlArm: 'control', estimator: 'cr2', clusters });
  const lin = riStatistic({ procedure, y: yOrdered, treatedArm: 'treatment', controlArm: 'control', estimator: 'cr2', clusters, covariates: { x } });
  const rows: string[][] = [];
  const metrics: Metric[] = [];
  for (const [name, stat, one] of [['blocked difference in means', dim, dimOnce], ['CR2 t statistic', cr2, cr2Once], ['CR2 t, Lin-adjusted for a covariate', lin, linOnce]] as const) {
    await fullGc();
    const before = process.memoryUsage().heapUsed;
    const small = runRi(procedure, observed, stat.statistic, Math.round(M / 10));
    await fullGc();
    progress(`RI, ${name}, ${M.toLocaleString('en-US')} permutations`);
    const big = runRi(procedure, observed, stat.statistic, M);
    const floor = M * one;
    rows.push([name, secs(big.ms), secs(floor), `${(big.ms / floor).toFixed(4)}×`, big.r.p.toFixed(4), big.r.mcSe.toFixed(4), bytes(small.heap), bytes(big.heap)]);
    metrics.push(withinFloor(`RI ${name}, ${M.toLocaleString('en-US')} permutations, N = ${N.toLocaleString('en-US')}`, big.ms, floor, 1.5, secs));
    // Flat in M: nothing is kept per draw, so after a full GC the heap is back where it was. The peak
    // (reported, no target) is short-lived garbage of the draws (streams, label arrays), bounded by the
    // young generation rather than by M: compare the two peak columns.
    await fullGc();
    const retained = Math.max(0, process.memoryUsage().heapUsed - before);
    rows[rows.length - 1]?.push(bytes(retained));
    metrics.push(atMost(`RI ${name}: heap retained after ${M.toLocaleString('en-US')} permutations`, retained, 1024 * 1024, bytes));
  }
  const markdown = [
    `${N.toLocaleString('en-US')} participants in ${CLUSTERS} factories (2 strata), assigned by the block_cluster procedure; RI draws ${M.toLocaleString('en-US')} seeded permutations of the same procedure (the support, C(100, 50)², is far above the enumeration limit). Preparing the procedure and the observed draw: ${secs(prepMs)}. Floor: ${M.toLocaleString('en-US')} × one estimate with the public estimator (median: difference in means ${dimOnce.toFixed(2)} ms, CR2 regression ${cr2Once.toFixed(1)} ms, with a Lin-adjusted covariate ${linOnce.toFixed(1)} ms). The RI statistics work on per-factory sums and per-factory thin SVDs (stats/ri-statistics.ts, ri-regression.ts), which is why they are far below the floor.`,
    '',
    mdTable(['statistic', 'RI time', 'floor', 'ratio', 'p', 'MC SE', `heap growth, M = ${Math.round(M / 10).toLocaleString('en-US')}`, `heap growth, M = ${M.toLocaleString('en-US')}`, 'retained after GC'], rows),
  ].join('\n');
  return { title: 'Randomization inference (10,000 permutations, 100,000 participants, 200 clusters)', markdown, metrics };
}
