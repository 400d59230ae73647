/**
 * The SMS gateway port on Infobip's SMS API v3 (`POST {base}/sms/3/messages`), through a small
 * typed `fetch` client rather than `@infobip-api/sdk`: the SDK (0.3.x, pre-1.0) brings axios
 * and wraps the same one call, with loose typings of its answers; this file is the whole of
 * what Sauti needs, with the timeout and the error scrubbing the AT adapter needed patching in.
 *
 * One text to up to 100 destinations a request, each with its own `messageId` derived from our
 * deterministic message id: delivery reports come back under it, and a resend after a crash
 * carries the same id.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { RecipientOutcome, SmsBatch, SmsGateway } from '../../core/ports/sms.js';
import { providerKey } from '../../core/sms/idempotency.js';
import { postJson, scrubbed } from '../http-json.js';
import { sendOutcome } from './status.js';

export const INFOBIP_MAX_BATCH = 100;

export interface InfobipConfig {
  apiKey: string;
  /** The account's own API host, e.g. https://xxxxx.api.infobip.com. */
  baseUrl: string;
  timeoutMs?: number;
}

const status = z.object({ groupId: z.number(), groupName: z.optional(z.string()), id: z.optional(z.number()), name: z.optional(z.string()), description: z.optional(z.string()) });
const answerSchema = z.object({
  bulkId: z.optional(z.string()),
  messages: z.array(z.object({ messageId: z.optional(z.string()), destination: z.optional(z.string()), to: z.optional(z.string()), status })),
});

export class InfobipSmsGateway implements SmsGateway {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: InfobipConfig) {
    this.base = config.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = config.timeoutMs ?? 8000;
  }

  async sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    const outcomes = new Map<string, RecipientOutcome>();
    const items: { phone: string; to: string; messageId: string }[] = [];
    for (const phone of new Set(batch.to)) {
      if (!/^\+[1-9]\d{7,14}$/.test(phone)) outcomes.set(phone, { status: 'permanent', reason: 'not an E.164 number (refused before sending)', optedOut: false });
      else items.push({ phone, to: phone.slice(1), messageId: providerKey(batch.messageIds?.[phone] ?? randomUUID()) });
    }
    for (let i = 0; i < items.length; i += INFOBIP_MAX_BATCH) {
      const chunk = items.slice(i, i + INFOBIP_MAX_BATCH);
      const all = (o: RecipientOutcome) => chunk.forEach((m) => outcomes.set(m.phone, o));
      const answer = await postJson(
        `${this.base}/sms/3/messages`,
        { messages: [{ ...(batch.from ? { sender: batch.from } : {}), destinations: chunk.map((m) => ({ to: m.to, messageId: m.messageId })), content: { text: batch.text } }] },
        { timeoutMs: this.timeoutMs, headers: { authorization: `App ${this.config.apiKey}`, accept: 'application/json' } },
      );
      if (answer.kind === 'no-answer') {
        all({ status: 'retry', reason: answer.reason });
        continue;
      }
      if (answer.status === 401 || answer.status === 403) throw new Error(`Infobip refused the credentials: HTTP ${answer.status}`);
      if (answer.status >= 500 || answer.status === 429 || answer.status === 408) {
        all({ status: 'retry', reason: `HTTP ${answer.status}` });
        continue;
      }
      // 400: the request itself is wrong (an unknown sender, a bad field): the same request fails again.
      if (answer.status >= 400) throw new Error(`Infobip refused the request: HTTP ${answer.status} ${scrubbed(answer.text)}`);
      const parsed = answerSchema.safeParse(answer.json);
      if (!parsed.success) {
        all({ status: 'retry', reason: answer.json === undefined ? `answer is not JSON (HTTP ${answer.status})` : `answer without messages (HTTP ${answer.status})` });
        continue;
      }
      for (const m of chunk) {
        const entry = parsed.data.messages.find((e) => e.messageId === m.messageId) ?? parsed.data.messages.find((e) => (e.destination ?? e.to) === m.to);
        outcomes.set(m.phone, entry ? sendOutcome(entry.status, m.messageId) : { status: 'retry', reason: 'missing from the answer' });
      }
    }
    return outcomes;
  }
}
