import { TZDate } from '@date-fns/tz';
import { differenceInCalendarWeeks, endOfISOWeek, getISOWeek, getISOWeekYear, startOfISOWeek } from 'date-fns';

/**
 * Diary weeks are ISO weeks (Monday to Sunday) in the study's time zone: a diary answered
 * late on Sunday night in Nairobi belongs to that week, whatever the server's clock says.
 */
export interface DiaryWeek {
  /** ISO week label, e.g. `2026-W48`. */
  id: string;
  /** Weeks since the study started (0 = the first week), for rotating items. */
  studyWeek: number;
  /** When the week closes (end of Sunday, local), as an instant. */
  closesAt: Date;
}

/** The current week of each (zone, study start), reused until it closes: zone arithmetic costs ~0.3 ms. */
const current = new Map<string, { week: DiaryWeek; opensAt: number }>();

export function diaryWeek(now: Date, timeZone: string, studyStart: Date): DiaryWeek {
  const key = `${timeZone}|${studyStart.getTime()}`;
  const hit = current.get(key);
  const t = now.getTime();
  if (hit && t >= hit.opensAt && t <= hit.week.closesAt.getTime()) return hit.week;
  const week = computeWeek(now, timeZone, studyStart);
  const opensAt = startOfISOWeek(new TZDate(t, timeZone)).getTime();
  current.set(key, { week, opensAt });
  return week;
}

function computeWeek(now: Date, timeZone: string, studyStart: Date): DiaryWeek {
  const local = new TZDate(now.getTime(), timeZone);
  const id = `${getISOWeekYear(local)}-W${String(getISOWeek(local)).padStart(2, '0')}`;
  const start = startOfISOWeek(new TZDate(studyStart.getTime(), timeZone));
  const studyWeek = Math.max(0, differenceInCalendarWeeks(local, start, { weekStartsOn: 1 }));
  return { id, studyWeek, closesAt: new Date(endOfISOWeek(local).getTime()) };
}
