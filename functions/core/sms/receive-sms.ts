import type { ForgetQueue } from '../ports/forget.js';
import type { MessageStore } from '../ports/messages.js';
import type { SendQueue } from '../ports/queue.js';
import { handleInboundSms, type InboundDeps, type InboundSms, replyMessage } from './inbound-service.js';

export interface ReceiveSmsDeps extends InboundDeps {
  messages: Pick<MessageStore, 'create'>;
  queue: SendQueue;
  forgets: ForgetQueue;
}

/**
 * Acting on an incoming SMS, in this order: apply it (handleInboundSms), record its reply (its
 * status then follows the send and the delivery reports), queue the reply. A confirmed "forget
 * me" queues the forget instead, carrying its reply: the worker (core/privacy/run-forget.ts)
 * forgets first, so the recorded reply is redacted too, and queues "you are forgotten" only
 * once that has finished. `to` is the short code it was sent to: the reply goes from there.
 */
export async function receiveSms(sms: InboundSms, to: string | undefined, deps: ReceiveSmsDeps): Promise<void> {
  const reply = await handleInboundSms(sms, deps);
  if (!reply) return;
  const m = replyMessage(reply, sms.id, deps.study, deps.content, to);
  await deps.messages.create({ ...m, purpose: 'reply', period: sms.id, createdAt: deps.clock.now().toISOString() });
  if (reply.forget) {
    await deps.forgets.enqueue({ studyId: deps.study.studyId, participantId: reply.forget.participantId, by: 'participant', actor: 'participant by SMS', confirmation: m });
    deps.log.info('forget queued', { id: sms.id, participantId: reply.forget.participantId });
    return;
  }
  await deps.queue.enqueue([m]);
}
