/**
 * Enumerator phone interviews (issue 18): who calls whom, what each call came to, and the
 * interviews they recorded. Keyed by participant id and enumerator id, never by phone, so an
 * enumerator's records survive a number change or a forgotten number.
 */

/** The staff id of an enumerator (their account's id); exports show a keyed pseudonym instead. */
export type EnumeratorId = string;

/** One hand-over of a participant to an enumerator, kept when they are reassigned. */
export interface AssignmentStep {
  enumeratorId: EnumeratorId;
  at: string;
  by: string;
  how: 'hand' | 'balanced';
}

/** Who calls a participant now, and who called them before. */
export interface Assignment {
  studyId: string;
  participantId: string;
  enumeratorId: EnumeratorId;
  at: string;
  by: string;
  how: AssignmentStep['how'];
  /** Earlier assignments, oldest first. */
  history: AssignmentStep[];
  version: number;
}

/** AAPOR-style outcomes of a call attempt (as Surveda records them). */
export const DISPOSITIONS = ['completed', 'partial', 'refused', 'no_answer', 'busy', 'wrong_number', 'call_back', 'withdrew'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** After these the participant leaves this week's list: nothing more to ask this week. */
export const FINAL_FOR_WEEK: readonly Disposition[] = ['completed', 'refused', 'wrong_number', 'withdrew'];

export interface CallAttempt {
  attemptId: string;
  at: string;
  enumeratorId: EnumeratorId;
  disposition: Disposition;
  /** "Call back": the instant the participant asked to be called (UTC). */
  callBackAt?: string;
  note?: string;
}

/** An interview opened on the screen: how long it took, and the consistency prompts it met. */
export interface InterviewSpan {
  enumeratorId: EnumeratorId;
  startedAt: string;
  endedAt?: string;
  /** Elapsed milliseconds as the browser measured them (monotonic), when it ended. */
  durationMs?: number;
  /** Consistency prompts shown, and how many the enumerator kept the answer through. */
  prompts: number;
  overridden: number;
}

/** A supervisor's re-call of a completed interview: the answers that differed. */
export interface BackCheck {
  flaggedAt: string;
  checkedAt?: string;
  checkedBy?: string;
  /** By question id: what the interview recorded, and what the re-call heard. */
  differences?: Record<string, { recorded: unknown; heard: unknown }>;
}

/**
 * A participant's calls of one diary week: every attempt, the interviews, who holds the
 * participant open on a screen, a call-back time, and a back-check flag. One item, written on
 * its version, so the weekly attempt cap cannot be passed by two tabs at once.
 */
export interface CallRecord {
  studyId: string;
  participantId: string;
  week: string;
  attempts: CallAttempt[];
  interviews: InterviewSpan[];
  /** The enumerator whose interview screen has this participant open, until `until`. */
  holder?: { enumeratorId: EnumeratorId; until: string };
  callBackAt?: string;
  backCheck?: BackCheck;
  version: number;
  updatedAt: string;
}

/** Per study: attempt cap, back-check share and how long an open interview holds a participant. */
export interface EnumerationSettings {
  maxAttemptsPerWeek: number;
  /** Share of completed interviews (0-100) flagged for a supervisor's re-call. */
  backCheckPercent: number;
  holdMinutes: number;
}

export const DEFAULT_ENUMERATION: EnumerationSettings = { maxAttemptsPerWeek: 4, backCheckPercent: 10, holdMinutes: 20 };

export const enumerationSettings = (s: { enumeration?: Partial<EnumerationSettings> }): EnumerationSettings => ({ ...DEFAULT_ENUMERATION, ...(s.enumeration ?? {}) });

/** An empty call record of a participant's week. */
export const emptyCallRecord = (studyId: string, participantId: string, week: string, stamp: string): CallRecord => ({
  studyId, participantId, week, attempts: [], interviews: [], version: 0, updatedAt: stamp,
});
