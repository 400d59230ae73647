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

export function diaryWeek(now: Date, timeZone: string, studyStart: Date): DiaryWeek {
  const local = new TZDate(now.getTime(), timeZone);
  const id = `${getISOWeekYear(local)}-W${String(getISOWeek(local)).padStart(2, '0')}`;
  const start = startOfISOWeek(new TZDate(studyStart.getTime(), timeZone));
  const studyWeek = Math.max(0, differenceInCalendarWeeks(local, start, { weekStartsOn: 1 }));
  return { id, studyWeek, closesAt: new Date(endOfISOWeek(local).getTime()) };
}
