import type { Study } from '../model.js';
import type { OnceStore } from '../ports/callbacks.js';
import type { RetentionStore } from '../ports/retention.js';
import { expired, retentionCutoff, studyOfCallback } from './retention.js';

export interface RetentionResult {
  /** False when no study sets a retention, or today's run has been done already. */
  ran: boolean;
  callbacks: number;
  complaints: number;
}

export interface RetentionDeps {
  store: RetentionStore;
  once: OnceStore;
}

/**
 * Applies every study's retention (retention.ts) once a day. Cheap on most dispatcher ticks:
 * nothing at all when no study sets a retention, one once-marker otherwise (whichever
 * dispatcher gets there first). A run that dies half-way is caught up by the next day's, since
 * what goes is decided by age, not by what the last run did. `force` skips the daily claim
 * (tests, "run now").
 */
export async function applyRetention(deps: RetentionDeps, studies: readonly Study[], now: Date, opts: { force?: boolean } = {}): Promise<RetentionResult> {
  const result: RetentionResult = { ran: false, callbacks: 0, complaints: 0 };
  const keeping = studies.filter((s) => s.retention !== undefined);
  if (keeping.length === 0) return result;
  if (!opts.force && !(await deps.once.claimOnce(`retention#${now.toISOString().slice(0, 10)}`, now))) return result;
  result.ran = true;
  const at = now.toISOString();
  const byId = new Map(keeping.map((s) => [s.studyId, s]));
  for await (const page of deps.store.holdingText()) {
    for (const item of page) {
      if (item.type === 'callback') {
        const study = studyOfCallback(item.kind, item.fields, keeping);
        if (!study || !expired(item.receivedAt, retentionCutoff(study, now))) continue;
        await deps.store.blankCallback(item.key, at);
        result.callbacks += 1;
      } else {
        const study = byId.get(item.studyId);
        if (!study || !expired(item.at, retentionCutoff(study, now))) continue;
        await deps.store.blankComplaint(item.key, at);
        result.complaints += 1;
      }
    }
  }
  return result;
}
