/** What an impact report holds (report.ts computes it; html.ts and the API show it). */
import type { AnswerChannel, Participant, Study } from '../model.js';
import type { RandomizationMethod } from '../randomize/assign.js';
import type { DifferenceInMeansResult } from '../stats/dim.js';
import type { LeeBoundsResult } from '../stats/lee.js';
import type { RiOptions } from '../stats/ri.js';
import type { OutcomeRi } from './ri.js';
import type { Preregistration, PreregistrationCheck } from './preregistration.js';
import type { CoefficientResult, RobustSeType } from '../stats/ols.js';
import type { ArmComparison } from '../stats/study-balance.js';
import type { DiaryWeekData, OutcomeDefinition, Standardisation } from './outcomes.js';

export interface ImpactModule {
  id: string;
  lessons: readonly { id: string }[];
}

export interface ImpactInput {
  study: Study;
  participants: readonly Participant[];
  /** The study's diary weeks (any order; records of people not randomized are left out). */
  weeks: readonly DiaryWeekData[];
  /** Default: DEFAULT_OUTCOMES. */
  outcomes?: readonly OutcomeDefinition[];
  now: Date;
  /** How the study was randomized (its initial randomization record); inferred when absent. */
  method?: RandomizationMethod;
  /**
   * The initial randomization's id: its participants are in the study from week 0. Others (late
   * joiners, assigned by rolling enrolment) count from the week they were assigned, or of their
   * first diary if earlier. Without it, everyone counts from week 0.
   */
  initialRandomizationId?: string;
  /** The education modules, to tell who completed one (for the complier effect). */
  modules?: readonly ImpactModule[];
  alpha?: number;
  /** Randomization inference beside each estimator (impact/ri.ts); off when absent. */
  ri?: RiOptions;
  /** The randomization record's seed and algorithm version, checked against the pre-registration. */
  randomization?: { seed: number; algorithm: string };
  /** The frozen pre-registration: the report cites its hash and lists deviations from it. */
  preregistration?: Preregistration;
}

export type HeadlineEstimator = 'dim' | 'cr2';

export interface ImpactDesign {
  method: RandomizationMethod | 'unknown';
  methodSource: 'randomization record' | 'inferred from participants';
  blocked: boolean;
  /** Assignment was by cluster: the headline is CR2. */
  clusteredAssignment: boolean;
  /** Every participant has a cluster: CR2 is reported. */
  clustersKnown: boolean;
  headline: HeadlineEstimator;
  nBlocks?: number;
  nClusters?: number;
}

export interface ArmSummary {
  armId: string;
  name: string;
  treatment: boolean;
  assigned: number;
}

export interface Descriptive {
  n: number;
  mean: number | null;
  sd: number | null;
}

export interface RegressionEstimate {
  se: RobustSeType;
  /** Covariates besides treatment (each centred and interacted with treatment: Lin 2013). */
  covariates: string[];
  n: number;
  nClusters?: number;
  /** The coefficient on treatment: the ITT effect. */
  treatment: CoefficientResult;
}

export interface ComplierEstimate {
  /** What "took the treatment" means. */
  endogenous: string;
  se: RobustSeType;
  n: number;
  /** First stage: the difference in the share who took it, treated minus control (the compliance share). */
  firstStage: CoefficientResult;
  /** First-stage robust F (t² of the assignment coefficient). */
  firstStageF: number;
  /** Complier average causal effect. */
  effect: CoefficientResult;
}

export interface Headline {
  estimator: HeadlineEstimator;
  estimate: number;
  se: number;
  df: number;
  p: number;
  ciLower: number;
  ciUpper: number;
  /** Benjamini–Hochberg across the comparison's ITT outcomes. */
  pAdjusted: number | null;
}

export interface OutcomeEstimate {
  outcomeId: string;
  label: string;
  role: 'itt' | 'descriptive';
  assigned: { n1: number; n0: number };
  /** Participants with the outcome, and their share of those assigned, per arm. */
  observed: { n1: number; n0: number; q1: number | null; q0: number | null };
  means: { treatment: Descriptive; control: Descriptive };
  baseline?: { description: string; observed: number; imputed: number; used: boolean };
  dim?: DifferenceInMeansResult;
  ols?: RegressionEstimate;
  cr2?: RegressionEstimate;
  headline?: Headline;
  lee?: LeeBoundsResult;
  complier?: ComplierEstimate;
  /** Sharp-null randomization p-values of dim, ols and cr2 (when asked for and possible). */
  ri?: OutcomeRi;
  notes: string[];
}

