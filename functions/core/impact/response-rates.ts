import { weekAnswered } from '../diary/week-record.js';
import type { Study } from '../model.js';
import type { DiaryWeek } from '../time/week.js';
import type { DiaryWeekData } from './outcomes.js';
import type { ResponseRateRow } from './report-model.js';
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
