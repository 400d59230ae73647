/**
 * The impact report of a study: intention-to-treat (ITT) estimates per outcome and per
 * treatment arm against the control arm, with the response rates, the attrition test and the
 * balance table that must go with them (DESIGN.md, "Research-grade statistics").
 *
 * Every number comes from functions/core/stats (matched to estimatr, p.adjust and leebounds);
 * this module only chooses the samples and the designs:
 *  - The ITT sample of an outcome is every randomized participant of the two arms whose
 *    outcome is observed (complete cases); who is missing is shown by the observed shares per
 *    arm and bounded by Lee bounds when those shares differ.
 *  - Difference in means: Neyman SE and Welch df; blocked (by stratum) when the randomization
 *    was blocked — from the randomization record, or, without one, when every participant has
 *    a stratum (and there are at least two).
 *  - OLS with HC2: ANCOVA on the outcome's baseline (missing baselines set to the mean of the
 *    others, with a missing indicator) and stratum indicators in blocked designs, with Lin's
 *    (2013) centring and treatment interactions. Left out when there is no covariate (it would
 *    be the difference in means).
 *  - CR2 (same regression, cluster-robust, Bell–McCaffrey / Pustejovsky–Tipton df) whenever
 *    every participant has a cluster.
 *  - Headline: CR2 when assignment was by cluster (individual-level standard errors would be
 *    too small), otherwise the difference in means. Benjamini–Hochberg adjusts the headline
 *    p-values across a comparison's ITT outcomes.
 *  - Complier effect (extra): 2SLS of the outcome on "completed at least one module",
 *    instrumented by assignment, HC2 (CR2 in cluster designs), with the first stage.
 *  - Quiz score: descriptive only (the control arm takes no lessons).
 * Estimators that cannot run (too few people, no variation, a singular design) leave a note.
 */
import { weekAnswered } from '../diary/week-record.js';
import type { Participant, Study } from '../model.js';
import type { RandomizationMethod } from '../randomize/assign.js';
import { benjaminiHochberg } from '../stats/multiple.js';
import { differenceInMeans, type DifferenceInMeansResult } from '../stats/dim.js';
import { tCritical } from '../stats/dist.js';
import { ivRobust } from '../stats/iv.js';
import { leeBounds, type LeeBoundsResult } from '../stats/lee.js';
import { lmRobust, type CoefficientResult, type RobustSeType } from '../stats/ols.js';
import { treatmentFit } from '../stats/lin.js';
import { studyBalance, type ArmComparison } from '../stats/study-balance.js';
import { studyWeekIndexer, studyWeeks } from '../time/study-calendar.js';
import { outcomeRi, prepareImpactRi } from './ri.js';
import { checkPreregistration } from './preregistration.js';
import {
  baselineValues,
  computeOutcome,
  DEFAULT_OUTCOMES,
  describeBaseline,
  type DiaryWeekData,
  type OutcomeDefinition,
  outcomeProblems,
  type OutcomeUnit,
  type Standardisation,
} from './outcomes.js';
import { ESTIMATOR_DEFINITIONS, type ImpactModule, type ImpactInput, type HeadlineEstimator, type ImpactDesign, type ArmSummary, type Descriptive, type RegressionEstimate, type ComplierEstimate, type Headline, type OutcomeEstimate, type AttritionTest, type Comparison, type WeeklyArmMean, type OutcomeSeries, type ResponseRateRow, type ImpactReport } from './report-model.js';
import { researchParticipants } from '../training.js';
export { ESTIMATOR_DEFINITIONS } from './report-model.js';
export type { ImpactModule, ImpactInput, HeadlineEstimator, ImpactDesign, ArmSummary, Descriptive, RegressionEstimate, ComplierEstimate, Headline, OutcomeEstimate, AttritionTest, Comparison, WeeklyArmMean, OutcomeSeries, ResponseRateRow, ImpactReport } from './report-model.js';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function attempt<T>(notes: string[], what: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    notes.push(`${what}: ${message(err)}`);
    return undefined;
  }
}

