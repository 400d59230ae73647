import type { Participant } from '../model.js';
import type { AssignmentAudit } from '../randomize/assign.js';
import type { RollingState } from '../randomize/rolling.js';

/** A randomization run as recorded (audit), and the state a resumed or rolling run needs. */
export interface StoredRandomization extends AssignmentAudit {
  randomizationId: string;
  studyId: string;
  kind: 'initial' | 'rolling';
  status: 'running' | 'complete';
  /** Rolling enrolment only: the block state after the last late joiner. */
  rolling?: RollingState;
  version: number;
}

/** Randomization runs and write-once arm assignments. */
export interface RandomizationStore {
  participants(studyId: string): Promise<Participant[]>;
  /** The study's randomizations, oldest first. */
  runs(studyId: string): Promise<StoredRandomization[]>;
  /** Creates the run record once; false when a run with this id exists. */
  createRun(run: StoredRandomization): Promise<boolean>;
  /** Rewrites the run if its version is still `previousVersion`; false otherwise. */
  saveRun(run: StoredRandomization, previousVersion: number): Promise<boolean>;
  /**
   * Gives the participant this arm if they have none (or already this arm from this run);
   * false when they have another arm: assignments are never changed.
   */
  assignArm(p: Participant, armId: string, randomizationId: string, at: string): Promise<boolean>;
}
