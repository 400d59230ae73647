import type { Complaint, Participant, Study } from './model.js';
import type { WeekRecord } from './diary/week-record.js';
import type { OutboundMessage } from './sms/send.js';
import type { UssdSession } from './ussd/session.js';

/** Resolves a USSD service code to the study it belongs to. */
export interface StudyDirectory {
  studyForServiceCode(serviceCode: string): Promise<Study | undefined>;
}

export interface HopRecords {
  session?: UssdSession;
  participant?: Participant;
  week?: WeekRecord;
}

export interface UssdStore {
  /**
   * Everything one USSD hop needs, in a single round trip: the enrolment session, the
   * participant and their record of this diary week. Expired sessions are not returned.
   */
  loadHop(sessionId: string, studyId: string, phone: string, week: string, now: Date): Promise<HopRecords>;
  /** Writes a diary week if its stored version is still `previousVersion`; else StaleSessionError. */
  saveWeek(record: WeekRecord, previousVersion: number | undefined): Promise<void>;
  /** Rewrites a participant if unchanged since `previousUpdatedAt`; else StaleSessionError. */
  saveParticipant(participant: Participant, previousUpdatedAt: string): Promise<void>;
  /** Stores a complaint once (a resent request with the same reference changes nothing). */
  saveComplaint(complaint: Complaint): Promise<void>;
  /** The participant's diary weeks from `fromWeek` to `toWeek` (ISO week ids, inclusive). */
  listWeeks(studyId: string, phone: string, fromWeek: string, toWeek: string): Promise<WeekRecord[]>;
  /**
   * Writes the session if its stored version is still `previousVersion` (undefined: must not
   * exist yet); otherwise throws StaleSessionError.
   */
  saveSession(session: UssdSession, previousVersion: number | undefined): Promise<void>;
  /**
   * Records a consent decision (with the baseline answers) in one conditional write. Refuses
   * to overwrite a participant who has consented, throwing AlreadyEnrolledError with them.
   */
  saveConsent(participant: Participant): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The queue between whoever decides a message goes out (dispatcher, incoming-SMS replies) and
 * the sender: SQS in AWS, an in-process queue with the same event shape locally.
 */
export interface SendQueue {
  enqueue(messages: readonly OutboundMessage[]): Promise<void>;
}
