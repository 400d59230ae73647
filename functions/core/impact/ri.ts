import type { Participant, Study } from '../model.js';
import type { RandomizationMethod } from '../randomize/design.js';
import { prepareProcedure, type AssignmentProcedure } from '../randomize/procedure.js';
import { observedDraw, supportSize } from '../randomize/support.js';
import { DEFAULT_RI_LIMIT, DEFAULT_RI_PERMUTATIONS, randomizationInference, type RiOptions, type RiResult } from '../stats/ri.js';
import { riStatistic, type RiEstimator } from '../stats/ri-statistics.js';

/**
 * Randomization inference in the impact report: the study's initial randomization re-run through
 * its own procedure (method from the randomization record, ratios from the study's arms, the
 * participants' strata and clusters), one p-value per estimator beside the model-based ones.
 *
 * Not run, with the reason in the report's notes, when there is no procedure to re-run: no
 * randomization record (a study randomized outside Sauti), late joiners assigned by rolling
 * enrolment (their permuted blocks depend on arrival order and the stored block state, which a
 * re-run would have to replay; not implemented), or assignments the procedure could not have made.
 * The difference in means always, and the regressions in cluster designs, cost O(clusters) a draw
 * (stats/ri-statistics.ts); a statistic that re-fits a regression on N rows costs a fit a draw, so
 * it runs only within GENERIC_BUDGET unit-draws (bounded time in an API request), else says so.
 */

export const GENERIC_BUDGET = 20_000_000;

export interface OutcomeRi {
  dim?: RiResult;
  ols?: RiResult;
  cr2?: RiResult;
}

export interface ImpactRi {
  procedure: AssignmentProcedure;
  observed: Uint16Array;
  position: Map<string, number>;
  options: RiOptions;
}

export interface RiUnit {
  participant: Participant;
  armId: string;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function prepareImpactRi(study: Study, units: readonly RiUnit[], method: RandomizationMethod | undefined, initialRandomizationId: string | undefined, options: RiOptions, notes: string[]): ImpactRi | undefined {
  if (!method) {
    notes.push('Randomization inference not run: there is no randomization record, so no procedure to re-run (a study randomized outside Sauti cannot be re-randomized).');
    return undefined;
  }
  // Rolling runs are stored as ra-rolling-{seed} (randomize/study.ts); any run but the initial one is late.
  const late = units.filter((u) => {
    const run = u.participant.assignment?.randomizationId;
    return run !== undefined && (initialRandomizationId !== undefined ? run !== initialRandomizationId : run.startsWith('ra-rolling-'));
  }).length;
  if (late > 0) {
    notes.push(`Randomization inference not run: ${late} late joiner(s) were assigned by rolling enrolment, whose permuted blocks follow arrival order and stored block state; re-running them is not implemented, and leaving them out would test another design.`);
    return undefined;
  }
  try {
    const procedure = prepareProcedure(
      units.map((u) => ({ id: u.participant.participantId, ...(u.participant.stratum ? { block: u.participant.stratum } : {}), ...(u.participant.cluster ? { cluster: u.participant.cluster } : {}) })),
      { method, arms: study.arms.map((a) => ({ armId: a.armId, ratio: a.ratio })) },
    );
    const armOf = new Map(units.map((u) => [u.participant.participantId, u.armId]));
    const observed = observedDraw(procedure, procedure.units.map((u) => armOf.get(u.id) as string));
    return { procedure, observed, position: new Map(procedure.units.map((u, i) => [u.id, i])), options };
  } catch (err) {
    notes.push(`Randomization inference not run: ${message(err)}.`);
    return undefined;
  }
}

export interface RiSample {
  treatedArm: string;
  controlArm: string;
  /** The estimation sample: participant ids and, in that order, outcome, blocks, clusters, covariates. */
  ids: readonly string[];
  y: readonly number[];
  blocks?: readonly string[];
  clusters?: readonly string[];
  covariates: Readonly<Record<string, readonly number[]>>;
  /** Which regressions the report fitted (RI runs for those only). */
  fitted: { ols: boolean; cr2: boolean };
}

export function outcomeRi(ctx: ImpactRi, s: RiSample, notes: string[]): OutcomeRi {
  const n = ctx.procedure.units.length;
  const at = s.ids.map((id) => ctx.position.get(id) as number);
  const spread = <T>(values: readonly T[], fill: T): T[] => {
    const out = new Array<T>(n).fill(fill);
    at.forEach((p, k) => (out[p] = values[k] as T));
    return out;
  };
  const y = spread<number | null>(s.y, null);
  const covariates = Object.fromEntries(Object.entries(s.covariates).map(([k, v]) => [k, spread(v, 0)]));
  const out: OutcomeRi = {};
  const support = supportSize(ctx.procedure);
  const draws = support.fixed && support.count <= (ctx.options.limit ?? DEFAULT_RI_LIMIT) ? support.count : (ctx.options.permutations ?? DEFAULT_RI_PERMUTATIONS);
  const run = (estimator: RiEstimator, extra: { blocks?: string[]; clusters?: string[]; covariates?: Record<string, number[]> }): RiResult | undefined => {
    try {
      const prepared = riStatistic({ procedure: ctx.procedure, y, treatedArm: s.treatedArm, controlArm: s.controlArm, estimator, ...extra });
      if (!prepared.fast && s.y.length * draws > GENERIC_BUDGET) {
        notes.push(`Randomization inference for the ${prepared.name}: not run in the report (${s.y.length} people × ${draws} draws re-fit the regression each time, above its budget); run sauti analyze --ri on the export.`);
        return undefined;
      }
      return randomizationInference(ctx.procedure, ctx.observed, prepared.statistic, ctx.options);
    } catch (err) {
      notes.push(`Randomization inference (${estimator}): ${message(err)}`);
      return undefined;
    }
  };
  const dim = run('dim', s.blocks ? { blocks: spread(s.blocks, '') } : {});
  if (dim) out.dim = dim;
  if (s.fitted.ols) {
    const ols = run('ols', { covariates });
    if (ols) out.ols = ols;
  }
  if (s.fitted.cr2 && s.clusters) {
    const cr2 = run('cr2', { clusters: spread(s.clusters, ''), ...(s.fitted.ols ? { covariates } : {}) });
    if (cr2) out.cr2 = cr2;
  }
  return out;
}
