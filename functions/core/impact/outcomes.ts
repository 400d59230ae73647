/**
 * Impact outcomes: what a study measures, defined from diary items over a window of study
 * weeks, and each participant's value of it. Definitions are plain JSON (they will be stored
 * on the study), so a researcher can pre-specify them before the data come in.
 *
 * Kinds (all computed per participant over the diary weeks whose `studyWeek` lies in the
 * window, both ends included; a skipped question — value null — is not an answer):
 *  - `share_weeks`: among the weeks where `item` was answered (and `among` holds, if given),
 *    the share whose answer is one of `values`. Missing when there is no such week.
 *  - `mean`: the mean of the numeric answers to `item` (and `among`). Missing without one.
 *  - `any`: 1 when some week's answer to `item` is one of `values`, 0 when `item` was answered
 *    at least once and never so; missing when never answered (e.g. `fee_paid` is only asked of
 *    people paid digitally that week). More answered weeks give more chances of a "yes": read
 *    it with the response rates.
 *  - `quiz_score`: the share of lesson quizzes answered correctly among the lessons the
 *    participant finished (by the study week of `at`). Defined only for people who took a
 *    lesson, so never for the control arm: the report shows it by arm as a descriptive and
 *    does not estimate an intention-to-treat effect on it.
 *  - `index`: a Kling–Liebman–Katz (2007) summary index. For each of `items`, a participant's
 *    component is the mean of their coded answers (`codes[item][choice]`, from least to most
 *    empowered; a choice without a code, such as "did not go to one", is not counted); each
 *    component is standardised by the control arm's mean and SD of that component, and the
 *    index is the mean of the standardised components the participant has (missing with
 *    none). The index is in control-SD units; it is not re-standardised.
 *
 * A `baseline` gives the ANCOVA covariate: a participant baseline answer (`covariate`, numeric,
 * or 1/0 for "one of `values`"), or the same outcome over earlier diary weeks (`window`).
 */
import type { WeekRecord } from '../diary/week-record.js';
import type { AnswerValue, Participant } from '../model.js';
import type { OutcomeBaseline, OutcomeDefinition, OutcomeWindow } from '../outcome-definition.js';

export type { ItemCondition, OutcomeBaseline, OutcomeDefinition, OutcomeKind, OutcomeWindow } from '../outcome-definition.js';

const DIGITAL = ['bank', 'mobile_money', 'mixed'];
/** Weeks 1 to 52 are the follow-up; week 0, before the first lesson, is the baseline week. */
const FOLLOW_UP: OutcomeWindow = { fromStudyWeek: 1, toStudyWeek: 52 };
const BASELINE_WEEK: OutcomeBaseline = { kind: 'window', fromStudyWeek: 0, toStudyWeek: 0 };

/**
 * The outcomes of the demo diary (content/questionnaires/diary.json). They assume study week 0
 * is a diary week before any lesson (campaigns start in week 1 or later), so it serves as the
 * baseline for ANCOVA where the baseline questionnaire has no matching question.
 */