function describe(xs: readonly number[]): Descriptive {
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null };
  const m = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean: m, sd: null };
  return { n, mean: m, sd: Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1)) };
}

function meanCi(xs: readonly number[], alpha: number): Omit<WeeklyArmMean, 'armId'> {
  const d = describe(xs);
  if (d.mean === null) return { n: 0, mean: null, ciLower: null, ciUpper: null };
  if (d.sd === null) return { n: d.n, mean: d.mean, ciLower: null, ciUpper: null };
  const half = tCritical(1 - alpha / 2, d.n - 1) * (d.sd / Math.sqrt(d.n));
  return { n: d.n, mean: d.mean, ciLower: d.mean - half, ciUpper: d.mean + half };
}

const varies = (xs: readonly number[]) => xs.some((x) => x !== xs[0]);

interface Unit extends OutcomeUnit {
  armId: string;
  /** Study week from which the participant counts in response rates and the attrition test. */
  entryWeek: number;
}

/** Lin-adjusted regression of y on treatment and covariates (HC2, or CR2 with clusters). */
function regression(
  y: readonly number[],
  z: readonly number[],
  covariates: Readonly<Record<string, readonly number[]>>,
  alpha: number,
  clusters?: readonly string[],
): RegressionEstimate {
  const { fit, treatment, names } = treatmentFit(y, z, covariates, alpha, clusters);
  return { se: fit.se, covariates: names, n: fit.n, ...(fit.nClusters !== undefined ? { nClusters: fit.nClusters } : {}), treatment };
}

