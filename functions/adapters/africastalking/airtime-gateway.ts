/**
 * The airtime gateway port on Africa's Talking, through the official SDK (`africastalking`
 * 0.8.3, `AIRTIME.send`). One AT call per payout: AT takes one `Idempotency-Key` per call, and
 * the key is what makes a resend after a crash or an ambiguous failure pay nothing twice.
 *
 * The SDK's airtime client differs from its SMS client: it creates its own axios instance per
 * call (`axios.create({ baseURL })`, the base URL fixed by the username), so neither
 * `common.SMS_URL`-style redirection nor an interceptor on the default instance reaches it. For
 * the local fake (`baseUrl`, from `AT_BASE_URL`) and for a deadline (the SDK sets none), this
 * adapter wraps `axios.create` on the SDK's axios: inside one of our calls only (async context),
 * the instance gets our base URL and a timeout; every other caller is left alone.
 *
 * Every outcome is mapped onto the port; nothing is thrown and no SDK error is passed on as it is
 * (an AxiosError carries the request, with the numbers, and the headers, with the API key).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import AfricasTalking from 'africastalking';
import common from 'africastalking/lib/common.js';
// The CommonJS build: the very module the SDK's `require('axios')` loads (see sms-gateway.ts).
import axios from 'axios/dist/node/axios.cjs';
import type { AirtimeGateway, AirtimeOutcome, AirtimeRequest } from '../../core/ports/payouts.js';
import { scrubbed } from '../http-json.js';

export interface AtAirtimeConfig {
  username: string;
  apiKey: string;
  /** Deadline of one AT call, connection to last byte. Default 10000 ms. */
  timeoutMs?: number;
  /** Where AT is, for tests and the local stack (`AT_BASE_URL`); AT's own when absent. */
  baseUrl?: string;
  /** AT calls in flight at once. Default 4. */
  concurrency?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

type CallContext = { baseUrl: string | undefined; timeoutMs: number };
const call = installCreateHook();

function installCreateHook(): AsyncLocalStorage<CallContext> {
  const key = Symbol.for('sauti.africastalking.airtime-call');
  const holder = axios as typeof axios & { [key]?: AsyncLocalStorage<CallContext> };
  const installed = holder[key];
  if (installed) return installed;
  const store = new AsyncLocalStorage<CallContext>();
  holder[key] = store;
  const create = axios.create.bind(axios);
  axios.create = (config) => {
    const current = store.getStore();
    if (!current) return create(config);
    // The instance serves exactly one request, made at once: a signal made now bounds it.
    return create({
      ...config,
      ...(current.baseUrl !== undefined ? { baseURL: current.baseUrl } : {}),
      timeout: current.timeoutMs,
      signal: AbortSignal.timeout(current.timeoutMs),
    });
  };
  return store;
}

export class AfricasTalkingAirtimeGateway implements AirtimeGateway {
  private readonly airtime: AfricasTalking.Airtime;
  private readonly context: CallContext;
  private readonly concurrency: number;

  constructor(config: AtAirtimeConfig) {
    // Only these two keys: the SDK's Joi schema throws on any other.
    this.airtime = AfricasTalking({ username: config.username, apiKey: config.apiKey }).AIRTIME;
    this.context = { baseUrl: config.baseUrl?.replace(/\/+$/, ''), timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    this.concurrency = Math.max(1, config.concurrency ?? 4);
  }

  async send(requests: readonly AirtimeRequest[]): Promise<Map<string, AirtimeOutcome>> {
    const outcomes = new Map<string, AirtimeOutcome>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++] as AirtimeRequest;
        outcomes.set(r.payoutId, await this.sendOne(r));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, requests.length) }, worker));
    return outcomes;
  }

  private async sendOne(r: AirtimeRequest): Promise<AirtimeOutcome> {
    if (!isValidNumber(r.phone)) return { status: 'failed', reason: 'invalid phone number (refused before sending)' };
    let body: unknown;
    try {
      body = await call.run(this.context, () =>
        this.airtime.send({ recipients: [{ phoneNumber: r.phone, currencyCode: r.currency, amount: r.amount }], idempotencyKey: r.idempotencyKey }),
      );
    } catch (error) {
      // A 2xx other than 201 rejects with its body: read it like a 201's.
      if (axios.isAxiosError(error) || error instanceof Error) return this.failedCall(error);
      body = error;
    }
    return outcomeOf(body, r);
  }

  private failedCall(error: unknown): AirtimeOutcome {
    if (axios.isAxiosError(error)) {
      const status = error.response?.status;
      if (status === undefined) {
        const code = error.code ?? 'network error';
        return { status: 'retry', reason: ['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED'].includes(code) ? `timeout after ${this.context.timeoutMs} ms` : code };
      }
      // AT may have paid before failing to answer; a repeated key is safe to resend.
      if (status >= 500 || status === 408 || status === 409 || status === 429) return { status: 'retry', reason: `HTTP ${status}` };
      // 400, 401, 403…: AT refused the request, so it paid nothing.
      return { status: 'failed', reason: `Africa's Talking refused the request: HTTP ${status} ${scrubbed(error.response?.data)}` };
    }
    // The SDK's own validation (Joi): nothing was sent.
    return { status: 'failed', reason: `Africa's Talking SDK refused the payout: ${scrubbed((error as Error).message)}` };
  }
}

/** AT's answer for one payout's call. */
function outcomeOf(body: unknown, r: AirtimeRequest): AirtimeOutcome {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { responses?: unknown }).responses)) {
    // Not JSON, or not AT's shape: it may have paid; the same key makes a resend safe.
    return { status: 'retry', reason: `unexpected answer from Africa's Talking: ${scrubbed(body)}` };
  }
  const result = body as AfricasTalking.AirtimeSendResult;
  const mine = result.responses.find((x) => digits(String(x.phoneNumber)) === digits(r.phone));
  if (!mine) {
    const said = result.errorMessage && result.errorMessage !== 'None' ? result.errorMessage : undefined;
    // AT sent nothing, and said why (e.g. insufficient balance): definite.
    if (said && Number(result.numSent) === 0) return { status: 'failed', reason: `AT: ${scrubbed(said)}` };
    return { status: 'retry', reason: 'missing from the response' };
  }
  const status = String(mine.status);
  if (status === 'Sent' && mine.requestId && mine.requestId !== 'None') {
    return { status: 'sent', requestId: mine.requestId, ...(mine.discount ? { discount: mine.discount } : {}) };
  }
  if (status === 'Failed') return { status: 'failed', reason: `AT: ${scrubbed(mine.errorMessage && mine.errorMessage !== 'None' ? mine.errorMessage : 'Failed')}` };
  return { status: 'retry', reason: `unknown status "${scrubbed(status)}"` };
}

/** The SDK's own validator, which throws (rather than answering false) on a number without '+'. */
function isValidNumber(phone: string): boolean {
  try {
    return common.phoneUtil.isValidNumber(phone);
  } catch {
    return false;
  }
}

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}
