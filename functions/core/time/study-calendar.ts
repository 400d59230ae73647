import { TZDate } from '@date-fns/tz';
import { startOfISOWeek } from 'date-fns';
import type { Study } from '../model.js';
import { diaryWeek, type DiaryWeek } from './week.js';

/**
 * The study calendar: when a study starts and which of its weeks an instant falls in. Every
 * reader of study weeks (the USSD hop, the dispatcher, campaign previews, the simulator, the
 * exports, the impact report, the console) goes through here, so they all count the same weeks.
 */
export type StudyDates = Pick<Study, 'startsOn' | 'createdAt' | 'timeZone'>;

/** A week of the study, with the instant it opens (Monday 00:00, local). */
export interface StudyWeek extends DiaryWeek {
  opensAt: Date;
}

const DAY = 86_400_000;

/** The instant study weeks count from: the first day's noon (UTC) or, without one, its creation. */
export function studyStart(study: Pick<Study, 'startsOn' | 'createdAt'>): Date {
  return study.startsOn ? new Date(`${study.startsOn}T12:00:00Z`) : new Date(study.createdAt);
}

/** Whether the study's start instant has come (the first week may have opened before it). */
export function studyHasStarted(study: Pick<Study, 'startsOn' | 'createdAt'>, now: Date): boolean {
  return now.getTime() >= studyStart(study).getTime();
}

/** The diary week an instant falls in, numbered from the study's first week. */
export function studyWeekAt(study: StudyDates, at: Date): DiaryWeek {
  return diaryWeek(at, study.timeZone, studyStart(study));
}

/** The study week an instant falls in (0 = the first week; instants before the start give 0). */
export function studyWeekOf(study: StudyDates, at: Date): number {
  return studyWeekAt(study, at).studyWeek;
}

/**
 * Every diary week of the study from its first to the one `now` falls in, in order; before the
 * start, the first week alone. Steps one week at a time from the middle of the first week
 * (Thursday noon, local), so a daylight-saving hour never skips or repeats a week.
 */
export function studyWeeks(study: StudyDates, now: Date): StudyWeek[] {
  const start = studyStart(study);
  const current = diaryWeek(now, study.timeZone, start);
  const first = diaryWeek(start, study.timeZone, start);
  // The first week's Monday 00:00 local is 6 days 23:59:59.999 before it closes; Thursday noon is 3.5 days after.
  const middle = first.closesAt.getTime() + 1 - 7 * DAY + 3.5 * DAY;
  const out: StudyWeek[] = [];
  for (let k = 0; k <= current.studyWeek; k++) {
    const at = middle + k * 7 * DAY;
    out.push({ ...diaryWeek(new Date(at), study.timeZone, start), opensAt: new Date(startOfISOWeek(new TZDate(at, study.timeZone)).getTime()) });
  }
  return out;
}

/**
 * `studyWeekOf` for many instants at once: a binary search over the weeks' closing instants
 * (from `studyWeeks`), falling back to the zone arithmetic only past the last week. Scoring
 * quizzes asks this for every lesson of every participant, in no particular order, which
 * defeats `diaryWeek`'s one-week cache.
 */
export function studyWeekIndexer(study: StudyDates, weeks: readonly DiaryWeek[]): (at: Date) => number {
  const closes = weeks.map((w) => w.closesAt.getTime());
  const last = closes.length - 1;
  return (at) => {
    const t = at.getTime();
    if (last < 0 || t > (closes[last] as number)) return studyWeekOf(study, at);
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t <= (closes[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return (weeks[lo] as DiaryWeek).studyWeek;
  };
}
