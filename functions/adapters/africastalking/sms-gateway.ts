/**
 * The SMS gateway port on Africa's Talking, through the official SDK (`africastalking` 0.8.3).
 *
 * The SDK has three gaps this adapter closes:
 * - No HTTP timeout: it calls the default axios instance without one. A request interceptor on
 *   that very instance gives each of our calls a deadline (see `deadline` below).
 * - No base-URL option: tests and the local stack point it at a fake server by setting
 *   `SMS_URL` on its `lib/common.js`, the only URL `SMS.send` reads (see `send`).
 * - Errors of every kind: Joi errors, AxiosErrors, raw bodies. They are mapped onto the port's
 *   outcomes here, and never passed on as they are: an AxiosError carries the request body
 *   (every phone number) and headers (the API key), and ends up in logs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import AfricasTalking from 'africastalking';
import common from 'africastalking/lib/common.js';
// The CommonJS build on purpose: it is the module the SDK's `require('axios')` loads (one copy,
// deduped in node_modules and resolved the same way by esbuild; package.json pins axios to the
// version the SDK resolves, so an upgrade cannot split them silently — a test checks it). `import axios from 'axios'`
// would load the ESM build, a second default instance whose interceptors the SDK never runs.
import axios from 'axios/dist/node/axios.cjs';
import type { RecipientOutcome, SmsBatch, SmsGateway } from '../../core/ports/sms.js';
import type { Pacer } from '../../core/sms/pacing.js';
import { scrubbed as scrub } from '../http-json.js';

export interface AfricasTalkingConfig {
  username: string;
  apiKey: string;
  /** Deadline for one bulk request, connection to last byte. Default 8000 ms. */
  timeoutMs?: number;
  /** Where AT is, for tests and the local stack (e.g. the fake server's URL); AT's own when absent. */
  baseUrl?: string;
  /** Each bulk request waits its turn here, and an HTTP 429 backs off and asks again; unpaced without one. */
  pacer?: Pacer;
}

const DEFAULT_TIMEOUT_MS = 8000;

/**
 * The deadline of the current `sendBulk`, seen by the axios interceptor through async context:
 * each call gets its own gateway's timeout even when several run at once, and axios requests
 * made by anything else in the process are left alone. Installed once per axios instance (kept
 * on the instance, so a second evaluation of this module, as test runners do, reuses it).
 */
export const deadline = installDeadline();

function installDeadline(): AsyncLocalStorage<{ timeoutMs: number }> {
  const key = Symbol.for('sauti.africastalking.deadline');
  const holder = axios as typeof axios & { [key]?: AsyncLocalStorage<{ timeoutMs: number }> };
  const installed = holder[key];
  if (installed) return installed;
  const store = new AsyncLocalStorage<{ timeoutMs: number }>();
  holder[key] = store;
  axios.interceptors.request.use((config) => {
    const current = store.getStore();
    if (current) {
      // `timeout` is a socket-inactivity timer (clear ECONNABORTED error); the signal bounds
      // the whole exchange, so a server that trickles bytes cannot hold a Lambda either.
      config.timeout ||= current.timeoutMs;
      config.signal ??= AbortSignal.timeout(current.timeoutMs);
    }
    return config;
  });
  return store;
}

export class AfricasTalkingSmsGateway implements SmsGateway {
  private readonly sms: AfricasTalking.Sms;
  private readonly timeoutMs: number;
  private readonly smsUrl: string | undefined;
  private readonly pacer: Pacer | undefined;

  constructor(config: AfricasTalkingConfig) {
    this.pacer = config.pacer;
    // Only these two keys: the SDK's Joi schema throws on any other.
    this.sms = AfricasTalking({ username: config.username, apiKey: config.apiKey }).SMS;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.smsUrl = config.baseUrl === undefined ? undefined : `${config.baseUrl.replace(/\/+$/, '')}/version1/messaging`;
  }

  async sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    const outcomes = new Map<string, RecipientOutcome>();
    // The SDK rejects the whole batch for one number its validator refuses: settle those here.
    const numbers: string[] = [];
    for (const phone of new Set(batch.to)) {
      if (isValidNumber(phone)) numbers.push(phone);
      else outcomes.set(phone, { status: 'permanent', reason: 'InvalidPhoneNumber (refused before sending)', optedOut: false });
    }
    if (numbers.length === 0) return outcomes;

