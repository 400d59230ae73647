import type { OutboundMessage } from '../sms/send.js';

/**
 * The queue between whoever decides a message goes out (dispatcher, incoming-SMS replies) and
 * the sender: SQS in AWS, an in-process queue with the same event shape locally.
 */
export interface SendQueue {
  enqueue(messages: readonly OutboundMessage[]): Promise<void>;
}
