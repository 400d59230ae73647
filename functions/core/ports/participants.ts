import type { Participant } from '../model.js';

export interface ParticipantKey {
  studyId: string;
  phone: string;
}

/** Participants: their consent, baseline, settings and arm (the arm itself: RandomizationStore). */
export interface ParticipantStore {
  /** Adds a participant unless the number is already in the study. Returns false if it was. */
  addParticipant(participant: Participant): Promise<boolean>;
  getByPhone(studyId: string, phone: string): Promise<Participant | undefined>;
  /** Several participants at once (the sender's send-time check). */
  getMany(wanted: readonly ParticipantKey[]): Promise<Participant[]>;
  /** One page of a study's participants, in id order, and the cursor of the next page. */
  page(studyId: string, cursor?: string, limit?: number): Promise<{ participants: Participant[]; cursor?: string }>;
  /** All participants of a study, in participant-id order. */
  listByStudy(studyId: string): Promise<Participant[]>;
  /** Rewrites a participant if unchanged since `previousUpdatedAt`; else StaleSessionError. */
  saveParticipant(participant: Participant, previousUpdatedAt: string): Promise<void>;
  /**
   * Records a consent decision (with the baseline answers) in one conditional write. Refuses
   * to overwrite a participant who has consented, throwing AlreadyEnrolledError with them.
   */
  saveConsent(participant: Participant): Promise<void>;
}
