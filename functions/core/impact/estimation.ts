import { differenceInMeans } from '../stats/dim.js';
import { leeBounds } from '../stats/lee.js';
import { attempt, regression } from './attempt.js';
import { complierEffect, type Compliance } from './complier.js';
import { describe, varies } from './descriptive.js';
import { baselineValues, computeOutcome, describeBaseline, type ComputedOutcome, type OutcomeDefinition } from './outcomes.js';
import type { ImpactDesign, OutcomeEstimate } from './report-model.js';
import { outcomeRi, type ImpactRi } from './ri.js';
import type { Unit } from './sample.js';

/**
 * Per-outcome estimation: for one comparison (a treatment arm against the control arm), the
 * difference in means, OLS (HC2) on the baseline and strata, CR2 with clusters, randomization
 * inference beside them, the headline, Lee bounds and the complier effect of one outcome.
 */
export interface EstimationContext {
  units: readonly Unit[];
  alpha: number;
  design: Pick<ImpactDesign, 'blocked' | 'clustersKnown' | 'headline'>;
  compliance: Compliance;
  ri: ImpactRi | undefined;
}

/** An outcome's values over the units (computeOutcome) and their baseline. */
export interface MeasuredOutcome extends Omit<ComputedOutcome, 'notes'> {
  def: OutcomeDefinition;
  baseline: (number | null)[] | undefined;
}

/** Every outcome's values over the units; the notes of their computation go to `notes`. */
export function measureOutcomes(valid: readonly OutcomeDefinition[], units: readonly Unit[], weekOf: (at: string) => number, currentStudyWeek: number, notes: string[]): MeasuredOutcome[] {
  return valid.map((def) => {
    const c = computeOutcome(def, units, { studyWeekOf: weekOf, lastWeek: currentStudyWeek });
    notes.push(...c.notes);
    const baseline = def.kind === 'quiz_score' ? undefined : baselineValues(def, units, { studyWeekOf: weekOf });
    return { def, values: c.values, byWeek: c.byWeek, standardisation: c.standardisation, baseline };
  });
}