export interface AttritionTest {
  /** Per participant: the share of follow-up weeks (since they joined) with at least one diary answer. */
  measure: string;
  weeks: { from: number; to: number } | null;
  n1: number;
  n0: number;
  rate1: number | null;
  rate0: number | null;
  dim?: DifferenceInMeansResult;
  cr2?: RegressionEstimate;
  notes: string[];
}

export interface Comparison {
  treatmentArm: string;
  controlArm: string;
  outcomes: OutcomeEstimate[];
  attrition: AttritionTest;
}

export interface WeeklyArmMean {
  armId: string;
  n: number;
  mean: number | null;
  ciLower: number | null;
  ciUpper: number | null;
}

export interface OutcomeSeries {
  outcomeId: string;
  label: string;
  weeks: { studyWeek: number; arms: WeeklyArmMean[] }[];
}

export interface ResponseRateRow {
  studyWeek: number;
  /** ISO week label, e.g. 2026-W48. */
  week: string;
  arms: { armId: string; enrolled: number; responded: number; completed: number; rate: number | null }[];
}

/** One contact mode's response rate in each arm, pooled over the study weeks so far. */
export interface ModeResponseRow {
  mode: AnswerChannel;
  arms: { armId: string; participants: number; personWeeks: number; responded: number; rate: number | null; answeredBy: Record<AnswerChannel, number> }[];
}

export interface ImpactReport {
  studyId: string;
  studyName: string;
  generatedAt: string;
  currentStudyWeek: number;
  currentWeek: string;
  alpha: number;
  design: ImpactDesign;
  arms: ArmSummary[];
  outcomes: OutcomeDefinition[];
  /** Index outcomes: how each component was standardised (control mean and SD). */
  standardisation: { outcomeId: string; components: Standardisation[] }[];
  comparisons: Comparison[];
  /** Person-level outcome summaries per arm (all outcomes, including descriptive ones). */
  descriptives: { outcomeId: string; arms: ({ armId: string } & Descriptive)[] }[];
  weekly: OutcomeSeries[];
  responseRates: ResponseRateRow[];
  /** Response rate by the mode the study reaches people by (USSD, SMS, voice) and arm. */
  responseByMode: ModeResponseRow[];
  balance: ArmComparison[];
  estimators: { name: string; description: string }[];
  /** Present when a pre-registration was given: its hash, whether it is intact, and the deviations. */
  preregistration?: PreregistrationCheck;
  notes: string[];
}

/** The estimators, in plain words (the report and its HTML carry them). */
export const ESTIMATOR_DEFINITIONS: { name: string; description: string }[] = [
  {
    name: 'Intention to treat (ITT)',
    description: 'Everyone is compared in the arm they were randomized to, whether or not they took the lessons. This is the headline effect.',
  },
  {
    name: 'Difference in means',
    description:
      'The mean outcome in the treatment arm minus the mean in the control arm, with the Neyman standard error and Welch degrees of freedom. ' +
      'When the randomization was within strata (blocks), the block effects are averaged with weights proportional to block size (estimatr difference_in_means).',
  },
  {
    name: 'OLS with HC2 (ANCOVA)',
    description:
      'A regression of the outcome on treatment and its baseline value (and stratum indicators in a blocked design), covariates centred and interacted with treatment (Lin 2013), ' +
      'with heteroskedasticity-robust HC2 standard errors (estimatr lm_robust). Usually more precise than the difference in means when the baseline predicts the outcome.',
  },
  {
    name: 'Cluster-robust CR2',
    description:
      'The same regression with standard errors that allow people in one cluster (e.g. a factory) to be alike, with the Bell–McCaffrey small-sample adjustment and its degrees of freedom. ' +
      'The headline when whole clusters were randomized.',
  },
  {
    name: 'Benjamini–Hochberg',
    description: 'The headline p-values adjusted for testing several outcomes at once (false discovery rate), as R p.adjust(method = "BH").',
  },
  {
    name: 'Lee bounds',
    description:
      'When more people answer in one arm than the other, the extra share is trimmed from the top or the bottom of that arm\'s outcomes, giving the lowest and highest effect ' +
      'consistent with the data for people who would answer in either arm (Lee 2009, as the leebounds package).',
  },
  {
    name: 'Complier effect (2SLS)',
    description:
      'An extra: the effect among people who completed at least one module because they were offered it, by two-stage least squares with random assignment as the instrument ' +
      '(estimatr iv_robust). It is the ITT effect divided by the difference in completion between the arms.',
  },
  {
    name: 'Attrition test',
    description: 'The difference between the arms in the share of follow-up weeks answered; a significant difference means the ITT estimates may be biased and the Lee bounds matter.',
  },
  {
    name: 'Balance',
    description: 'Baseline covariates by arm: standardised differences, and a robust joint test that assignment is unrelated to them.',
  },
];
