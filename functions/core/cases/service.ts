/**
 * One step on a stored case: read, check (transitions.ts), write on the version read. A lost
 * race re-reads and decides again, so two staff acting at once get one step each or a refusal
 * that says why, never a silently overwritten history.
 */
import type { Content } from '../content/schema.js';
import type { Study } from '../model.js';
import type { CaseAction, CaseActor } from './model.js';
import { type CaseStore, StaleCaseError } from '../ports/cases.js';
import { applyCaseAction, type TransitionContext, type TransitionResult } from './transitions.js';

export interface CaseActionRequest {
  studyId: string;
  ref: string;
  action: CaseAction;
  actor: CaseActor;
}

const ATTEMPTS = 3;

export async function actOnCase(
  store: CaseStore,
  req: CaseActionRequest,
  ctx: Omit<TransitionContext, 'mergeTarget'>,
): Promise<TransitionResult> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.getCase(req.studyId, req.ref);
    if (!current) return { ok: false, reason: `No case ${req.ref}.`, notFound: true };
    const mergeTarget = req.action.type === 'merge' ? await store.getCase(req.studyId, req.action.into) : undefined;
    const result = applyCaseAction(current, req.action, req.actor, { ...ctx, ...(mergeTarget ? { mergeTarget } : {}) });
    if (!result.ok) return result;
    try {
      await store.saveCase(result.case, result.step);
      return result;
    } catch (e) {
      if (!(e instanceof StaleCaseError) || attempt >= ATTEMPTS) throw e;
    }
  }
}

/** What a step is checked against: the study's providers and the content's categories, at `now`. */
export function caseContext(study: Pick<Study, 'providers'>, content: Pick<Content, 'complaints'>, now: Date): Omit<TransitionContext, 'mergeTarget'> {
  return { now, providers: study.providers.map((p) => p.id), categories: (content.complaints?.categories ?? []).map((c) => c.name) };
}
