import type { WeekRecord } from '../diary/week-record.js';
import type { Complaint, Lang, Participant, Study } from '../model.js';
import type { VoiceState } from './dialogue.js';

/**
 * The ports the voice use case needs, each as narrow as it uses it. The diary store is the
 * USSD store (DynamoUssdStore has every method): answers land in the same week record.
 */

/** Where one call is in the dialogue, kept between AT's callbacks (TTL: a day). */
export interface VoiceCall {
  sessionId: string;
  studyId: string;
  phone: string;
  participantId: string;
  lang: Lang;
  state: VoiceState;
  /**
   * The number of the prompt last answered with; its GetDigits/Record callback URL carries it,
   * so a resent callback (same step) is answered from `lastResponse` and records nothing.
   */
  step: number;
  lastResponse: string;
  version: number;
  startedAt: string;
  updatedAt: string;
  expiresAt: number;
}

/** The end-of-call request (isActive=0): what the call cost. Kept without TTL. */
export interface CallEnd {
  sessionId: string;
  studyId?: string;
  participantId?: string;
  /** The dispatcher's attempt that placed the call (outbound calls). */
  attemptId?: string;
  direction?: string;
  durationInSeconds?: number;
  amount?: number;
  currencyCode?: string;
  at: string;
}

export interface VoiceCallStore {
  getCall(sessionId: string): Promise<VoiceCall | undefined>;
  /** Writes the call if its stored version is still `previousVersion` (undefined: new); else StaleSessionError. */
  saveCall(call: VoiceCall, previousVersion: number | undefined): Promise<void>;
  /** Records the end of a call once (a resent end-of-call request changes nothing); false if already recorded. */
  recordEnd(end: CallEnd): Promise<boolean>;
}

/** Who is calling: the consented participant with this number, and their study. */
export interface CallerDirectory {
  findCaller(phone: string): Promise<{ study: Study; participant: Participant } | undefined>;
  studyById(studyId: string): Promise<Study | undefined>;
}

export interface VoiceDiaryStore {
  /** The participant and their record of this diary week, in one read (the session is USSD's, unused here). */
  loadHop(sessionId: string, studyId: string, phone: string, week: string, now: Date): Promise<{ participant?: Participant; week?: WeekRecord }>;
  saveWeek(record: WeekRecord, previousVersion: number | undefined): Promise<void>;
  saveParticipant(participant: Participant, previousUpdatedAt: string): Promise<void>;
  saveComplaint(complaint: Complaint): Promise<void>;
}
