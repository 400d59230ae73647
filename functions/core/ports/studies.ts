import type { Study } from '../model.js';

/** Studies as read: by id, listed, found by their USSD service code or SMS short code. */
export interface StudyReader {
  studyForServiceCode(serviceCode: string): Promise<Study | undefined>;
  studyForShortCode(shortCode: string): Promise<Study | undefined>;
  studyIds(): Promise<string[]>;
  getStudy(studyId: string): Promise<Study | undefined>;
}

/** What the USSD hop needs of studies (cached per container, core/studies.ts). */
export type ServiceCodeReader = Pick<StudyReader, 'studyForServiceCode'>;

/** Writing studies (the admin API, seeding); kept apart so the USSD path carries no write code. */
export interface StudyStore {
  /**
   * Creates the study with its arms and claims its codes, all or nothing; StudyTakenError
   * (core/errors.ts) names what another study holds already.
   */
  create(study: Study): Promise<void>;
  /** Replaces the study's pre-specified outcomes. */
  setOutcomes(studyId: string, outcomes: NonNullable<Study['outcomes']>): Promise<void>;
}
