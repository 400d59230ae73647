/**
 * The SMS gateway port on SSL Wireless's Push SMS API v3 (Bangladesh), through a small typed
 * `fetch` client: SSL Wireless publishes no npm SDK, and the API is three JSON POSTs.
 *
 * Every message carries its own `csms_id`, derived from our deterministic message id, so the
 * provider's own duplicate check (status 4023) makes a resend after a crash harmless. That is
 * why texts go through `/send-sms/dynamic` (one `csms_id` per message, ≤ 100 a call) and not
 * `/send-sms/bulk`, whose single `batch_csms_id` would differ as soon as a retried batch is
 * composed differently.
 *
 * SSL Wireless reports some per-number refusals (4023, 4025, 4026) for a whole call. When a
 * call of several messages gets one, the messages not shown as accepted are sent again one by
 * one (`/send-sms`): each then gets an answer of its own, and their `csms_id` keeps the ones
 * that did go out from going twice.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { RecipientOutcome, SmsBatch, SmsGateway } from '../../core/ports/sms.js';
import { providerKey } from '../../core/sms/idempotency.js';
import type { Pacer } from '../../core/sms/pacing.js';
import { type HttpAnswer, postJson, scrubbed } from '../http-json.js';

export const SSLWIRELESS_BASE_URL = 'https://smsplus.sslwireless.com';
/** Recipients in one `/send-sms/dynamic` call (the API's limit). */
export const SSLWIRELESS_MAX_BATCH = 100;

export interface SslWirelessConfig {
  apiToken: string;
  /** The stakeholder id of the account; it decides the (masked or numeric) sender. */
  sid: string;
  baseUrl?: string;
  /** Deadline of one call, connection to last byte. Default 8000 ms. */
  timeoutMs?: number;
  /** Every call, the one-by-one ones included, waits its turn here; unpaced without one. */
  pacer?: Pacer;
}

/** The answer of every v3 send endpoint. */
const answerSchema = z.object({
  status: z.optional(z.string()),
  status_code: z.union([z.number(), z.string()]),
  error_message: z.optional(z.nullable(z.string())),
  smsinfo: z.optional(
    z.nullable(
      z.array(
        z.object({
          sms_status: z.optional(z.string()),
          msisdn: z.optional(z.union([z.string(), z.number()])),
          csms_id: z.optional(z.union([z.string(), z.number()])),
          reference_id: z.optional(z.union([z.string(), z.number()])),
        }),
      ),
    ),
  ),
});
type Answer = z.infer<typeof answerSchema>;

/** One message of a call: our number, SSL's msisdn and the message's csms_id. */
interface Item {
  phone: string;
  msisdn: string;
  csmsId: string;
}

/** Codes about the numbers of a call rather than the call itself. */
const PER_NUMBER = new Set([4023, 4025, 4026]);
/** 4029 too many requests, 4031 TPS exceeded. */
const RATE_LIMIT = new Set([4029, 4031]);

export class SslWirelessSmsGateway implements SmsGateway {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: SslWirelessConfig) {
    this.base = (config.baseUrl ?? SSLWIRELESS_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = config.timeoutMs ?? 8000;
  }