export function estimateOutcome(ctx: EstimationContext, c: MeasuredOutcome, idx: readonly number[], zOf: (i: number) => number, arms: { treated: string; control: string }): OutcomeEstimate {
  const { units, alpha, ri: riContext } = ctx;
  const { blocked, clustersKnown, headline } = ctx.design;
  const { took, endogenous } = ctx.compliance;
  const { def } = c;
  const out: OutcomeEstimate = {
    outcomeId: def.id,
    label: def.label,
    role: def.kind === 'quiz_score' ? 'descriptive' : 'itt',
    assigned: { n1: idx.filter((i) => zOf(i) === 1).length, n0: idx.filter((i) => zOf(i) === 0).length },
    observed: { n1: 0, n0: 0, q1: null, q0: null },
    means: { treatment: { n: 0, mean: null, sd: null }, control: { n: 0, mean: null, sd: null } },
    notes: [],
  };
  const obs = idx.filter((i) => c.values[i] !== null);
  const y = obs.map((i) => c.values[i] as number);
  const z = obs.map(zOf);
  out.observed = {
    n1: z.filter((v) => v === 1).length,
    n0: z.filter((v) => v === 0).length,
    q1: out.assigned.n1 > 0 ? z.filter((v) => v === 1).length / out.assigned.n1 : null,
    q0: out.assigned.n0 > 0 ? z.filter((v) => v === 0).length / out.assigned.n0 : null,
  };
  out.means = { treatment: describe(y.filter((_, k) => z[k] === 1)), control: describe(y.filter((_, k) => z[k] === 0)) };
  if (out.role === 'descriptive') {
    out.notes.push('Defined only for people who took a lesson; the control arm takes none, so it is shown by arm as a descriptive, not as an ITT effect.');
    return out;
  }
  if (out.observed.n1 < 2 || out.observed.n0 < 2) {
    out.notes.push(`Too few people with this outcome (${out.observed.n1} treated, ${out.observed.n0} control; at least two in each arm are needed).`);
    return out;
  }
  if (!varies(y)) {
    out.notes.push('No variation in the outcome: every observed value is the same.');
    return out;
  }
  const notes = out.notes;

  // Difference in means (blocked by stratum in a blocked design).
  const blocks = blocked ? obs.map((i) => (units[i] as Unit).participant.stratum as string) : undefined;
  out.dim = attempt(notes, blocks ? 'Blocked difference in means' : 'Difference in means', () => (blocks ? differenceInMeans({ y, z, blocks, alpha }) : differenceInMeans({ y, z, alpha })));
  if (!out.dim && blocks) {
    out.dim = attempt(notes, 'Difference in means', () => differenceInMeans({ y, z, alpha }));
    if (out.dim) notes.push('The difference in means is not blocked (see above).');
  }
  if (out.dim?.warning) notes.push(out.dim.warning);

  // Covariates: the baseline (imputed where missing, with an indicator) and strata indicators.
  const covariates: Record<string, number[]> = {};
  if (def.baseline && c.baseline) {
    const b = obs.map((i) => c.baseline?.[i] ?? null);
    const seen = b.filter((v): v is number => v !== null);
    const usedBaseline = seen.length >= 2 && varies(seen);
    out.baseline = { description: describeBaseline(def.baseline), observed: seen.length, imputed: usedBaseline ? b.length - seen.length : 0, used: usedBaseline };
    if (usedBaseline) {
      const fill = seen.reduce((a, v) => a + v, 0) / seen.length;
      covariates.baseline = b.map((v) => (v === null ? fill : v));
      if (seen.length < b.length) covariates.baseline_missing = b.map((v) => (v === null ? 1 : 0));
    } else {
      notes.push(`The baseline (${out.baseline.description}) is ${seen.length < 2 ? 'missing for almost everyone' : 'the same for everyone'}: not used.`);
    }
  }
  const strataCovariates: Record<string, number[]> = {};
  if (blocked) {
    const levels = [...new Set(obs.map((i) => (units[i] as Unit).participant.stratum as string))].sort();
    for (const level of levels.slice(1)) strataCovariates[`stratum:${level}`] = obs.map((i) => ((units[i] as Unit).participant.stratum === level ? 1 : 0));
  }
  const candidates = [{ ...covariates, ...strataCovariates }, covariates].filter(
    (set, k, all) => Object.keys(set).length > 0 && all.findIndex((s) => Object.keys(s).join('|') === Object.keys(set).join('|')) === k,
  );
  let chosen: Record<string, number[]> = {};
  if (candidates.length === 0) {
    notes.push('No baseline or strata: OLS with HC2 would equal the difference in means, so it is not shown.');
  } else {
    for (const set of candidates) {
      const failures: string[] = [];
      const fit = attempt(failures, 'OLS (HC2)', () => regression(y, z, set, alpha));
      if (fit) {
        out.ols = fit;
        chosen = set;
        break;
      }
      notes.push(...failures.map((f) => `${f}${set === candidates[candidates.length - 1] ? '' : ' (refitted with fewer covariates)'}`));
    }
  }
  const clusters = clustersKnown ? obs.map((i) => (units[i] as Unit).participant.cluster as string) : undefined;
  if (clusters) out.cr2 = attempt(notes, 'CR2', () => regression(y, z, out.ols ? chosen : {}, alpha, clusters));
  if (riContext) {
    const ids = obs.map((i) => (units[i] as Unit).participant.participantId);
    out.ri = outcomeRi(riContext, { treatedArm: arms.treated, controlArm: arms.control, ids, y, ...(blocks ? { blocks } : {}), ...(clusters ? { clusters } : {}), covariates: chosen, fitted: { ols: out.ols !== undefined, cr2: out.cr2 !== undefined } }, notes);
  }

  const best = headline === 'cr2' ? out.cr2?.treatment : out.dim;
  if (best) {
    out.headline = { estimator: headline, estimate: best.estimate, se: best.se, df: best.df, p: best.p, ciLower: best.ciLower, ciUpper: best.ciUpper, pAdjusted: null };
  } else {
    notes.push(`The headline estimator (${headline === 'cr2' ? 'CR2' : 'difference in means'}) could not run; no headline estimate.`);
  }

  // Lee bounds when the arms' observed shares differ.
  if (out.observed.q1 !== out.observed.q0) {
    out.lee = attempt(notes, 'Lee bounds', () => leeBounds({ y: idx.map((i) => c.values[i] ?? null), z: idx.map(zOf) }));
    if (out.lee && (blocked || clustersKnown)) {
      notes.push(`Lee bounds ignore the ${[blocked ? 'strata' : '', clustersKnown ? 'clusters' : ''].filter(Boolean).join(' and ')} (the basic bound of the leebounds package): they bracket the unblocked difference in means.`);
    }
  }

  // Complier effect: 2SLS of y on "took the treatment", instrumented by assignment.
  const d = obs.map((i) => took((units[i] as Unit).participant));
  if (!varies(d)) {
    notes.push(`Complier effect: nobody ${d[0] === 1 ? 'failed to take' : 'took'} the treatment (${endogenous}); not defined.`);
  } else {
    const ivClusters = headline === 'cr2' ? clusters : undefined;
    out.complier = attempt(notes, 'Complier effect (2SLS)', () => complierEffect({ y, took: d, z, alpha, endogenous, ...(ivClusters ? { clusters: ivClusters } : {}) }));
  }
  return out;
}
