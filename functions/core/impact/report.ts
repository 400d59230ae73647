/**
 * The impact report of a study: intention-to-treat (ITT) estimates per outcome and per
 * treatment arm against the control arm, with the response rates, the attrition test and the
 * balance table that must go with them (docs/design.md, "Research-grade statistics").
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
import { benjaminiHochberg } from '../stats/multiple.js';
import { studyBalance, type ArmComparison } from '../stats/study-balance.js';
import { studyWeekIndexer, studyWeeks } from '../time/study-calendar.js';
import { message } from './attempt.js';
import { attritionTest, followUp } from './attrition.js';
import { compliance } from './complier.js';
import { describe, meanCi } from './descriptive.js';
import { analysisDesign } from './design.js';
import { estimateOutcome, type EstimationContext, measureOutcomes } from './estimation.js';
import { DEFAULT_OUTCOMES, outcomeProblems } from './outcomes.js';
import { checkPreregistration } from './preregistration.js';
import { ESTIMATOR_DEFINITIONS, type Comparison, type ImpactInput, type ImpactReport, type OutcomeSeries } from './report-model.js';
import { responseRates, responseRatesByMode } from './response-rates.js';
import { prepareImpactRi } from './ri.js';
import { analysisSample, type Unit } from './sample.js';
export { ESTIMATOR_DEFINITIONS } from './report-model.js';
export type { ImpactModule, ImpactInput, HeadlineEstimator, ImpactDesign, ArmSummary, Descriptive, RegressionEstimate, ComplierEstimate, Headline, OutcomeEstimate, AttritionTest, Comparison, WeeklyArmMean, OutcomeSeries, ResponseRateRow, ImpactReport } from './report-model.js';

/**
 * The report, assembled in this order (the notes follow it): the sample (sample.ts), the design
 * (design.ts), compliance (complier.ts), the outcomes' values, then per comparison each
 * outcome's estimates (estimation.ts) and the attrition test (attrition.ts), and the response
 * rates (response-rates.ts), weekly series, descriptives and balance table.
 */
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
  const { people, units } = analysisSample(input, weekOf, notes);
  const design = analysisDesign(input, units, notes);
  const taking = compliance(input.modules ?? [], notes);

  // Outcomes for every randomized participant.
  const valid = outcomes.filter((o) => {
    const problems = outcomeProblems(o);
    if (problems.length > 0) notes.push(`Outcome "${o.id}" is left out: ${problems.join('; ')}.`);
    return problems.length === 0;
  });
  const computed = measureOutcomes(valid, units, weekOf, currentStudyWeek, notes);
  if (!control) notes.push('The study has no control arm: no effect can be estimated.');
  if (valid.some((o) => o.window.fromStudyWeek > currentStudyWeek)) notes.push(`Some outcome windows start after the current study week (${currentStudyWeek}): no follow-up data yet for them.`);

  const riContext = input.ri ? prepareImpactRi(study, units, input.method, input.initialRandomizationId, input.ri, notes) : undefined;
  const estimation: EstimationContext = { units, alpha, design, compliance: taking, ri: riContext };
  const follow = followUp(valid, units, currentStudyWeek);

  // Comparisons: each treatment arm against the (first) control arm.
  const comparisons: Comparison[] = !control
    ? []
    : study.arms
        .filter((a) => a.treatment)
        .map((arm) => {
          const idx = units.map((u, i) => (u.armId === arm.armId || u.armId === control.armId ? i : -1)).filter((i) => i >= 0);
          const zOf = (i: number) => ((units[i] as Unit).armId === arm.armId ? 1 : 0);
          const estimates = computed.map((c) => estimateOutcome(estimation, c, idx, zOf, { treated: arm.armId, control: control.armId }));
          const p = estimates.map((e) => (e.headline && Number.isFinite(e.headline.p) ? e.headline.p : null));
          const adjusted = benjaminiHochberg(p);
          estimates.forEach((e, k) => {
            if (e.headline) e.headline.pAdjusted = adjusted[k] ?? null;
          });
          const test = attritionTest(estimation, follow, idx, zOf);
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
    responseRates: responseRates(calendar, study, units),
    responseByMode: responseRatesByMode(calendar, study, units),
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
