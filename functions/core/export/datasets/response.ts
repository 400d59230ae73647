import { weekAnswered, type WeekRecord } from '../../diary/week-record.js';
import type { Participant } from '../../model.js';
import { studyHasStarted, studyWeeks, type StudyWeek } from '../../time/study-calendar.js';
import { CHANNEL_VALUES, weekChannel } from '../diary.js';
import type { ExportSource } from '../../ports/exports.js';
import { BOOLEAN_VALUES, type Row, type Variable, englishValues, yesNo } from '../variables.js';
import type { DatasetDefinition, ExportContext } from './context.js';
import { participantsWith } from './read.js';
import { weekVariables, whoCells, whoVariables } from './who.js';

/** response: one row per participant × study week. */
export const response: DatasetDefinition = { variables: responseVariables, rows: responseRows };

export type ResponseStatus = 'answered' | 'partial' | 'none';

function responseVariables(ctx: ExportContext): Variable[] {
  return [
    ...whoVariables(ctx),
    ...weekVariables,
    {
      name: 'enrolled',
      type: 'boolean',
      label: 'In the study that week: consented before the week ended, and not withdrawn before it began',
      values: BOOLEAN_VALUES,
    },
    {
      name: 'status',
      type: 'category',
      label: 'Diary response that week',
      values: englishValues({ answered: 'the diary counts as done (finished over USSD, or answered by SMS)', partial: 'some answers, not finished', none: 'no answer' }),
    },
    { name: 'channel', type: 'category', label: 'Channels the answers came by', values: CHANNEL_VALUES },
    { name: 'answered', type: 'integer', label: 'Answers given that week (skips not counted)' },
    { name: 'completed_at', type: 'datetime', label: 'When the USSD diary was saved (UTC, ISO 8601)' },
  ];
}

/** Answered, partial or none, for one participant's record of a week (or none). */
export function responseStatus(record: Pick<WeekRecord, 'answers' | 'complete'> | undefined): ResponseStatus {
  if (!record || Object.keys(record.answers ?? {}).length === 0) return record?.complete ? 'answered' : 'none';
  return weekAnswered(record) ? 'answered' : 'partial';
}

/** Whether the participant was in the study during the week. */
export function enrolledIn(p: Pick<Participant, 'consent' | 'createdAt'>, week: Pick<StudyWeek, 'opensAt' | 'closesAt'>): boolean {
  const { state, at } = p.consent;
  if (state === 'consented') return Date.parse(at ?? p.createdAt) <= week.closesAt.getTime();
  // A withdrawal overwrites the consent record: the participant was in from their creation until it.
  if (state === 'withdrawn') return Date.parse(p.createdAt) <= week.closesAt.getTime() && (at === undefined || Date.parse(at) >= week.opensAt.getTime());
  return false;
}

async function* responseRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  // No rows before the start instant, even when the first week has already opened (the
  // calendar itself gives the first week then, as the impact report and console show it).
  const weeks = studyHasStarted(ctx.study, ctx.now) ? studyWeeks(ctx.study, ctx.now) : [];
  for await (const [p, records] of participantsWith(ctx, source, (p) => source.weeks(p))) {
    const out: Row[] = [];
    const who = whoCells(ctx, p);
    const byWeek = new Map(records.map((r) => [r.week, r]));
    for (const w of weeks) {
      const r = byWeek.get(w.id);
      out.push({
        ...who,
        week: w.id,
        study_week: w.studyWeek,
        enrolled: yesNo(enrolledIn(p, w)),
        status: responseStatus(r),
        channel: weekChannel(r),
        answered: Object.values(r?.answers ?? {}).filter((a) => a.value !== null).length,
        completed_at: r?.completedAt,
      });
    }
    if (out.length > 0) yield out;
  }
}
