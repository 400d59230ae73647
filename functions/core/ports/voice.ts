/**
 * The outbound voice ports: placing a call (Africa's Talking Voice through its SDK, or a local
 * fake) and the record of each call attempt the dispatcher plans.
 */

/** One call to place: AT rings `to` from the study's number and then POSTs the voice callback. */
export interface CallRequest {
  /** The study's voice number (E.164 with +). */
  from: string;
  /** The participant's number (E.164 with +). */
  to: string;
  /** The attempt id: AT echoes it, and logs tie a call to its attempt. */
  clientRequestId: string;
}

export type CallOutcome =
  /** AT queued the call: its session id names every callback of the call, the end-of-call one too. */
  | { status: 'queued'; sessionId: string }
  /** AT refused this number or call (InvalidPhoneNumber, DestinationNotSupported, InsufficientCredit...). */
  | { status: 'failed'; reason: string };

export interface VoiceGateway {
  /** Places one call. Rejects only on a failure of the request itself (network, 5xx, credentials). */
  placeCall(call: CallRequest): Promise<CallOutcome>;
}

/**
 * A call the dispatcher placed (or tried to): one per deterministic attempt id
 * (`call#study#week#participant#seq`, seq 0 the call at the chosen time, then the retries).
 * Created with a condition before the call is placed: a doubled dispatcher places nothing twice.
 */
export interface CallAttempt {
  attemptId: string;
  studyId: string;
  participantId: string;
  /** The diary week the call is for. */
  period: string;
  seq: number;
  /** `placing`: claimed, the call not yet answered by AT (a crash here loses this attempt, never doubles it). */
  status: 'placing' | 'queued' | 'failed';
  createdAt: string;
  sessionId?: string;
  reason?: string;
  /** From the end-of-call request. */
  durationInSeconds?: number;
  amount?: number;
  currencyCode?: string;
  endedAt?: string;
}

export interface CallAttemptStore {
  /** The attempts recorded among these ids. */
  attempts(ids: string[]): Promise<CallAttempt[]>;
  /** Creates the attempt unless its id exists; true when this caller created it (and so places the call). */
  claim(attempt: CallAttempt): Promise<boolean>;
  /** What AT answered; a queued call is also findable by its session id (for the end-of-call request). */
  placed(attemptId: string, outcome: { status: 'queued'; sessionId: string } | { status: 'failed'; reason: string }): Promise<void>;
  /** The attempt a call session belongs to, if the dispatcher placed it. */
  bySession(sessionId: string): Promise<CallAttempt | undefined>;
  /** The cost and length of an attempt's call, from its end-of-call request. */
  ended(attemptId: string, end: { durationInSeconds?: number; amount?: number; currencyCode?: string; endedAt: string }): Promise<void>;
}
