import type { Participant } from '../model.js';
import type { ForgetMark } from '../privacy/forget.js';
import type { OutboundMessage } from '../sms/send.js';

/** What one run of forgetting changed (counts only: never a number). */
export interface ForgetResult {
  participantId: string;
  weeks: number;
  complaints: number;
  messages: number;
  callbacks: number;
  deleted: number;
}

/** Forgetting a participant ("forget me"): crash-safe and idempotent. */
export interface ForgetStore {
  /** The participant by id: still active (phone-keyed), or already forgotten. */
  findById(studyId: string, participantId: string): Promise<{ active?: Participant; forgotten?: Participant }>;
  forget(p: Participant, mark: ForgetMark, audit: { by: string; reason?: string }): Promise<ForgetResult>;
}

/** A participant's export id, computed while the number is still known (forgetting keeps it). */
export interface PseudonymSource {
  /** Undefined where the deployment has no pseudonym key. */
  exportIdOf(studyId: string, phone: string): Promise<string | undefined>;
}

/**
 * One "forget me" to run, off the request path: the SMS callback and the admin API queue it,
 * a worker runs it (SQS and the Forget Lambda in AWS, the in-process queue locally).
 */
export interface ForgetJob {
  studyId: string;
  participantId: string;
  /** Who asked (the forgotten record's `forgotten.by`) and the audit's actor and reason. */
  by: ForgetMark['by'];
  actor: string;
  reason?: string;
  /** The last SMS ("you are forgotten"): queued for sending only once the forget has finished. */
  confirmation?: OutboundMessage;
}

export interface ForgetQueue {
  enqueue(job: ForgetJob): Promise<void>;
}
