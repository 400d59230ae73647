/**
 * A local fake of Africa's Talking's airtime API, speaking it as the `africastalking` SDK
 * (0.8.3) calls it: `POST /version1/airtime/send`, `application/x-www-form-urlencoded`, headers
 * `apikey` and `Idempotency-Key`?, fields `username`, `recipients` (JSON text of
 * `[{ phoneNumber, amount: 'KES 20' }]`) and `maxNumRetry`?; answers HTTP 201 with
 * `{ errorMessage, numSent, totalAmount, totalDiscount, responses: [{ phoneNumber, amount,
 * status: 'Sent', requestId, discount, errorMessage }] }`.
 *
 * As AT does, a request whose `Idempotency-Key` was seen gets the first answer again and pays
 * nothing: `payments` lists what handsets would receive, once per payment. Failures come on
 * cue (`script`): a status and body instead of the 201 (5xx, non-JSON), a delay (slow), an
 * answer held after paying (the client's timeout fires after AT paid), a recipient Failed.
 * `sendStatusCallbacks` posts AT's final status (JSON) for the payments made, in any order.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, serveFake, takeRule } from './fake-http.js';

export interface FakeAirtimeRequest {
  path: string;
  contentType: string | undefined;
  apiKey: string | undefined;
  idempotencyKey: string | undefined;
  form: Record<string, string>;
  recipients: { phoneNumber: string; amount: string }[];
  /** Answered from the idempotency store: nothing paid. */
  replayed: boolean;
  /** The client hung up before the answer (its timeout fired). */
  aborted: boolean;
}

export interface FakeAirtimePayment {
  phoneNumber: string;
  /** As AT writes it, e.g. 'KES 20.0000'. */
  amount: string;
  requestId: string;
  idempotencyKey: string | undefined;
}

export type FakeAirtimeRule =
  /** Per number, the next `times` (default: every later request): answer Failed with this message. */
  | { number: string; errorMessage: string; times?: number }
  /**
   * Per request, the next `times` (default 1): wait `delayMs` first; answer `httpStatus` (and
   * `body`, as is: not JSON unless you make it so) instead of the 201. With `afterPaying`, the
   * payment is made and remembered under the key first, then the odd answer given (AT paid but
   * said otherwise). `respondAfterMs`: pay, then wait that long before the usual answer.
   */
  | { httpStatus?: number; body?: string; delayMs?: number; respondAfterMs?: number; afterPaying?: boolean; times?: number };

export interface FakeAtAirtime {
  /** Base URL; the API lives at `${url}/version1/airtime/send`. */
  url: string;
  requests: FakeAirtimeRequest[];
  payments: FakeAirtimePayment[];
  script(...rules: FakeAirtimeRule[]): void;
  /**
   * Posts AT's status callback to `url` for each payment (all, or those listed), in the order
   * given (`reverse` for out of order), `Success` unless `failed` names the requestId. Resolves
   * with the HTTP statuses.
   */
  sendStatusCallbacks(url: string, options?: { requestIds?: string[]; failed?: string[]; reverse?: boolean }): Promise<number[]>;
  reset(): void;
  close(): Promise<void>;
}

