import { TZDate } from '@date-fns/tz';
import { addDays, addHours, addWeeks, startOfISOWeek } from 'date-fns';
import type { Study } from '../model.js';
import { diaryWeek } from '../time/week.js';

/** A week of the study, as the response dataset lists them. */
export interface StudyWeek {
  /** ISO week in the study's time zone, e.g. `2026-W48`. */
  id: string;
  /** 0 for the study's first week. */
  studyWeek: number;
  opensAt: Date;
  closesAt: Date;
}

/** The study's start, as the USSD hop and the dispatcher take it. */
export function studyStart(study: Pick<Study, 'startsOn' | 'createdAt'>): Date {
  return study.startsOn ? new Date(`${study.startsOn}T12:00:00Z`) : new Date(study.createdAt);
}

/**
 * Every week from the study's first to the one `now` falls in (inclusive). Weeks are found from
 * the middle (Thursday noon, local) of the first week, so a daylight-saving change can never
 * push a step into the next or previous week.
 */
export function studyWeeks(study: Pick<Study, 'startsOn' | 'createdAt' | 'timeZone'>, now: Date): StudyWeek[] {
  const start = studyStart(study);
  const current = diaryWeek(now, study.timeZone, start);
  if (now.getTime() < start.getTime()) return [];
  const middle = addHours(addDays(startOfISOWeek(new TZDate(start.getTime(), study.timeZone)), 3), 12);
  const weeks: StudyWeek[] = [];
  for (let n = 0; n <= current.studyWeek; n += 1) {
    const at = addWeeks(middle, n);
    const week = diaryWeek(new Date(at.getTime()), study.timeZone, start);
    weeks.push({ id: week.id, studyWeek: week.studyWeek, opensAt: new Date(startOfISOWeek(at).getTime()), closesAt: week.closesAt });
  }
  return weeks;
}
