import { weekAnswered } from '../../diary/week-record.js';
import { CHANNEL_VALUES, questionStates, weekChannel, wideCells, wideVariables } from '../diary.js';
import type { ExportSource } from '../../ports/exports.js';
import { BOOLEAN_VALUES, type Row, type Variable, yesNo } from '../variables.js';
import type { DatasetDefinition, ExportContext } from './context.js';
import { participantsWith } from './read.js';
import { diaryForm, weekVariables, whoCells, whoVariables } from './who.js';

/** diary_wide: one row per participant × week. */
export const diaryWide: DatasetDefinition = { variables: diaryWideVariables, rows: diaryWideRows };

function diaryWideVariables(ctx: ExportContext): Variable[] {
  const form = diaryForm(ctx);
  return [
    ...whoVariables(ctx),
    ...weekVariables,
    { name: 'questionnaire_version', type: 'integer', label: 'Version of the diary questionnaire the week was answered with' },
    { name: 'complete', type: 'boolean', label: 'The diary counts as done: finished over USSD, or answered by SMS', values: BOOLEAN_VALUES },
    { name: 'completed_at', type: 'datetime', label: 'When the USSD diary was saved (UTC, ISO 8601)' },
    { name: 'channel', type: 'category', label: 'Channels the answers came by', values: CHANNEL_VALUES },
    { name: 'answered', type: 'integer', label: 'Questions answered (on the path, not skipped)' },
    { name: 'skipped', type: 'string', label: 'Questions the participant chose to skip (ids, space-separated)' },
    ...form.questions.flatMap(wideVariables),
  ];
}

async function* diaryWideRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  const form = diaryForm(ctx);
  for await (const [p, weeks] of participantsWith(ctx, source, (p) => source.weeks(p))) {
    const out: Row[] = [];
    const who = whoCells(ctx, p);
    for (const w of weeks) {
      const states = questionStates(form, w);
      const row: Row = {
        ...who,
        week: w.week,
        study_week: w.studyWeek,
        questionnaire_version: w.questionnaireVersion,
        complete: yesNo(weekAnswered(w)),
        completed_at: w.completedAt,
        channel: weekChannel(w),
        answered: states.filter((s) => s.status === 'answered').length,
        skipped: states.filter((s) => s.status === 'skipped').map((s) => s.question.id).join(' ') || undefined,
      };
      for (const s of states) Object.assign(row, wideCells(s.question, s, !ctx.includePhone));
      out.push(row);
    }
    if (out.length > 0) yield out;
  }
}
