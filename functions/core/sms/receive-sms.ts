import type { ForgetStore, PseudonymSource } from '../ports/forget.js';
import type { MessageStore } from '../ports/messages.js';
import type { SendQueue } from '../ports/queue.js';
import { handleInboundSms, type InboundDeps, type InboundSms, replyMessage } from './inbound-service.js';

export interface ReceiveSmsDeps extends InboundDeps {
  messages: Pick<MessageStore, 'create'>;
  queue: SendQueue;
  forget: Pick<ForgetStore, 'forget'>;
  pseudonyms: PseudonymSource;
}

/**
 * Acting on an incoming SMS, in this order: apply it (handleInboundSms), record its reply (its
 * status then follows the send and the delivery reports), queue the reply, and only then, for a
 * confirmed "forget me", forget the participant, so that the recorded reply is redacted too.
 * `to` is the short code it was sent to: the reply goes from there.
 */
export async function receiveSms(sms: InboundSms, to: string | undefined, deps: ReceiveSmsDeps): Promise<void> {
  const reply = await handleInboundSms(sms, deps);
  if (!reply) return;
  const m = replyMessage(reply, sms.id, deps.study, deps.content, to);
  await deps.messages.create({ ...m, purpose: 'reply', period: sms.id, createdAt: deps.clock.now().toISOString() });
  await deps.queue.enqueue([m]);
  if (reply.forget) {
    const p = reply.forget;
    const pseudonym = await deps.pseudonyms.exportIdOf(deps.study.studyId, p.phone);
    await deps.forget.forget(p, { at: deps.clock.now().toISOString(), by: 'participant', ...(pseudonym ? { pseudonym } : {}) }, { by: 'participant by SMS' });
    deps.log.warn('participant forgotten', { audit: 'forget', studyId: deps.study.studyId, participantId: p.participantId, by: 'participant by SMS' });
  }
}
