/**
 * What the case core needs from storage: DynamoDB (adapters/dynamo/case-store.ts: one item per
 * case keyed by study and reference, written with its complaint, indexed per study and state, per
 * provider for its desk and per participant) and in memory for tests (test/support/case-store.ts).
 */
import type { CaseState, CaseStep, ComplaintCase } from '../cases/model.js';

/** Raised by `saveCase` when the stored case is no longer the version the caller read. */
export class StaleCaseError extends Error {
  constructor(readonly ref: string) {
    super(`case ${ref} was updated concurrently`);
    this.name = 'StaleCaseError';
  }
}

export interface CaseStore {
  /** Stores a new case once (conditional on its absence): a resent complaint changes nothing. */
  createCase(c: ComplaintCase): Promise<'created' | 'exists'>;
  getCase(studyId: string, ref: string): Promise<ComplaintCase | undefined>;
  /**
   * Writes `next` only if the stored case has version `next.version - 1` (forward-only: a step
   * is never undone or lost to a concurrent one), appending `step` to its history; otherwise
   * throws StaleCaseError.
   */
  saveCase(next: ComplaintCase, step: CaseStep): Promise<void>;
  /** A study's cases, optionally in one state or for one provider (the triage queue, a desk). */
  listCases(studyId: string, filter?: { state?: CaseState; provider?: string }): Promise<ComplaintCase[]>;
  /** One participant's cases, for "My problems" and `P <ref>`. */
  listParticipantCases(studyId: string, participantId: string): Promise<ComplaintCase[]>;
}
