import type { Question, Questionnaire } from '../content/schema.js';
import { type AnswerLike, type Condition, evaluate, parseCondition } from './condition.js';

export type Answers = Readonly<Record<string, AnswerLike | undefined>>;

/** Parsed `relevant` conditions, once per questionnaire object (content is immutable). */
const parsed = new WeakMap<Question, Condition | null>();
function conditionOf(q: Question): Condition | null {
  let c = parsed.get(q);
  if (c === undefined) {
    c = q.relevant ? parseCondition(q.relevant) : null;
    parsed.set(q, c);
  }
  return c;
}

/** Whether a rotating item is asked in this study week (week numbers start at 0). */
export function inRotation(q: Question, studyWeek: number): boolean {
  if (!q.rotation) return true;
  const { every, offset } = q.rotation;
  return (((studyWeek - offset) % every) + every) % every === 0;
}

export function isAsked(q: Question, answers: Answers, studyWeek: number): boolean {
  const c = conditionOf(q);
  return inRotation(q, studyWeek) && (c === null || evaluate(c, answers));
}

/**
 * The index of the first question at or after `from` that is asked, given the answers so
 * far (answers to questions no longer asked are ignored), or undefined at the end.
 */
export function nextAsked(form: Questionnaire, answers: Answers, studyWeek: number, from = 0): number | undefined {
  const live = liveAnswers(form, answers, studyWeek, from);
  for (let i = from; i < form.questions.length; i += 1) {
    if (isAsked(form.questions[i] as Question, live, studyWeek)) return i;
  }
  return undefined;
}

/** The last asked question before `before`, for "0. Back". */
export function previousAsked(form: Questionnaire, answers: Answers, studyWeek: number, before: number): number | undefined {
  for (let i = before - 1; i >= 0; i -= 1) {
    if (isAsked(form.questions[i] as Question, liveAnswers(form, answers, studyWeek, i), studyWeek)) return i;
  }
  return undefined;
}

/**
 * The answers that count: those of questions asked on the path the earlier answers take.
 * An answer given before a change made its question irrelevant no longer counts.
 */
export function liveAnswers(form: Questionnaire, answers: Answers, studyWeek: number, upTo = form.questions.length): Record<string, AnswerLike | undefined> {
  const live: Record<string, AnswerLike | undefined> = {};
  for (const q of form.questions.slice(0, upTo)) {
    if (isAsked(q, live, studyWeek) && answers[q.id] !== undefined) live[q.id] = answers[q.id];
  }
  return live;
}