export const DEFAULT_OUTCOMES: readonly OutcomeDefinition[] = [
  {
    id: 'digital_pay_share',
    label: 'Share of paid weeks paid digitally',
    kind: 'share_weeks',
    description: 'Among the weeks a participant received pay, the share paid by bank, mobile money or mixed (not only cash).',
    item: 'wage_how',
    values: DIGITAL,
    among: { item: 'wage_received', values: ['yes'] },
    window: FOLLOW_UP,
    baseline: { kind: 'covariate', name: 'pay_method', values: DIGITAL },
  },
  {
    id: 'weekly_savings',
    label: 'Mean weekly savings',
    kind: 'mean',
    description: 'The mean of the amounts a participant reported saving in a week (0 when none).',
    item: 'saved_amount',
    window: FOLLOW_UP,
    baseline: BASELINE_WEEK,
  },
  {
    id: 'any_cashout_fee',
    label: 'Paid any cash-out fee',
    kind: 'any',
    description: 'Paid a fee to get their wage in at least one week (asked when paid other than in cash only).',
    item: 'fee_paid',
    values: ['yes'],
    window: FOLLOW_UP,
    baseline: BASELINE_WEEK,
  },
  {
    id: 'quiz_score',
    label: 'Lesson quiz score',
    kind: 'quiz_score',
    description: 'Share of lesson quizzes answered correctly, among people who took a lesson. Descriptive only: the control arm takes no lessons.',
    window: FOLLOW_UP,
  },
  {
    id: 'empowerment_index',
    label: 'Customer empowerment index',
    kind: 'index',
    description:
      'Mean of the standardised (by the control arm) respect, choice, voice and control items (Kling, Liebman and Katz). ' +
      'Respect and choice: no 0, yes 1; voice: had a problem and did not complain 0, complained and not solved 1, complained and solved 2; ' +
      'control: someone else decided 0, decided jointly 1, decided alone 2. "Did not go", "took out no money" and "no problem" are not counted.',
    items: ['respect', 'choice', 'voice', 'control'],
    codes: {
      respect: { no: 0, yes: 1 },
      choice: { no: 0, yes: 1 },
      voice: { not_complained: 0, not_solved: 1, solved: 2 },
      control: { someone_else: 0, joint: 1, self: 2 },
    },
    window: FOLLOW_UP,
    baseline: BASELINE_WEEK,
  },
];

/** What is wrong with a definition (empty when it can be computed). */
export function outcomeProblems(def: OutcomeDefinition): string[] {
  const problems: string[] = [];
  const w = def.window;
  if (!w || !Number.isInteger(w.fromStudyWeek) || !Number.isInteger(w.toStudyWeek) || w.fromStudyWeek < 0 || w.toStudyWeek < w.fromStudyWeek) {
    problems.push('window needs whole study weeks with 0 ≤ fromStudyWeek ≤ toStudyWeek');
  }
  switch (def.kind) {
    case 'share_weeks':
    case 'any':
      if (!def.item) problems.push(`a ${def.kind} outcome needs an item`);
      if (!def.values || def.values.length === 0) problems.push(`a ${def.kind} outcome needs the values that count`);
      break;
    case 'mean':
      if (!def.item) problems.push('a mean outcome needs an item');
      break;
    case 'index':
      if (!def.items || def.items.length === 0) problems.push('an index needs items');
      for (const item of def.items ?? []) if (!def.codes?.[item]) problems.push(`an index needs codes for "${item}"`);
      break;
    case 'quiz_score':
      break;
    default:
      problems.push(`unknown kind "${String((def as { kind: unknown }).kind)}"`);
  }
  if (def.baseline?.kind === 'window' && def.kind === 'quiz_score') problems.push('a quiz score has no baseline window');
  return problems;
}

/** What the impact report reads of a diary week (not the phone, not the USSD conversation). */
export type DiaryWeekData = Pick<WeekRecord, 'participantId' | 'studyWeek' | 'answers' | 'complete'>;

/** One participant and their diary weeks; `control` marks the arm the index is standardised by. */
export interface OutcomeUnit {
  participant: Participant;
  weeks: readonly DiaryWeekData[];
  control: boolean;
}

export interface OutcomeContext {
  /** The study week an instant falls in (for lessons); without it lessons are not windowed by week. */
  studyWeekOf?: (at: string) => number;
}

/** How an index component was standardised. */
export interface Standardisation {
  item: string;
  controlMean: number;
  controlSd: number;
  /** Control participants with the component. */
  nControl: number;
}

export interface ComputedOutcome {
  /** Per unit, in the order given; null when missing. */
  values: (number | null)[];
  /** Per study week in the window (ascending), per unit: the week's value or null. */
  byWeek: { studyWeek: number; values: (number | null)[] }[];
  standardisation?: Standardisation[];
  notes: string[];
}

function chosen(answer: AnswerValue, values: readonly string[]): boolean {
  return Array.isArray(answer) ? answer.some((a) => values.includes(a)) : values.includes(String(answer));
}

