import type { Participant } from '../model.js';
import type { WeekRecord } from '../diary/week-record.js';
import type { UssdSession } from '../ussd/session.js';

export interface HopRecords {
  session?: UssdSession;
  participant?: Participant;
  week?: WeekRecord;
}

/** What one USSD hop reads, in a single round trip. */
export interface HopReader {
  /**
   * The enrolment session, the participant and their record of this diary week. Expired
   * sessions are not returned.
   */
  loadHop(sessionId: string, studyId: string, phone: string, week: string, now: Date): Promise<HopRecords>;
}

/** Enrolment sessions (TTL items). */
export interface SessionStore {
  /**
   * Writes the session if its stored version is still `previousVersion` (undefined: must not
   * exist yet); otherwise throws StaleSessionError.
   */
  saveSession(session: UssdSession, previousVersion: number | undefined): Promise<void>;
}
