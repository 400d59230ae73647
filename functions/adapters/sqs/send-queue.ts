import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SendQueue } from '../../core/ports/index.js';
import type { OutboundMessage } from '../../core/sms/send.js';

/**
 * The send queue on SQS: ten messages per SendMessageBatch (SQS's limit), and entries SQS
 * reports as failed are sent again, so a message the dispatcher recorded is not left behind
 * silently (if it still fails, the dispatcher's re-enqueue of stale `queued` records heals it).
 */
export class SqsSendQueue implements SendQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly sqs: SQSClient = new SQSClient({}),
  ) {}

  async enqueue(messages: readonly OutboundMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages.slice(i, i + 10).map((m, n) => ({ Id: String(n), MessageBody: JSON.stringify(m) }));
      for (let attempt = 0; entries.length > 0; attempt += 1) {
        if (attempt > 3) throw new Error(`SQS refused ${entries.length} message(s) after retries`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).filter((f) => !f.SenderFault).map((f) => f.Id));
        const fatal = (out.Failed ?? []).find((f) => f.SenderFault);
        if (fatal) throw new Error(`SQS rejected a message: ${fatal.Code ?? ''} ${fatal.Message ?? ''}`.trim());
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
}
