/**
 * A staff (or provider) step on a case, and the SMS it owes the participant: the step is
 * written first (service.ts), then the notice is recorded and queued under an id naming the
 * case and the step's place in the history, so a retried request queues it once. The sender
 * checks consent again when it sends (nothing after STOP).
 */
import type { Content } from '../content/schema.js';
import type { Study } from '../model.js';
import type { CaseStore } from '../ports/cases.js';
import type { ConsoleReader } from '../ports/console.js';
import type { MessageStore } from '../ports/messages.js';
import type { ParticipantStore } from '../ports/participants.js';
import type { SendQueue } from '../ports/queue.js';
import { caseMessage, caseNotice } from './notify.js';
import { actOnCase, type CaseActionRequest, caseContext } from './service.js';
import type { TransitionResult } from './transitions.js';

export interface CaseStepDeps {
  cases: CaseStore;
  /** The participant's number, looked up by id only when a notice is due. */
  phones: Pick<ConsoleReader, 'phoneOf'>;
  participants: Pick<ParticipantStore, 'getByPhone'>;
  messages: Pick<MessageStore, 'create'>;
  queue: SendQueue;
  content: Content;
  now: () => Date;
}

export async function stepCase(deps: CaseStepDeps, study: Study, req: Omit<CaseActionRequest, 'studyId'>): Promise<TransitionResult & { notified?: boolean }> {
  const now = deps.now();
  const result = await actOnCase(deps.cases, { ...req, studyId: study.studyId }, caseContext(study, deps.content, now));
  if (!result.ok) return result;
  const phone = await deps.phones.phoneOf(study.studyId, result.case.participantId);
  const participant = phone ? await deps.participants.getByPhone(study.studyId, phone) : undefined;
  const notice = caseNotice(result.step, result.case, { study, participant });
  if (!notice || !participant) return result;
  const m = caseMessage(notice, result.case, result.case.history.length - 1, participant, study, deps.content);
  if (await deps.messages.create({ ...m, purpose: 'case', period: result.case.ref, createdAt: now.toISOString() })) await deps.queue.enqueue([m]);
  return { ...result, notified: true };
}
