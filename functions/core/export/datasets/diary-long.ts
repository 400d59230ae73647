import type { Question } from '../../content/schema.js';
import type { WeekRecord } from '../../diary/week-record.js';
import { MODE_VALUES, QUESTION_STATUS_VALUES, answerCodes, answerText, questionStates } from '../diary.js';
import type { ExportSource } from '../../ports/exports.js';
import { type Row, type Variable, englishValues } from '../variables.js';
import type { DatasetDefinition, ExportContext } from './context.js';
import { participantsWith } from './read.js';
import { enumeratorPseudonym } from '../pseudonym.js';
import { diaryForm, weekVariables, whoCells, whoVariables } from './who.js';

/** diary_long: one row per participant × week × diary question. */
export const diaryLong: DatasetDefinition = { variables: diaryLongVariables, rows: diaryLongRows };

function diaryLongVariables(ctx: ExportContext): Variable[] {
  const form = diaryForm(ctx);
  return [
    ...whoVariables(ctx),
    ...weekVariables,
    { name: 'questionnaire_version', type: 'integer', label: 'Version of the diary questionnaire the week was answered with' },
    { name: 'question', type: 'category', label: 'Diary question id (see the questions of the codebook)', values: form.questions.map((q) => ({ code: q.id, labels: q.label })) },
    { name: 'type', type: 'category', label: 'Question type', values: englishValues({ select_one: 'one choice', select_multiple: 'several choices', integer: 'whole number', decimal: 'number', text: 'free text' }) },
    { name: 'status', type: 'category', label: 'Where the question stands in this week', values: QUESTION_STATUS_VALUES },
    {
      name: 'value',
      type: 'string',
      label: 'The answer as stored: a choice name (several space-separated), a number or text',
      description: ctx.includePhone ? 'free text as typed' : 'in free text, runs of 9 or more digits are replaced by [number]',
    },
    { name: 'code', type: 'codes', label: 'The numeric code of a choice answer (several space-separated)' },
    { name: 'channel', type: 'category', label: 'Channel of this answer', values: MODE_VALUES },
    { name: 'enumerator', type: 'string', label: 'Pseudonymous id of the enumerator who recorded the answer (interviews only): e + 8 hex of HMAC-SHA256(study key, staff id)' },
    { name: 'answered_at', type: 'datetime', label: 'When the answer was given (UTC, ISO 8601)' },
  ];
}

async function* diaryLongRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  const form = diaryForm(ctx);
  const known = new Set(form.questions.map((q) => q.id));
  for await (const [p, weeks] of participantsWith(ctx, source, (p) => source.weeks(p))) {
    const out: Row[] = [];
    const who = whoCells(ctx, p);
    for (const w of weeks) {
      const base = { ...who, week: w.week, study_week: w.studyWeek, questionnaire_version: w.questionnaireVersion };
      for (const s of questionStates(form, w)) out.push(longRow(ctx, base, s.question, s.status, s.answer, !ctx.includePhone));
      // Answers to questions the current form no longer has (an older version): kept, marked.
      for (const [id, a] of Object.entries(w.answers ?? {})) {
        if (!known.has(id)) out.push(longRow(ctx, base, undefined, a.value === null ? 'skipped' : 'answered', a, !ctx.includePhone, id));
      }
    }
    if (out.length > 0) yield out;
  }
}

function longRow(ctx: ExportContext, base: Row, q: Question | undefined, status: string, a: WeekRecord['answers'][string] | undefined, redact: boolean, id = q?.id): Row {
  return {
    ...base,
    question: id,
    type: q?.type,
    status,
    value: answerText(a?.value, redact),
    code: answerCodes(q, a?.value),
    channel: a?.channel,
    enumerator: a?.enumeratorId ? enumeratorPseudonym(a.enumeratorId, ctx.key) : undefined,
    answered_at: a?.at,
  };
}