export function impactReport(input: ImpactInput): ImpactReport {
  const { study, now } = input;
  const alpha = input.alpha ?? 0.05;
  const outcomes = [...(input.outcomes ?? DEFAULT_OUTCOMES)];
  const notes: string[] = [];
  const calendar = studyWeeks(study, now);
  const current = calendar[calendar.length - 1];
  const currentStudyWeek = current?.studyWeek ?? 0;
  const indexer = studyWeekIndexer(study, calendar);
  const weekOf = (at: string) => indexer(new Date(at));

  const control = study.arms.find((a) => !a.treatment);
  const armIds = new Set(study.arms.map((a) => a.armId));
  // A training tool's numbers (the simulator's tour) answer real menus but are not research data.
  const people = researchParticipants(input.participants);
  const assignedPeople = people.filter((p) => p.armId !== undefined && armIds.has(p.armId));
  const unassigned = people.length - assignedPeople.length;
  if (unassigned > 0) notes.push(`${unassigned} participant(s) without an arm of this study are not in the analysis.`);

  const recordsBy = new Map<string, DiaryWeekData[]>();
  for (const r of input.weeks) {
    const list = recordsBy.get(r.participantId);
    if (list) list.push(r);
    else recordsBy.set(r.participantId, [r]);
  }
  const entryWeek = (p: Participant, records: readonly DiaryWeekData[]): number => {
    if (input.initialRandomizationId === undefined || !p.assignment || p.assignment.randomizationId === input.initialRandomizationId) return 0;
    return Math.min(weekOf(p.assignment.at), ...records.map((r) => r.studyWeek));
  };
  const units: Unit[] = assignedPeople.map((p) => ({
    participant: p,
    weeks: recordsBy.get(p.participantId) ?? [],
    control: p.armId === control?.armId,
    armId: p.armId as string,
    entryWeek: entryWeek(p, recordsBy.get(p.participantId) ?? []),
  }));
  const used = new Set(assignedPeople.map((p) => p.participantId));
  const stray = input.weeks.filter((r) => !used.has(r.participantId)).length;
  if (stray > 0) notes.push(`${stray} diary week(s) of people not randomized into this study are left out.`);

  // Design.
  const strata = units.every((u) => u.participant.stratum) ? new Set(units.map((u) => u.participant.stratum as string)) : undefined;
  const clustersKnown = units.length > 0 && units.every((u) => u.participant.cluster);
  const clusterIds = clustersKnown ? new Set(units.map((u) => u.participant.cluster as string)) : undefined;
  let blocked: boolean;
  let clusteredAssignment: boolean;
  if (input.method) {
    blocked = input.method === 'block' || input.method === 'block_cluster';
    clusteredAssignment = input.method === 'cluster' || input.method === 'block_cluster';
  } else {
    blocked = strata !== undefined && strata.size >= 2;
    // Assignment by cluster shows as every cluster lying wholly in one arm (and some cluster holding several people).
    const armsOf = new Map<string, Set<string>>();
    if (clustersKnown) {
      for (const u of units) {
        const key = u.participant.cluster as string;
        const arms = armsOf.get(key) ?? new Set<string>();
        arms.add(u.armId);
        armsOf.set(key, arms);
      }
    }
    clusteredAssignment = armsOf.size >= 2 && armsOf.size < units.length && [...armsOf.values()].every((arms) => arms.size === 1);
  }
  if (blocked && strata === undefined) {
    notes.push('The randomization was blocked but some participants have no stratum: the difference in means is not blocked.');
    blocked = false;
  }
  if (clusteredAssignment && !clustersKnown) notes.push('Assignment was by cluster but some participants have no cluster: CR2 cannot run; the difference in means understates the uncertainty.');
  const headline: HeadlineEstimator = clusteredAssignment && clustersKnown ? 'cr2' : 'dim';
  const design: ImpactDesign = {
    method: input.method ?? 'unknown',
    methodSource: input.method ? 'randomization record' : 'inferred from participants',
    blocked,
    clusteredAssignment,
    clustersKnown,
    headline,
    ...(blocked && strata ? { nBlocks: strata.size } : {}),
    ...(clusterIds ? { nClusters: clusterIds.size } : {}),
  };
  if (!input.method) {
    notes.push(
      `No randomization record given: the design is inferred from the participants (${blocked ? 'blocked by stratum' : 'not blocked'}${clusteredAssignment ? ', assigned by cluster' : ''}).`,
    );
  }

  // Complier status: completed every lesson of at least one module.
  const modules = input.modules ?? [];
  const endogenous = modules.length > 0 ? 'completed at least one module' : 'finished at least one lesson';
  if (modules.length === 0) notes.push('No module list given: the complier effect takes "finished at least one lesson" as taking the treatment.');
  const took = (p: Participant): number => {
    const done = p.lessons ?? {};
    if (modules.length === 0) return Object.keys(done).length > 0 ? 1 : 0;
    return modules.some((m) => m.lessons.length > 0 && m.lessons.every((l) => done[`${m.id}/${l.id}`] !== undefined)) ? 1 : 0;
  };

  // Outcomes for every randomized participant.
  const valid = outcomes.filter((o) => {
    const problems = outcomeProblems(o);
    if (problems.length > 0) notes.push(`Outcome "${o.id}" is left out: ${problems.join('; ')}.`);
    return problems.length === 0;
  });
  const computed = valid.map((def) => {
    const c = computeOutcome(def, units, { studyWeekOf: weekOf, lastWeek: currentStudyWeek });
    notes.push(...c.notes);
    const baseline = def.kind === 'quiz_score' ? undefined : baselineValues(def, units, { studyWeekOf: weekOf });
    return { def, values: c.values, byWeek: c.byWeek, standardisation: c.standardisation, baseline };
  });
  if (!control) notes.push('The study has no control arm: no effect can be estimated.');
  if (valid.some((o) => o.window.fromStudyWeek > currentStudyWeek)) notes.push(`Some outcome windows start after the current study week (${currentStudyWeek}): no follow-up data yet for them.`);

  const riContext = input.ri ? prepareImpactRi(study, units, input.method, input.initialRandomizationId, input.ri, notes) : undefined;

  function estimateOutcome(c: (typeof computed)[number], idx: readonly number[], zOf: (i: number) => number, arms: { treated: string; control: string }): OutcomeEstimate {
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
      out.complier = attempt(notes, 'Complier effect (2SLS)', () => {
        const first = lmRobust({ y: d, X: z.map((v) => [1, v]), names: ['(Intercept)', 'treatment'], alpha, ...(ivClusters ? { clusters: ivClusters, se: 'CR2' as const } : { se: 'HC2' as const }) });
        const fs = first.coefficients[1] as CoefficientResult;
        const iv = ivRobust({ y, endogenous: d, instrument: z, alpha, endogenousName: 'took', ...(ivClusters ? { clusters: ivClusters } : {}) });
        return { endogenous, se: iv.se, n: iv.n, firstStage: fs, firstStageF: fs.t ** 2, effect: iv.effect };
      });
    }
    return out;
  }

  // Attrition: share of follow-up weeks answered, since joining.
  const ittDefs = valid.filter((o) => o.kind !== 'quiz_score');
  const followFrom = ittDefs.length > 0 ? Math.min(...ittDefs.map((o) => o.window.fromStudyWeek)) : 0;
  const followTo = ittDefs.length > 0 ? Math.min(Math.max(...ittDefs.map((o) => o.window.toStudyWeek)), currentStudyWeek) : -1;
  const responded = (r: DiaryWeekData) => Object.values(r.answers ?? {}).some((a) => a.value !== null);
  const responseShare = units.map((u) => {
    const from = Math.max(followFrom, u.entryWeek);
    if (followTo < from) return null;
    const answered = new Set(u.weeks.filter((r) => r.studyWeek >= from && r.studyWeek <= followTo && responded(r)).map((r) => r.studyWeek));
    return answered.size / (followTo - from + 1);
  });

  function attrition(idx: readonly number[], zOf: (i: number) => number): AttritionTest {
    const test: AttritionTest = {
      measure: 'share of follow-up weeks (since joining) with at least one diary answer',
      weeks: followTo >= followFrom ? { from: followFrom, to: followTo } : null,
      n1: 0,
      n0: 0,
      rate1: null,
      rate0: null,
      notes: [],
    };
    const obs = idx.filter((i) => responseShare[i] !== null);
    const y = obs.map((i) => responseShare[i] as number);
    const z = obs.map(zOf);
    const d1 = describe(y.filter((_, k) => z[k] === 1));
    const d0 = describe(y.filter((_, k) => z[k] === 0));
    Object.assign(test, { n1: d1.n, n0: d0.n, rate1: d1.mean, rate0: d0.mean });
    if (!test.weeks) {
      test.notes.push(`No follow-up week has begun yet (follow-up starts in study week ${followFrom}).`);
      return test;
    }
    if (d1.n < 2 || d0.n < 2) {
      test.notes.push('Too few people in an arm for an attrition test.');
      return test;
    }
    if (!varies(y)) {
      test.notes.push('Everyone answered the same share of weeks: no difference to test.');
      return test;
    }
    const blocks = blocked ? obs.map((i) => (units[i] as Unit).participant.stratum as string) : undefined;
    test.dim = attempt(test.notes, 'Difference in response', () => (blocks ? differenceInMeans({ y, z, blocks, alpha }) : differenceInMeans({ y, z, alpha })));
    if (!test.dim && blocks) test.dim = attempt(test.notes, 'Difference in response (not blocked)', () => differenceInMeans({ y, z, alpha }));
    if (clustersKnown) test.cr2 = attempt(test.notes, 'CR2', () => regression(y, z, {}, alpha, obs.map((i) => (units[i] as Unit).participant.cluster as string)));
    return test;
  }

  // Comparisons: each treatment arm against the (first) control arm.
  const comparisons: Comparison[] = !control
    ? []
    : study.arms
        .filter((a) => a.treatment)
        .map((arm) => {
          const idx = units.map((u, i) => (u.armId === arm.armId || u.armId === control.armId ? i : -1)).filter((i) => i >= 0);
          const zOf = (i: number) => ((units[i] as Unit).armId === arm.armId ? 1 : 0);
          const estimates = computed.map((c) => estimateOutcome(c, idx, zOf, { treated: arm.armId, control: control.armId }));
          const p = estimates.map((e) => (e.headline && Number.isFinite(e.headline.p) ? e.headline.p : null));
          const adjusted = benjaminiHochberg(p);
          estimates.forEach((e, k) => {
            if (e.headline) e.headline.pAdjusted = adjusted[k] ?? null;
          });
          const test = attrition(idx, zOf);
          const differs = test.dim !== undefined && test.dim.p < alpha;
          estimates.forEach((e, k) => {
            const kind = computed[k]?.def.kind;
            if (!differs || e.role !== 'itt') return;
            const p = test.dim?.p.toPrecision(2);
            if (kind === 'any') e.notes.push(`The arms answered different shares of weeks (attrition test p = ${p}): "any" rises with the weeks answered, so part of this difference may come from response rather than behaviour.`);
            else if (e.observed.q1 === e.observed.q0) e.notes.push(`The arms answered different shares of weeks (attrition test p = ${p}), but the outcome is observed for the same share of each arm: the bounds trim nothing; the arm answering less is averaged over fewer weeks.`);
          });
          return { treatmentArm: arm.armId, controlArm: control.armId, outcomes: estimates, attrition: test };
        });

  // Response rates by arm and week (late joiners count from the week they joined).
  const responseRates: ResponseRateRow[] = calendar.map((w) => ({
    studyWeek: w.studyWeek,
    week: w.id,
    arms: study.arms.map((arm) => {
      const enrolled = units.filter((u) => u.armId === arm.armId && u.entryWeek <= w.studyWeek);
      const records = enrolled.map((u) => u.weeks.find((r) => r.studyWeek === w.studyWeek)).filter((r): r is DiaryWeekData => r !== undefined);
      const answered = records.filter(responded).length;
      return {
        armId: arm.armId,
        enrolled: enrolled.length,
        responded: answered,
        completed: records.filter((r) => weekAnswered(r)).length,
        rate: enrolled.length > 0 ? answered / enrolled.length : null,
      };
    }),
  }));

  const weekly: OutcomeSeries[] = computed.map((c) => ({
    outcomeId: c.def.id,
    label: c.def.label,
    weeks: c.byWeek.map((w) => ({
      studyWeek: w.studyWeek,
      arms: study.arms.map((arm) => ({
        armId: arm.armId,
        ...meanCi(w.values.filter((v, i): v is number => v !== null && (units[i] as Unit).armId === arm.armId), alpha),
      })),
    })),
  }));

  const descriptives = computed.map((c) => ({
    outcomeId: c.def.id,
    arms: study.arms.map((arm) => ({ armId: arm.armId, ...describe(c.values.filter((v, i): v is number => v !== null && (units[i] as Unit).armId === arm.armId)) })),
  }));

  let balance: ArmComparison[] = [];
  try {
    balance = studyBalance(study, people);
  } catch (err) {
    notes.push(`Balance table: ${message(err)}`);
  }

  return {
    studyId: study.studyId,
    studyName: study.name,
    generatedAt: now.toISOString(),
    currentStudyWeek,
    currentWeek: current?.id ?? '',
    alpha,
    design,
    arms: study.arms.map((a) => ({ armId: a.armId, name: a.name, treatment: a.treatment, assigned: units.filter((u) => u.armId === a.armId).length })),
    outcomes: valid,
    standardisation: computed.filter((c) => c.standardisation).map((c) => ({ outcomeId: c.def.id, components: c.standardisation ?? [] })),
    comparisons,
    descriptives,
    weekly,
    responseRates,
    balance,
    estimators: ESTIMATOR_DEFINITIONS,
    ...(input.preregistration
      ? {
          preregistration: checkPreregistration(input.preregistration, {
            study,
            ...(input.method ? { method: input.method } : {}),
            ...(input.randomization?.seed !== undefined ? { seed: input.randomization.seed } : {}),
            ...(input.randomization?.algorithm ? { algorithm: input.randomization.algorithm } : {}),
            outcomes: valid,
            alpha,
            ...(input.ri ? { ri: input.ri } : {}),
          }),
        }
      : {}),
    notes,
  };
}
