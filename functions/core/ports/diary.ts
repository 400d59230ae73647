import type { WeekRecord } from '../diary/week-record.js';
import type { DiaryWeekData } from '../impact/outcomes.js';

/** A participant's diary weeks (answers and the USSD conversation of the week). */
export interface DiaryWeekStore {
  /** Writes a diary week if its stored version is still `previousVersion`; else StaleSessionError. */
  saveWeek(record: WeekRecord, previousVersion: number | undefined): Promise<void>;
  /** The participant's diary weeks from `fromWeek` to `toWeek` (ISO week ids, inclusive). */
  listWeeks(studyId: string, phone: string, fromWeek: string, toWeek: string): Promise<WeekRecord[]>;
  /** Among these phones, those whose diary of `week` is answered. */
  answeredAmong(studyId: string, phones: readonly string[], week: string): Promise<Set<string>>;
}

/** Every participant's diary of given weeks, for the impact report (one read per week). */
export interface DiaryReader {
  week(studyId: string, isoWeek: string): Promise<DiaryWeekData[]>;
  weeks(studyId: string, isoWeeks: readonly string[]): Promise<DiaryWeekData[]>;
}