    let result: AfricasTalking.SendResult;
    try {
      result = await this.send({ to: numbers, message: batch.text, ...(batch.from ? { from: batch.from } : {}) });
    } catch (error) {
      if (!hasRecipients(error)) {
        const reason = this.retryReason(error); // throws when no retry can help
        for (const phone of numbers) outcomes.set(phone, { status: 'retry', reason });
        return outcomes;
      }
      // A 2xx other than 201: the SDK rejects with the body, which may still list recipients.
      result = error;
    }

    // Match on digits: the '+' is the only formatting AT could plausibly change.
    const byDigits = new Map(numbers.map((phone) => [digits(phone), phone]));
    // `?.`: a 201 without the expected body leaves everyone to the 'missing' retry below.
    for (const recipient of result.SMSMessageData?.Recipients ?? []) {
      const phone = byDigits.get(digits(String(recipient.number)));
      if (phone !== undefined) outcomes.set(phone, recipientOutcome(recipient));
    }
    for (const phone of numbers) {
      if (!outcomes.has(phone)) outcomes.set(phone, { status: 'retry', reason: 'missing from response' });
    }
    return outcomes;
  }

  private send(options: AfricasTalking.SendOptions): Promise<AfricasTalking.SendResult> {
    if (!this.pacer) return this.sendOnce(options);
    // The SDK rejects on a 429: settle it so the pacer sees the answer. A 429 refused the whole request, so asking again sends nothing twice.
    const settled = () => this.sendOnce(options).then((ok) => ({ ok }), (error: unknown) => ({ error }));
    return this.pacer
      .call(settled, (a) => 'error' in a && axios.isAxiosError(a.error) && a.error.response?.status === 429)
      .then((a) => ('error' in a ? Promise.reject(a.error) : a.ok));
  }

  private sendOnce(options: AfricasTalking.SendOptions): Promise<AfricasTalking.SendResult> {
    // Set on every call, just before the SDK reads it (synchronously, in `send`): idempotent, and a
    // `sandbox` client created later in the process (which rewrites every URL) cannot redirect us.
    if (this.smsUrl !== undefined) common.SMS_URL = this.smsUrl;
    return deadline.run({ timeoutMs: this.timeoutMs }, () => this.sms.send(options));
  }

  /** The reason to retry every recipient after a failed request, or a throw when retrying is futile. */
  private retryReason(error: unknown): string {
    if (axios.isAxiosError(error)) {
      const status = error.response?.status;
      if (status === undefined) {
        // No answer. ECONNABORTED/ETIMEDOUT: axios timeout; ERR_CANCELED: our deadline's signal.
        const code = error.code ?? 'network error';
        return ['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED'].includes(code) ? `timeout after ${this.timeoutMs} ms` : code;
      }
      if (status >= 500 || status === 408 || status === 429) return `HTTP ${status}`;
      // 401 bad credentials, 400 bad request (unknown sender id, …): the same request fails again.
      throw new Error(`Africa's Talking refused the request: HTTP ${status} ${scrub(error.response?.data)}`);
    }
    if (error instanceof Error) {
      // The SDK's own validation (Joi): a bug on our side, not a transient failure.
      throw new Error(`Africa's Talking SDK refused the batch: ${scrub(error.message)}`);
    }
    return 'unexpected response from Africa\'s Talking';
  }
}

/** AT's per-recipient statusCode onto the port's outcome. */
function recipientOutcome(recipient: AfricasTalking.SmsRecipient): RecipientOutcome {
  const code = Number(recipient.statusCode);
  const reason = recipient.status || `statusCode ${code}`;
  const blacklisted = /^UserInBlackList$/i.test(recipient.status);
  if (code >= 100 && code <= 102) {
    return { status: 'accepted', providerId: recipient.messageId, ...(recipient.cost ? { cost: recipient.cost } : {}) };
  }
  if ((code >= 401 && code <= 409) || blacklisted) return { status: 'permanent', reason, optedOut: code === 406 || blacklisted };
  if (code >= 500 && code <= 502) return { status: 'retry', reason };
  // A code AT has not documented: retrying is bounded by the sender; dropping would lose a message.
  return { status: 'retry', reason: `unknown statusCode ${code} (${reason})` };
}

/** The SDK's own validator, which throws (rather than answering false) on a number without '+'. */
function isValidNumber(phone: string): boolean {
  try {
    return common.phoneUtil.isValidNumber(phone);
  } catch {
    return false;
  }
}

function hasRecipients(value: unknown): value is AfricasTalking.SendResult {
  const data = (value as Partial<AfricasTalking.SendResult> | null)?.SMSMessageData;
  return !(value instanceof Error) && Array.isArray(data?.Recipients);
}

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}