  async sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    const outcomes = new Map<string, RecipientOutcome>();
    const items: Item[] = [];
    for (const phone of new Set(batch.to)) {
      const msisdn = sslMsisdn(phone);
      if (!msisdn) outcomes.set(phone, { status: 'permanent', reason: 'not a Bangladeshi mobile number (refused before sending)', optedOut: false });
      // Without a message id there is nothing stable to derive a key from: a fresh one sends once.
      else items.push({ phone, msisdn, csmsId: providerKey(batch.messageIds?.[phone] ?? randomUUID()) });
    }
    for (let i = 0; i < items.length; i += SSLWIRELESS_MAX_BATCH) {
      const chunk = items.slice(i, i + SSLWIRELESS_MAX_BATCH);
      for (const [phone, outcome] of await this.sendChunk(chunk, batch.text)) outcomes.set(phone, outcome);
    }
    return outcomes;
  }

  private async sendChunk(chunk: readonly Item[], text: string): Promise<Map<string, RecipientOutcome>> {
    const { api_token, sid } = { api_token: this.config.apiToken, sid: this.config.sid };
    const single = chunk.length === 1 ? (chunk[0] as Item) : undefined;
    const answer = single
      ? await this.call('/api/v3/send-sms', { api_token, sid, msisdn: single.msisdn, sms: text, csms_id: single.csmsId })
      : await this.call('/api/v3/send-sms/dynamic', { api_token, sid, sms: chunk.map((m) => ({ msisdn: m.msisdn, text, csms_id: m.csmsId })) });
    const all = (outcome: RecipientOutcome) => new Map(chunk.map((m) => [m.phone, outcome]));
    if (typeof answer === 'string') return all({ status: 'retry', reason: answer });

    const code = Number(answer.status_code);
    const failed = answer.status?.toUpperCase() === 'FAILED' || code !== 200;
    if (failed) {
      if (code === 4001 || code === 4003) throw new Error(`SSL Wireless refused the credentials: status_code ${code} ${scrubbed(answer.error_message)}`);
      if (RATE_LIMIT.has(code)) return all({ status: 'retry', reason: `status_code ${code} (rate limit)` });
      if (!PER_NUMBER.has(code)) return all({ status: 'retry', reason: `unknown status_code ${code} ${scrubbed(answer.error_message)}`.trim() });
      if (single) return all(numberOutcome(code, single.csmsId));
    }
    // The call went through, or a per-number refusal hit a call of several: each message shown
    // as accepted is; one shown as refused, or any message of a refused call without a list,
    // is asked alone; one the list leaves out is retried later (its csms_id keeps it single).
    const info = answer.smsinfo;
    const outcomes = new Map<string, RecipientOutcome>();
    for (const m of chunk) {
      const entry = info?.find((e) => String(e.csms_id ?? '') === m.csmsId) ?? info?.find((e) => String(e.msisdn ?? '') === m.msisdn);
      const state = (entry?.sms_status ?? '').toUpperCase();
      if (state === 'SUCCESS') outcomes.set(m.phone, { status: 'accepted', providerId: m.csmsId });
      else if (entry || failed) for (const [phone, alone] of await this.sendChunk([m], text)) outcomes.set(phone, alone);
      else outcomes.set(m.phone, { status: 'retry', reason: info ? 'missing from smsinfo' : 'no smsinfo in the answer' });
    }
    return outcomes;
  }

  /** The parsed answer, or why there is none (a reason to retry). Never numbers or the token. */
  private call(path: string, body: unknown): Promise<Answer | string> {
    // 4029/4031 and 429 refuse the whole call: asking again cannot send twice (and csms_id would catch it).
    return this.config.pacer ? this.config.pacer.call(() => this.post(path, body), rateLimited) : this.post(path, body);
  }

  private async post(path: string, body: unknown): Promise<Answer | string> {
    const answer: HttpAnswer = await postJson(`${this.base}${path}`, body, { timeoutMs: this.timeoutMs, headers: { accept: 'application/json' } });
    if (answer.kind === 'no-answer') return answer.reason;
    if (answer.status === 401 || answer.status === 403) throw new Error(`SSL Wireless refused the credentials: HTTP ${answer.status}`);
    if (answer.status >= 500 || answer.status === 429 || answer.status === 408) return `HTTP ${answer.status}`;
    if (answer.json === undefined) return `answer is not JSON (HTTP ${answer.status})`;
    const parsed = answerSchema.safeParse(answer.json);
    return parsed.success ? parsed.data : `answer without status_code (HTTP ${answer.status})`;
  }
}

function rateLimited(answer: Answer | string): boolean {
  return typeof answer === 'string' ? answer === 'HTTP 429' : RATE_LIMIT.has(Number(answer.status_code));
}

/** SSL Wireless's refusal codes about one number. */
function numberOutcome(code: number, csmsId: string): RecipientOutcome {
  // 4023: this csms_id was accepted before (the resend after a crash): it went, once.
  if (code === 4023) return { status: 'accepted', providerId: csmsId };
  if (code === 4026) return { status: 'permanent', reason: 'status_code 4026 (blocked number)', optedOut: true };
  return { status: 'permanent', reason: 'status_code 4025 (invalid number)', optedOut: false };
}

/** `+8801XXXXXXXXX` as SSL Wireless wants it (`8801XXXXXXXXX`), or undefined for any other number. */
export function sslMsisdn(e164: string): string | undefined {
  return /^\+8801[3-9]\d{8}$/.test(e164) ? e164.slice(1) : undefined;
}
