import type { Command } from 'commander';
import { prepareProcedure, observedDraw, type RandomizationMethod } from '../../functions/core/randomize/index.js';
import { METHODS } from '../../functions/core/randomize/design.js';
import { randomizationInference, type RiResult } from '../../functions/core/stats/ri.js';
import { riStatistic, type RiEstimator } from '../../functions/core/stats/ri-statistics.js';

/**
 * `sauti analyze --ri`: randomization inference on a CSV, by re-running the procedure the study was
 * randomized with. The file carries the arm, stratum and cluster of every participant but not the
 * method or ratios, so they are asked for: without them there is no procedure to re-run (a study
 * randomized outside Sauti), and the command says so rather than guessing.
 */
/**
 * The randomization-inference draw options, one spelling for `analyze --ri` and `preregister`
 * (a pre-registered RI plan must read as the analysis will run it).
 */
export function riDrawOptions(cmd: Command): Command {
  return cmd
    .option('--ri-limit <n>', 'RI: enumerate every assignment when there are at most n', '100000')
    .option('--ri-permutations <m>', 'RI: otherwise, draw m seeded permutations', '10000')
    .option('--ri-seed <n>', 'RI: seed of the permutation draws', '1');
}

export interface RiCliOptions {
  riMethod?: string;
  /** treated:control, default 1:1. */
  riRatio?: string;
  riLimit?: string;
  riPermutations?: string;
  riSeed?: string;
  /** Column with a unit id (default pid when present, else the row number). */
  id?: string;
}

export interface AnalyzeRi {
  p_value: number;
  exact: boolean;
  permutations: number;
  mc_se: number;
  statistic: string;
  observed: number;
  method: RandomizationMethod;
  /** Why the p-value is Monte Carlo rather than exact. */
  reason?: string;
}

export interface RiRow {
  id: string;
  treated: boolean;
  block?: string;
  cluster?: string;
  /** Null when the outcome (or a covariate) is missing: the unit is re-randomized but not in the statistic. */
  y: number | null;
  covariates: Record<string, number>;
}

function integerOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, not "${value}".`);
  return n;
}

function ratioOption(value: string | undefined): [number, number] {
  const parts = (value ?? '1:1').split(':').map(Number);
  if (parts.length !== 2 || parts.some((r) => !(r > 0) || !Number.isFinite(r))) throw new Error(`--ri-ratio must be treated:control, e.g. 1:1 or 1:2, not "${value ?? ''}".`);
  return parts as [number, number];
}

export function analyzeRi(opts: RiCliOptions & { block?: string; cluster?: string; estimator: RiEstimator }, rows: readonly RiRow[], covariateNames: readonly string[]): AnalyzeRi {
  if (opts.riMethod === undefined) {
    throw new Error('--ri needs the procedure the study was randomized with: --ri-method complete|block|cluster|block_cluster (and --ri-ratio if not 1:1); a study randomized outside Sauti has no procedure to re-run.');
  }
  const method = opts.riMethod as RandomizationMethod;
  if (!METHODS.includes(method)) throw new Error(`--ri-method must be one of ${METHODS.join(', ')}, not "${opts.riMethod}".`);
  if ((method === 'block' || method === 'block_cluster') && !opts.block) throw new Error(`--ri-method ${method} needs --block (the stratum column the study was randomized by).`);
  if ((method === 'cluster' || method === 'block_cluster') && !opts.cluster) throw new Error(`--ri-method ${method} needs --cluster (the cluster column the study was randomized by).`);
  const [treatedRatio, controlRatio] = ratioOption(opts.riRatio);
  const procedure = prepareProcedure(
    rows.map((r) => ({ id: r.id, ...(r.block !== undefined ? { block: r.block } : {}), ...(r.cluster !== undefined ? { cluster: r.cluster } : {}) })),
    { method, arms: [{ armId: 'treatment', ratio: treatedRatio }, { armId: 'control', ratio: controlRatio }] },
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = procedure.units.map((u) => byId.get(u.id) as RiRow);
  const observed = observedDraw(procedure, ordered.map((r) => (r.treated ? 'treatment' : 'control')));
  const { statistic, name } = riStatistic({
    procedure,
    y: ordered.map((r) => r.y),
    treatedArm: 'treatment',
    controlArm: 'control',
    estimator: opts.estimator,
    lin: false,
    ...(opts.estimator === 'dim' && opts.block ? { blocks: ordered.map((r) => r.block as string) } : {}),
    ...(opts.estimator !== 'dim' && covariateNames.length > 0 ? { covariates: Object.fromEntries(covariateNames.map((c) => [c, ordered.map((r) => r.covariates[c] ?? 0)])) } : {}),
    ...(opts.estimator === 'cr2' ? { clusters: ordered.map((r) => r.cluster as string) } : {}),
  });
  const limit = integerOption(opts.riLimit, '--ri-limit');
  const permutations = integerOption(opts.riPermutations, '--ri-permutations');
  const seed = integerOption(opts.riSeed, '--ri-seed');
  const r: RiResult = randomizationInference(procedure, observed, statistic, {
    ...(limit !== undefined ? { limit } : {}),
    ...(permutations !== undefined ? { permutations } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  return { p_value: r.p, exact: r.exact, permutations: r.permutations, mc_se: r.mcSe, statistic: name, observed: r.observed, method, ...(r.reason ? { reason: r.reason } : {}) };
}
