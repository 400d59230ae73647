import type { Question, Questionnaire } from '../content/schema.js';
import type { DiaryAnswer, WeekRecord } from '../diary/week-record.js';
import type { AnswerChannel, AnswerValue } from '../model.js';
import type { AnswerLike } from '../questionnaire/condition.js';
import { isAsked } from '../questionnaire/walk.js';
import { redactNumbers } from './redact.js';
import { type Cell, type ValueLabel, type Variable, englishValues } from './variables.js';

/**
 * Where each diary question stands in one week record, following the questionnaire's own
 * logic (skip logic on the answers that count, rotation by study week), as the USSD diary
 * itself walks it (core/questionnaire/walk.ts).
 */
export type QuestionStatus = 'answered' | 'skipped' | 'unanswered' | 'not_asked' | 'off_path';

export const QUESTION_STATUS_VALUES: ValueLabel[] = englishValues({
  answered: 'asked and answered',
  skipped: 'asked; the participant chose to skip it',
  unanswered: 'asked (on the path) but not answered: the week was left unfinished',
  not_asked: 'not asked: skip logic or rotation left it out this week',
  off_path: 'answered earlier, then a changed answer took it off the path: it does not count (value kept for reference)',
});

export interface QuestionState {
  question: Question;
  status: QuestionStatus;
  answer: DiaryAnswer | undefined;
}

/** Every question of the form, in order, with its status in this week. */
export function questionStates(form: Questionnaire, record: Pick<WeekRecord, 'answers' | 'studyWeek'>): QuestionState[] {
  const answers = record.answers ?? {};
  // Conditions see answers on the path only; a skipped question counts as unanswered.
  const live: Record<string, AnswerLike | undefined> = {};
  return form.questions.map((question) => {
    const answer = answers[question.id];
    const asked = isAsked(question, live, record.studyWeek);
    if (asked && answer && answer.value !== null) live[question.id] = answer.value;
    const status: QuestionStatus = asked
      ? answer === undefined ? 'unanswered' : answer.value === null ? 'skipped' : 'answered'
      : answer === undefined ? 'not_asked' : 'off_path';
    return { question, status, answer };
  });
}

/** The numeric code of a stored choice name (undefined for a name the form does not have). */
export function choiceCode(q: Question, name: string): number | undefined {
  return q.type === 'select_one' || q.type === 'select_multiple' ? q.choices.find((c) => c.name === name)?.code : undefined;
}

/** A stored answer as text (names; select_multiple space-separated, as XLSForm does). */
export function answerText(value: AnswerValue | null | undefined, redact: boolean): Cell {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'string') return redact ? redactNumbers(value) : value;
  return value;
}

/** The code of a stored choice answer: a number for one choice, codes space-separated for several. */
export function answerCodes(q: Question | undefined, value: AnswerValue | null | undefined): Cell {
  if (!q || value === null || value === undefined || (q.type !== 'select_one' && q.type !== 'select_multiple')) return undefined;
  if (q.type === 'select_one' && !Array.isArray(value)) return choiceCode(q, String(value)) ?? String(value);
  const names = Array.isArray(value) ? value : [String(value)];
  return names.map((n) => choiceCode(q, n) ?? n).join(' ');
}

/** The modes an answer can come by, in the order a week's mix names them (`ussd+voice`). */
export const ANSWER_MODES: readonly AnswerChannel[] = ['ussd', 'sms', 'voice', 'enumerator'];
const MODE_LABELS: Record<AnswerChannel, string> = { ussd: 'USSD', sms: 'SMS (the compact diary reply)', voice: 'voice (the IVR, by keypad)', enumerator: "an enumerator's phone interview" };

/** Which modes the week's answers came by: `ussd`, `sms`, `voice`, a mix such as `ussd+voice`, or empty. */
export function weekChannel(record: Pick<WeekRecord, 'answers'> | undefined): Cell {
  const seen = new Set(Object.values(record?.answers ?? {}).map((a) => a.channel));
  if (seen.size === 0) return undefined;
  return ANSWER_MODES.filter((c) => seen.has(c)).join('+');
}

/** Every non-empty mix of modes, labelled: what `weekChannel` can give. */
export const CHANNEL_VALUES: ValueLabel[] = englishValues(
  Object.fromEntries(
    Array.from({ length: 2 ** ANSWER_MODES.length - 1 }, (_, i) => ANSWER_MODES.filter((_m, b) => ((i + 1) >> b) & 1)).map((mix) => [
      mix.join('+'),
      mix.length === 1 ? `answered by ${MODE_LABELS[mix[0] as AnswerChannel]}` : `some answers by each of ${mix.map((m) => MODE_LABELS[m]).join(', ')}`,
    ]),
  ),
);

/** The mode of one answer (diary_long, complaints). */
export const MODE_VALUES: ValueLabel[] = englishValues({ ussd: 'USSD (self-report)', sms: 'SMS (self-report)', voice: 'voice (IVR, self-report)', enumerator: "enumerator's phone interview" });

export function choiceValues(q: Question): ValueLabel[] | undefined {
  return q.type === 'select_one' || q.type === 'select_multiple' ? q.choices.map((c) => ({ code: c.code, name: c.name, labels: c.label })) : undefined;
}

/** The columns of one question in the wide file: its value, and a 1/0 column per choice of a select_multiple. */
export function wideVariables(q: Question): Variable[] {
  const label = q.label.en ?? Object.values(q.label)[0] ?? q.id;
  switch (q.type) {
    case 'select_one':
      return [{ name: q.id, type: 'category', label, question: q.id, description: 'the code of the choice', values: choiceValues(q) ?? [] }];
    case 'select_multiple':
      return [
        { name: q.id, type: 'codes', label, question: q.id, description: 'codes of every choice given, space-separated', values: choiceValues(q) ?? [] },
        ...q.choices.map((c) => ({
          name: `${q.id}__${c.name}`,
          type: 'boolean' as const,
          label: `${label}: ${c.label.en ?? c.name}`,
          question: q.id,
          description: `1 if "${c.name}" (code ${c.code}) was among the answers, 0 if not; empty when the question was not answered`,
        })),
      ];
    case 'integer':
      return [{ name: q.id, type: 'integer', label, question: q.id, description: `range ${q.constraint.min} to ${q.constraint.max}` }];
    case 'decimal':
      return [{ name: q.id, type: 'decimal', label, question: q.id, description: `range ${q.constraint.min} to ${q.constraint.max}` }];
    case 'text':
      return [{ name: q.id, type: 'string', label, question: q.id, description: `free text, at most ${q.maxLength} characters` }];
  }
}

/** The wide cells of one question for an answer that counts (status answered), empty otherwise. */
export function wideCells(q: Question, state: QuestionState | undefined, redact: boolean): Record<string, Cell> {
  const value = state?.status === 'answered' ? state.answer?.value : undefined;
  switch (q.type) {
    case 'select_one':
      return { [q.id]: answerCodes(q, value) };
    case 'select_multiple': {
      const given = value === undefined || value === null ? undefined : new Set(Array.isArray(value) ? value : [String(value)]);
      return {
        [q.id]: answerCodes(q, value),
        ...Object.fromEntries(q.choices.map((c) => [`${q.id}__${c.name}`, given ? (given.has(c.name) ? 1 : 0) : undefined])),
      };
    }
    default:
      return { [q.id]: answerText(value, redact) };
  }
}
