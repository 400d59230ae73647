import type { Clock } from '../ports/clock.js';
import type { ForgetJob, ForgetResult, ForgetStore, PseudonymSource } from '../ports/forget.js';
import type { Logger } from '../ports/logger.js';
import type { SendQueue } from '../ports/queue.js';

export interface RunForgetDeps {
  forget: ForgetStore;
  pseudonyms: PseudonymSource;
  /** Where the confirmation SMS goes once the forget has finished. */
  queue: SendQueue;
  clock: Clock;
  log: Logger;
}

/**
 * Runs one queued "forget me": forgets the participant if they are still reachable by their
 * number, then, and only then, queues the confirmation SMS. A redelivered job (a worker that
 * died after forgetting, before queueing) finds the participant forgotten and queues the
 * confirmation again: the sender claims each message id once, so it is sent once.
 */
export async function runForget(job: ForgetJob, deps: RunForgetDeps): Promise<ForgetResult | undefined> {
  const found = await deps.forget.findById(job.studyId, job.participantId);
  let result: ForgetResult | undefined;
  if (found.active) {
    const p = found.active;
    const pseudonym = await deps.pseudonyms.exportIdOf(job.studyId, p.phone);
    result = await deps.forget.forget(p, { at: deps.clock.now().toISOString(), by: job.by, ...(pseudonym ? { pseudonym } : {}) }, { by: job.actor, ...(job.reason ? { reason: job.reason } : {}) });
    deps.log.warn('participant forgotten', { audit: 'forget', studyId: job.studyId, participantId: job.participantId, by: job.actor });
  } else if (!found.forgotten) {
    // Nobody by that id: nothing to forget, and nobody to confirm to.
    deps.log.warn('forget job for an unknown participant', { studyId: job.studyId, participantId: job.participantId });
    return undefined;
  }
  if (job.confirmation) await deps.queue.enqueue([job.confirmation]);
  return result;
}
