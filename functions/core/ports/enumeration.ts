import type { Assignment, CallRecord, EnumeratorId } from '../enumerate/model.js';

/** Assignments and call records (issue 18), keyed by participant id and enumerator id. */
export interface EnumerationStore {
  /** The study's current assignments; with `enumeratorId`, that enumerator's only. */
  assignments(studyId: string, enumeratorId?: EnumeratorId): Promise<Assignment[]>;
  assignment(studyId: string, participantId: string): Promise<Assignment | undefined>;
  /** Writes an assignment if its stored version is still `previousVersion` (0: new); else StaleSessionError. */
  saveAssignment(a: Assignment, previousVersion: number): Promise<void>;
  /** The call records of a week, for these participants (all of the week's when absent). */
  callRecords(studyId: string, week: string, participantIds?: readonly string[]): Promise<CallRecord[]>;
  /** Writes a call record if its stored version is still `previousVersion` (0: new); else StaleSessionError. */
  saveCallRecord(r: CallRecord, previousVersion: number): Promise<void>;
}
