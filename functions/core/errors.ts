import type { Participant } from './model.js';

/** Raised by a store when a conditional write finds someone else got there first. */
export class StaleSessionError extends Error {
  constructor(readonly sessionId: string) {
    super(`USSD session ${sessionId} was updated concurrently`);
    this.name = 'StaleSessionError';
  }
}

/** Raised when an enrolment or decline would overwrite a participant who already consented. */
export class AlreadyEnrolledError extends Error {
  constructor(readonly existing: Participant | undefined) {
    super('participant already consented');
    this.name = 'AlreadyEnrolledError';
  }
}

export type StudyClaim = 'studyId' | 'serviceCode' | 'smsShortCode';

/** A new study's id, USSD code or SMS short code belongs to another study already. */
export class StudyTakenError extends Error {
  constructor(readonly taken: StudyClaim[]) {
    super(`already taken: ${taken.join(', ')}`);
    this.name = 'StudyTakenError';
  }
}