type NumberRule = Extract<FakeAirtimeRule, { number: string }>;
type RequestRule = Exclude<FakeAirtimeRule, { number: string }>;
interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export async function startFakeAtAirtime(options: { apiKey?: string } = {}): Promise<FakeAtAirtime> {
  const requests: FakeAirtimeRequest[] = [];
  const payments: FakeAirtimePayment[] = [];
  // Keyed answers live across `reset`, as AT's do across a client's restart.
  const byKey = new Map<string, Promise<Answer>>();
  let numberRules: { rule: NumberRule; left: number }[] = [];
  let requestRules: { rule: RequestRule; left: number }[] = [];
  let nextId = 1;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const recorded: FakeAirtimeRequest = {
      path: req.url ?? '',
      contentType: header(req, 'content-type'),
      apiKey: header(req, 'apikey'),
      idempotencyKey: header(req, 'idempotency-key'),
      form,
      recipients: parseRecipients(form.recipients),
      replayed: false,
      aborted: false,
    };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) recorded.aborted = true;
    });
    if (req.method !== 'POST' || new URL(recorded.path, 'http://x').pathname !== '/version1/airtime/send') return send(res, plain(404, 'Not Found'));
    if (!recorded.apiKey || (options.apiKey !== undefined && recorded.apiKey !== options.apiKey)) {
      return send(res, plain(401, 'The supplied authentication is invalid'));
    }
    if (!recorded.contentType?.startsWith('application/x-www-form-urlencoded')) return send(res, plain(415, 'Unsupported Media Type'));
    if (!form.username || recorded.recipients.length === 0) return send(res, plain(400, 'Request is missing required form field'));

    const key = recorded.idempotencyKey;
    const first = key === undefined ? undefined : byKey.get(key);
    if (first) {
      recorded.replayed = true;
      return send(res, await first);
    }
    // The key is taken on arrival: a resend while the first is still being processed waits for it.
    let settle: (a: Answer) => void = () => {};
    if (key !== undefined) byKey.set(key, new Promise<Answer>((resolve) => (settle = resolve)));
    const rule = takeRule(requestRules);
    if (rule?.delayMs) await sleep(rule.delayMs);
    if (rule?.httpStatus !== undefined && !rule.afterPaying) {
      // Failed before paying: nothing is remembered, the next request under the key is new.
      const failure = plain(rule.httpStatus, rule.body ?? `HTTP ${rule.httpStatus}`);
      if (key !== undefined) byKey.delete(key);
      settle(failure);
      return send(res, failure);
    }
    const answer = pay(recorded, key);
    // What AT remembers under the key is its real answer, whatever reached the client this time.
    settle(answer);
    if (rule?.respondAfterMs) await sleep(rule.respondAfterMs);
    if (rule?.afterPaying && rule.httpStatus !== undefined) return send(res, plain(rule.httpStatus, rule.body ?? `HTTP ${rule.httpStatus}`));
    return send(res, answer);
  }

  function pay(recorded: FakeAirtimeRequest, key: string | undefined): Answer {
    const responses = recorded.recipients.map((r) => {
      const failure = takeRule(numberRules, (n) => n.number === r.phoneNumber);
      const amount = atAmount(r.amount);
      if (failure) return { phoneNumber: r.phoneNumber, amount, status: 'Failed', requestId: 'None', discount: '0', errorMessage: failure.errorMessage };
      const requestId = `ATQid_${nextId++}`;
      payments.push({ phoneNumber: r.phoneNumber, amount, requestId, idempotencyKey: key });
      return { phoneNumber: r.phoneNumber, amount, status: 'Sent', requestId, discount: '0', errorMessage: 'None' };
    });
    const sent = responses.filter((r) => r.status === 'Sent');
    const total = sent.reduce((n, r) => n + Number(r.amount.split(' ')[1]), 0);
    const currency = sent[0]?.amount.split(' ')[0] ?? 'KES';
    const body = { errorMessage: 'None', numSent: sent.length, totalAmount: `${currency} ${total.toFixed(4)}`, totalDiscount: `${currency} 0.0000`, responses };
    return { status: 201, contentType: 'application/json', body: JSON.stringify(body) };
  }

  const server = await serveFake(handle);
  const sleep = (ms: number) => server.sleep(ms);
  function send(res: ServerResponse, a: Answer): void {
    if (res.destroyed) return;
    res.writeHead(a.status, { 'content-type': a.contentType });
    res.end(a.body);
  }

  return {
    url: server.url,
    requests,
    payments,
    script(...rules) {
      for (const rule of rules) {
        if ('number' in rule) numberRules.push({ rule, left: rule.times ?? Infinity });
        else requestRules.push({ rule, left: rule.times ?? 1 });
      }
    },
    async sendStatusCallbacks(url, opts = {}) {
      const chosen = payments.filter((p) => !opts.requestIds || opts.requestIds.includes(p.requestId));
      const statuses: number[] = [];
      for (const p of opts.reverse ? [...chosen].reverse() : chosen) {
        const failed = opts.failed?.includes(p.requestId) ?? false;
        const body = {
          phoneNumber: p.phoneNumber,
          description: failed ? 'Failed' : 'Airtime Delivered Successfully',
          status: failed ? 'Failed' : 'Success',
          requestId: p.requestId,
          discount: '0',
          value: p.amount,
        };
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        statuses.push(res.status);
        if (res.status >= 500) throw new Error(`status callback answered ${res.status}: ${await res.text()}`);
      }
      return statuses;
    },
    reset() {
      requests.length = 0;
      numberRules = [];
      requestRules = [];
    },
    close: () => server.close(),
  };
}

function parseRecipients(raw: string | undefined): { phoneNumber: string; amount: string }[] {
  try {
    const value: unknown = JSON.parse(raw ?? '[]');
    return Array.isArray(value) ? (value as { phoneNumber: string; amount: string }[]) : [];
  } catch {
    return [];
  }
}

/** 'KES 20' as AT writes it back: 'KES 20.0000'. */
function atAmount(amount: string): string {
  const [currency, value] = amount.split(' ');
  return `${currency} ${Number(value).toFixed(4)}`;
}

function plain(status: number, body: string): Answer {
  return { status, contentType: 'text/plain', body };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
