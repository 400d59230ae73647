import type { Participant } from '../model.js';
import type { ForgetMark } from '../privacy/forget.js';

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