function numeric(answer: AnswerValue): number | undefined {
  if (typeof answer === 'number') return Number.isFinite(answer) ? answer : undefined;
  if (typeof answer === 'string' && answer.trim() !== '' && Number.isFinite(Number(answer))) return Number(answer);
  return undefined;
}

function answerOf(record: DiaryWeekData, item: string): AnswerValue | undefined {
  const a = record.answers?.[item];
  return a === undefined || a.value === null ? undefined : a.value;
}

function inWindow(week: number, w: OutcomeWindow): boolean {
  return week >= w.fromStudyWeek && week <= w.toStudyWeek;
}

/** The week's value for the single-item kinds (undefined when the week does not count). */
function weekValue(def: OutcomeDefinition, record: DiaryWeekData): number | undefined {
  if (def.among) {
    const a = answerOf(record, def.among.item);
    if (a === undefined || !chosen(a, def.among.values)) return undefined;
  }
  const answer = answerOf(record, def.item ?? '');
  if (answer === undefined) return undefined;
  if (def.kind === 'mean') return numeric(answer);
  return chosen(answer, def.values ?? []) ? 1 : 0;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function sd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Study weeks of the window, capped at `lastWeek` (the report's current week). */
function windowWeeks(w: OutcomeWindow, lastWeek: number): number[] {
  const out: number[] = [];
  for (let k = w.fromStudyWeek; k <= Math.min(w.toStudyWeek, lastWeek); k++) out.push(k);
  return out;
}

/**
 * Each unit's value of the outcome over `window` (default: the definition's), and the weekly
 * values up to `lastWeek` for charts. Never throws on data; a definition with problems gives
 * all-missing values and notes.
 */
export function computeOutcome(
  def: OutcomeDefinition,
  units: readonly OutcomeUnit[],
  options: OutcomeContext & { window?: OutcomeWindow; lastWeek?: number } = {},
): ComputedOutcome {
  const window = options.window ?? def.window;
  const lastWeek = options.lastWeek ?? window.toStudyWeek;
  const problems = outcomeProblems({ ...def, window });
  const missing = (): ComputedOutcome => ({ values: units.map(() => null), byWeek: [], notes: problems.map((p) => `${def.id}: ${p}`) });
  if (problems.length > 0) return missing();
  const weeksOf = (u: OutcomeUnit) => u.weeks.filter((r) => inWindow(r.studyWeek, window));
  const weekList = windowWeeks(window, lastWeek);
  const indexed = units.map((u) => new Map(u.weeks.map((r) => [r.studyWeek, r] as const)));

  if (def.kind === 'quiz_score') {
    const { studyWeekOf } = options;
    const lessons = units.map((u) =>
      Object.values(u.participant.lessons ?? {}).map((l) => ({ correct: l.correct, week: studyWeekOf ? studyWeekOf(l.at) : undefined })),
    );
    const counted = lessons.map((ls) => ls.filter((l) => l.week === undefined || inWindow(l.week, window)));
    return {
      values: counted.map((ls) => (ls.length === 0 ? null : ls.filter((l) => l.correct).length / ls.length)),
      byWeek: studyWeekOf
        ? weekList.map((studyWeek) => ({
            studyWeek,
            values: lessons.map((ls) => {
              const that = ls.filter((l) => l.week === studyWeek);
              return that.length === 0 ? null : that.filter((l) => l.correct).length / that.length;
            }),
          }))
        : [],
      notes: studyWeekOf ? [] : [`${def.id}: lessons are counted whatever their week (no study calendar given)`],
    };
  }

  if (def.kind === 'index') {
    const items = def.items ?? [];
    const codes = def.codes ?? {};
    const coded = (r: DiaryWeekData, item: string): number | undefined => {
      const a = answerOf(r, item);
      if (a === undefined || Array.isArray(a)) return undefined;
      const score = codes[item]?.[String(a)];
      return typeof score === 'number' && Number.isFinite(score) ? score : undefined;
    };
    const notes: string[] = [];
    const standardisation: Standardisation[] = [];
    const components: { item: string; z: (number | null)[]; s: Standardisation }[] = [];
    for (const item of items) {
      const raw = units.map((u) => {
        const xs = weeksOf(u).map((r) => coded(r, item)).filter((x): x is number => x !== undefined);
        return xs.length === 0 ? null : mean(xs);
      });
      const controlValues = raw.filter((x, i): x is number => x !== null && (units[i] as OutcomeUnit).control);
      const s: Standardisation = { item, controlMean: controlValues.length > 0 ? mean(controlValues) : Number.NaN, controlSd: sd(controlValues), nControl: controlValues.length };
      standardisation.push(s);
      if (!(s.controlSd > 0)) {
        notes.push(`${def.id}: "${item}" left out of the index: ${controlValues.length < 2 ? `${controlValues.length} control participant(s) answered it` : 'no variation in the control arm'}`);
        continue;
      }
      components.push({ item, s, z: raw.map((x) => (x === null ? null : (x - s.controlMean) / s.controlSd)) });
    }
    if (components.length === 0) notes.push(`${def.id}: no component can be standardised; the index is missing for everyone`);
    const values = units.map((_, i) => {
      const zs = components.map((c) => c.z[i] as number | null).filter((z): z is number => z !== null);
      return zs.length === 0 ? null : mean(zs);
    });
    const byWeek = weekList.map((studyWeek) => ({
      studyWeek,
      values: units.map((_, i) => {
        const r = indexed[i]?.get(studyWeek);
        if (!r) return null;
        const zs = components.map((c) => {
          const x = coded(r, c.item);
          return x === undefined ? undefined : (x - c.s.controlMean) / c.s.controlSd;
        }).filter((z): z is number => z !== undefined);
        return zs.length === 0 ? null : mean(zs);
      }),
    }));
    return { values, byWeek, standardisation, notes };
  }

  // share_weeks, mean, any
  const perUnit = units.map((u) => weeksOf(u).map((r) => weekValue(def, r)).filter((x): x is number => x !== undefined));
  const values = perUnit.map((xs) => {
    if (xs.length === 0) return null;
    return def.kind === 'any' ? Math.max(...xs) : mean(xs);
  });
  const byWeek = weekList.map((studyWeek) => ({
    studyWeek,
    values: units.map((_, i) => {
      const r = indexed[i]?.get(studyWeek);
      const v = r ? weekValue(def, r) : undefined;
      return v === undefined ? null : v;
    }),
  }));
  return { values, byWeek, notes: [] };
}

/**
 * The baseline covariate of an outcome per unit (null when missing): a baseline answer
 * (numeric, or 1/0 for "one of `values`"), or the outcome over the baseline window (for an
 * index, standardised by the control arm's baseline).
 */
export function baselineValues(def: OutcomeDefinition, units: readonly OutcomeUnit[], options: OutcomeContext = {}): (number | null)[] | undefined {
  const b = def.baseline;
  if (!b) return undefined;
  if (b.kind === 'covariate') {
    return units.map((u) => {
      const a = u.participant.baseline?.answers[b.name];
      if (a === undefined) return null;
      if (b.values) return chosen(a, b.values) ? 1 : 0;
      return numeric(Array.isArray(a) ? Number.NaN : a) ?? null;
    });
  }
  return computeOutcome(def, units, { ...options, window: { fromStudyWeek: b.fromStudyWeek, toStudyWeek: b.toStudyWeek } }).values;
}

/** A human description of a baseline, for the report. */
export function describeBaseline(b: OutcomeBaseline): string {
  return b.kind === 'covariate'
    ? `baseline answer "${b.name}"${b.values ? ` (1 when ${b.values.join(', ')})` : ''}`
    : `the same outcome in study week${b.fromStudyWeek === b.toStudyWeek ? ` ${b.fromStudyWeek}` : `s ${b.fromStudyWeek}–${b.toStudyWeek}`}`;
}
