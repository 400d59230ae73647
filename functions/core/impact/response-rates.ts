import { weekAnswered } from '../diary/week-record.js';
import type { AnswerChannel, Participant, Study } from '../model.js';
import type { DiaryWeek } from '../time/week.js';
import type { DiaryWeekData } from './outcomes.js';
import type { ModeResponseRow, ResponseRateRow } from './report-model.js';
import type { Unit } from './sample.js';

/** A week counts as responded with at least one diary answer (skips do not count). */
export const responded = (r: DiaryWeekData) => Object.values(r.answers ?? {}).some((a) => a.value !== null);

/** Response rates by arm and week (late joiners count from the week they joined). */
export function responseRates(calendar: readonly DiaryWeek[], study: Pick<Study, 'arms'>, units: readonly Unit[]): ResponseRateRow[] {
  return calendar.map((w) => ({
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
}

/**
 * How the study reaches a participant: called (`voice`), sent SMS prompts (`sms`, the default),
 * or left to dial in (`ussd`). The mode they were offered, so each rate has a denominator.
 */
export const contactMode = (p: Pick<Participant, 'channel'>): AnswerChannel => (p.channel === 'voice' || p.channel === 'ussd' ? p.channel : 'sms');

/**
 * Response rates by contact mode and arm, over every study week so far (person-weeks: a
 * participant counts from their entry week), with the modes the answers actually came by.
 */
export function responseRatesByMode(calendar: readonly DiaryWeek[], study: Pick<Study, 'arms'>, units: readonly Unit[]): ModeResponseRow[] {
  const modes: AnswerChannel[] = ['ussd', 'sms', 'voice'];
  return modes
    .map((mode) => ({
      mode,
      arms: study.arms.map((arm) => {
        const mine = units.filter((u) => u.armId === arm.armId && contactMode(u.participant) === mode);
        let personWeeks = 0;
        let answered = 0;
        const answeredBy: Record<AnswerChannel, number> = { ussd: 0, sms: 0, voice: 0, enumerator: 0 };
        for (const w of calendar) {
          for (const u of mine) {
            if (u.entryWeek > w.studyWeek) continue;
            personWeeks += 1;
            const r = u.weeks.find((x) => x.studyWeek === w.studyWeek);
            if (!r || !responded(r)) continue;
            answered += 1;
            for (const m of new Set(Object.values(r.answers ?? {}).map((a) => a.channel))) if (m in answeredBy) answeredBy[m] += 1;
          }
        }
        return { armId: arm.armId, participants: mine.length, personWeeks, responded: answered, rate: personWeeks > 0 ? answered / personWeeks : null, answeredBy };
      }),
    }))
    .filter((row) => row.arms.some((a) => a.participants > 0));
}

