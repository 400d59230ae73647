/**
 * The SMS gateway port on Infobip's SMS API v3 (`POST {base}/sms/3/messages`), through a small
 * typed `fetch` client rather than `@infobip-api/sdk`: the SDK (0.3.x, pre-1.0) brings axios
 * and wraps the same one call, with loose typings of its answers; this file is the whole of
 * what Sauti needs, with the timeout and the error scrubbing the AT adapter needed patching in.
 *
 * One text to up to 100 destinations a request, each with its own `messageId` derived from our
 * deterministic message id: delivery reports come back under it, and a resend after a crash
 * carries the same id.
 *
 * Infobip documents no duplicate check on that id (unlike SSL Wireless's csms_id): a second
 * request with it is a second SMS. So a message that an earlier attempt may have handed over
 * (`SmsBatch.mayHaveGone`: a redelivery) is first looked up in the message logs
 * (`GET /sms/3/logs?messageId=…`, kept 48 hours, ≤ 1000 a call): found, it went, and is
 * recorded as accepted; not found, it is sent. A look-up that fails sends nothing (retried
 * later). Left open: a log entry that appears later than the redelivery (minutes in AWS,
 * the visibility timeout), and a redelivery beyond the logs' 48 hours (the queue gives up
 * within about an hour).
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { RecipientOutcome, SmsBatch, SmsGateway } from '../../core/ports/sms.js';
import { providerKey } from '../../core/sms/idempotency.js';
import type { Pacer } from '../../core/sms/pacing.js';
import { getJson, type HttpAnswer, type HttpOptions, postJson, scrubbed } from '../http-json.js';
import { sendOutcome } from './status.js';

export const INFOBIP_MAX_BATCH = 100;

export interface InfobipConfig {
  apiKey: string;
  /** The account's own API host, e.g. https://xxxxx.api.infobip.com. */
  baseUrl: string;
  timeoutMs?: number;
  /** Every request (sends and log look-ups) waits its turn here; unpaced without one. */
  pacer?: Pacer;
}

const status = z.object({ groupId: z.number(), groupName: z.optional(z.string()), id: z.optional(z.number()), name: z.optional(z.string()), description: z.optional(z.string()) });
const answerSchema = z.object({
  bulkId: z.optional(z.string()),
  messages: z.array(z.object({ messageId: z.optional(z.string()), destination: z.optional(z.string()), to: z.optional(z.string()), status })),
});
const logsSchema = z.object({ results: z.array(z.object({ messageId: z.string(), status })) });

interface Item {
  phone: string;
  to: string;
  messageId: string;
}

export class InfobipSmsGateway implements SmsGateway {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: InfobipConfig) {
    this.base = config.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = config.timeoutMs ?? 8000;
  }

  async sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    const outcomes = new Map<string, RecipientOutcome>();
    const items: Item[] = [];
    for (const phone of new Set(batch.to)) {
      if (!/^\+[1-9]\d{7,14}$/.test(phone)) outcomes.set(phone, { status: 'permanent', reason: 'not an E.164 number (refused before sending)', optedOut: false });
      else items.push({ phone, to: phone.slice(1), messageId: providerKey(batch.messageIds?.[phone] ?? randomUUID()) });
    }
    const maybe = new Set(batch.mayHaveGone ?? []);
    for (let i = 0; i < items.length; i += INFOBIP_MAX_BATCH) {
      const chunk = items.slice(i, i + INFOBIP_MAX_BATCH);
      const known = await this.alreadySent(chunk.filter((m) => maybe.has(m.phone)));
      if (typeof known === 'string') {
        chunk.forEach((m) => outcomes.set(m.phone, { status: 'retry', reason: `log look-up: ${known}` }));
        continue;
      }
      for (const [phone, outcome] of known) outcomes.set(phone, outcome);
      const rest = chunk.filter((m) => !known.has(m.phone));
      if (rest.length > 0) for (const [phone, outcome] of await this.send(rest, batch)) outcomes.set(phone, outcome);
    }
    return outcomes;
  }

  private async send(chunk: readonly Item[], batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    const all = (o: RecipientOutcome) => new Map(chunk.map((m) => [m.phone, o]));
    const body = { messages: [{ ...(batch.from ? { sender: batch.from } : {}), destinations: chunk.map((m) => ({ to: m.to, messageId: m.messageId })), content: { text: batch.text } }] };
    const answer = await this.paced(() => postJson(`${this.base}/sms/3/messages`, body, this.http()));
    const usable = this.usable(answer);
    if (typeof usable === 'string') return all({ status: 'retry', reason: usable });
    const parsed = answerSchema.safeParse(usable.json);
    if (!parsed.success) return all({ status: 'retry', reason: `answer without messages (HTTP ${usable.status})` });
    const outcomes = new Map<string, RecipientOutcome>();
    for (const m of chunk) {
      const entry = parsed.data.messages.find((e) => e.messageId === m.messageId) ?? parsed.data.messages.find((e) => (e.destination ?? e.to) === m.to);
      outcomes.set(m.phone, entry ? sendOutcome(entry.status, m.messageId) : { status: 'retry', reason: 'missing from the answer' });
    }
    return outcomes;
  }

  /** What the logs know of these messages (by number), or why the look-up failed. */
  private async alreadySent(items: readonly Item[]): Promise<Map<string, RecipientOutcome> | string> {
    const known = new Map<string, RecipientOutcome>();
    if (items.length === 0) return known;
    const query = new URLSearchParams(items.map((m): [string, string] => ['messageId', m.messageId]));
    query.set('limit', String(items.length));
    const answer = await this.paced(() => getJson(`${this.base}/sms/3/logs?${query.toString()}`, this.http()));
    const usable = this.usable(answer);
    if (typeof usable === 'string') return usable;
    const parsed = logsSchema.safeParse(usable.json);
    if (!parsed.success) return 'answer without results';
    for (const m of items) {
      const entry = parsed.data.results.find((r) => r.messageId === m.messageId);
      // Found under any status: it went (a rejection found is that rejection, not a new send).
      if (entry) known.set(m.phone, sendOutcome(entry.status, m.messageId));
    }
    return known;
  }

  /** The answer when it can be read, else why it is worth a retry. Throws when no retry helps. */
  private usable(answer: HttpAnswer): Extract<HttpAnswer, { kind: 'answer' }> | string {
    if (answer.kind === 'no-answer') return answer.reason;
    if (answer.status === 401 || answer.status === 403) throw new Error(`Infobip refused the credentials: HTTP ${answer.status}`);
    if (answer.status >= 500 || answer.status === 429 || answer.status === 408) return `HTTP ${answer.status}`;
    // 400: the request itself is wrong (an unknown sender, a bad field): the same request fails again.
    if (answer.status >= 400) throw new Error(`Infobip refused the request: HTTP ${answer.status} ${scrubbed(answer.text)}`);
    if (answer.json === undefined) return `answer is not JSON (HTTP ${answer.status})`;
    return answer;
  }

  /** 429 refuses the whole request: nothing went, asking again cannot send twice. */
  private paced(request: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
    return this.config.pacer ? this.config.pacer.call(request, (a) => a.kind === 'answer' && a.status === 429) : request();
  }

  private http(): HttpOptions {
    return { timeoutMs: this.timeoutMs, headers: { authorization: `App ${this.config.apiKey}`, accept: 'application/json' } };
  }
}
