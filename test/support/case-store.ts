import type { CaseStep, ComplaintCase } from '../../functions/core/cases/model.js';
import { type CaseStore, StaleCaseError } from '../../functions/core/ports/cases.js';

/** An in-memory CaseStore with the same conditional writes, for tests and the pure simulations. */
export function memoryCaseStore(): CaseStore & { all(): ComplaintCase[] } {
  const cases = new Map<string, ComplaintCase>();
  const key = (studyId: string, ref: string) => `${studyId}#${ref}`;
  return {
    all: () => [...cases.values()],
    async createCase(c) {
      if (cases.has(key(c.studyId, c.ref))) return 'exists';
      cases.set(key(c.studyId, c.ref), structuredClone(c));
      return 'created';
    },
    async getCase(studyId, ref) {
      const c = cases.get(key(studyId, ref));
      return c ? structuredClone(c) : undefined;
    },
    async saveCase(next: ComplaintCase, step: CaseStep) {
      const stored = cases.get(key(next.studyId, next.ref));
      if (!stored || stored.version !== next.version - 1) throw new StaleCaseError(next.ref);
      cases.set(key(next.studyId, next.ref), structuredClone({ ...next, history: [...stored.history, step] }));
    },
    async listCases(studyId, filter) {
      return [...cases.values()]
        .filter((c) => c.studyId === studyId && (!filter?.state || c.state === filter.state) && (!filter?.provider || c.provider === filter.provider))
        .map((c) => structuredClone(c));
    },
    async listParticipantCases(studyId, participantId) {
      return [...cases.values()].filter((c) => c.studyId === studyId && c.participantId === participantId).map((c) => structuredClone(c));
    },
  };
}
