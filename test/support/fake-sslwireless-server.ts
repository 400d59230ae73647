/**
 * A local fake of SSL Wireless's Push SMS API v3, as its public material describes it: JSON
 * POSTs to `/api/v3/send-sms` `{api_token, sid, msisdn, sms, csms_id}`, `/api/v3/send-sms/bulk`
 * `{…, msisdn: [...], batch_csms_id}` (≤ 100) and `/api/v3/send-sms/dynamic`
 * `{api_token, sid, sms: [{msisdn, text, csms_id}]}` (≤ 100); msisdn `8801XXXXXXXXX`. It answers
 * `{status, status_code, error_message, smsinfo: [{sms_status, msisdn, csms_id, reference_id, sms_body, sms_type}]}`
 * with the documented codes: 200, 4001 unauthorized, 4023 duplicate CSMS ID (it remembers every
 * csms_id it accepted, as the provider does), 4025 invalid number, 4026 blocked, 4029/4031.
 *
 * In a call of several, a refused number makes the whole answer FAILED with its code, while
 * `smsinfo` still tells each message's fate (`perNumberFailure: 'partial'`, the default), or
 * refuses the whole call with no `smsinfo` (`'whole'`): the provider's behaviour is not
 * publicly documented, and the adapter must be right under both. `script` adds failures on cue.
 * `now` stamps each request (`at`, e.g. virtual time); with `tps` as well, a call beyond `tps`
 * calls in the last second of `now` is refused with 4031, as the provider's TPS limit does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FakeProviderServer, fakeProvider, parseJson, pathOf, readBody, respond, respondJson, scriptedRules, serveFake, stillThereAfter, track } from './fake-http.js';

export interface FakeSslSms {
  msisdn: string;
  text: string;
  csmsId: string;
}

export interface FakeSslRequest {
  path: string;
  contentType: string | undefined;
  /** The body as parsed JSON (undefined when it was not JSON). */
  json: Record<string, unknown> | undefined;
  /** Every message the call asked for, whatever the endpoint. */
  asked: FakeSslSms[];
  /** Those it accepted: what handsets receive. */
  accepted: FakeSslSms[];
  aborted: boolean;
  /** `now()` when the request arrived (0 without `now`). */
  at: number;
}

export type FakeSslRule =
  /** Per number (`8801…`), every later call (or the next `times`): refuse it with this code. */
  | { msisdn: string; statusCode: 4025 | 4026; times?: number }
  /**
   * Per call, the next `times` (default 1): wait `delayMs`; answer with `httpStatus` and a raw
   * `body`, or with a FAILED `statusCode` (e.g. 4029), or as usual but without `smsinfo`
   * (`omitSmsinfo`, after accepting); `respondAfterMs`: accept, then answer that much later.
   */
  | { httpStatus?: number; body?: string; statusCode?: number; omitSmsinfo?: boolean; delayMs?: number; respondAfterMs?: number; times?: number };

/** `reset` forgets requests, deliveries and rules; it remembers csms_ids, as the provider does. */
export interface FakeSsl extends FakeProviderServer<FakeSslRequest, FakeSslRule> {
  /** Every message accepted, in order, across calls (cleared by `reset`). */
  delivered: FakeSslSms[];
}

export interface FakeSslOptions {
  apiToken?: string;
  sid?: string;
  perNumberFailure?: 'partial' | 'whole';
  /** Milliseconds (virtual or real) for `at` and `tps`. */
  now?: () => number;
  /** Calls a second the account may make; more get 4031. */
  tps?: number;
}

type NumberRule = Extract<FakeSslRule, { msisdn: string }>;
type CallRule = Exclude<FakeSslRule, { msisdn: string }>;

const MESSAGES: Record<number, string> = {
  200: 'Success', 4001: 'Unauthorized', 4023: 'Duplicate CSMS ID', 4025: 'Invalid MSISDN', 4026: 'Blocked MSISDN', 4029: 'Too many requests', 4031: 'TPS exceeded',
};

export async function startFakeSslWireless(options: FakeSslOptions = {}): Promise<FakeSsl> {
  const requests: FakeSslRequest[] = [];
  const delivered: FakeSslSms[] = [];
  const seen = new Set<string>();
  const rules = scriptedRules<NumberRule, CallRule>((r): r is NumberRule => 'msisdn' in r);
  let nextRef = 1;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const json = jsonObject(parseJson(await readBody(req)));
    const path = pathOf(req);
    const at = options.now?.() ?? 0;
    const recorded: FakeSslRequest = { path, contentType: req.headers['content-type'], json, asked: messagesOf(path, json), accepted: [], aborted: false, at };
    track(requests, recorded, res);
    const rule = rules.nextCall();
    if (!(await stillThereAfter(server, res, rule?.delayMs))) return;
    if (req.method !== 'POST' || !['/api/v3/send-sms', '/api/v3/send-sms/bulk', '/api/v3/send-sms/dynamic'].includes(path)) return send(res, 404, 'Not Found');
    if (rule?.httpStatus !== undefined) return send(res, rule.httpStatus, rule.body ?? `HTTP ${rule.httpStatus}`);
    if (rule?.body !== undefined) return send(res, 200, rule.body);
    if (!json || !recorded.contentType?.startsWith('application/json')) return answer(res, 'FAILED', 4000, 'Invalid request');
    if ((options.apiToken && json.api_token !== options.apiToken) || (options.sid && json.sid !== options.sid)) return answer(res, 'FAILED', 4001);
    if (rule?.statusCode !== undefined) return answer(res, 'FAILED', rule.statusCode);
    if (options.tps !== undefined && requests.filter((r) => r !== recorded && r.at > at - 1000 && r.at <= at).length >= options.tps) return answer(res, 'FAILED', 4031);
    if (recorded.asked.length === 0 || recorded.asked.length > 100) return answer(res, 'FAILED', 4000, 'Between 1 and 100 numbers a call');

    const fates = recorded.asked.map((m) => ({ m, code: fate(m) }));
    const refused = fates.find((f) => f.code !== 200);
    const whole = refused && recorded.asked.length > 1 && options.perNumberFailure === 'whole';
    const smsinfo = [];
    for (const { m, code } of fates) {
      if (code === 200 && !whole) {
        seen.add(m.csmsId);
        delivered.push(m);
        recorded.accepted.push(m);
      }
      smsinfo.push({ sms_status: code === 200 && !whole ? 'SUCCESS' : 'FAILED', status_message: MESSAGES[code], msisdn: m.msisdn, sms_type: /[^\x00-\x7f]/.test(m.text) ? 'UNICODE' : 'EN', sms_body: m.text, csms_id: m.csmsId, reference_id: `ref-${nextRef++}` });
    }
    if (!(await stillThereAfter(server, res, rule?.respondAfterMs))) return;
    if (refused) return answer(res, 'FAILED', refused.code, undefined, whole ? undefined : smsinfo);
    return answer(res, 'SUCCESS', 200, undefined, rule?.omitSmsinfo ? undefined : smsinfo);
  }

  function fate(m: FakeSslSms): number {
    if (seen.has(m.csmsId)) return 4023;
    if (!/^8801[3-9]\d{8}$/.test(m.msisdn)) return 4025;
    return rules.forNumber((r) => r.msisdn === m.msisdn)?.statusCode ?? 200;
  }

  const server = await serveFake(handle);
  const fake = fakeProvider(server, requests, rules, () => {
    delivered.length = 0;
  });
  return { ...fake, delivered };
}

/** The messages a call asks for, whichever endpoint it went to. */
function messagesOf(path: string, json: Record<string, unknown> | undefined): FakeSslSms[] {
  if (!json) return [];
  const str = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));
  if (path.endsWith('/dynamic')) {
    return (Array.isArray(json.sms) ? json.sms : []).map((s: Record<string, unknown>) => ({ msisdn: str(s.msisdn), text: str(s.text), csmsId: str(s.csms_id) }));
  }
  if (path.endsWith('/bulk')) {
    return (Array.isArray(json.msisdn) ? json.msisdn : []).map((n: unknown) => ({ msisdn: str(n), text: str(json.sms), csmsId: `${str(json.batch_csms_id)}#${str(n)}` }));
  }
  return [{ msisdn: str(json.msisdn), text: str(json.sms), csmsId: str(json.csms_id) }];
}

function answer(res: ServerResponse, status: 'SUCCESS' | 'FAILED', code: number, message?: string, smsinfo?: unknown[]): void {
  respondJson(res, 200, { status, status_code: code, error_message: status === 'SUCCESS' ? '' : (message ?? MESSAGES[code] ?? 'Error'), ...(smsinfo ? { smsinfo } : {}) });
}

function send(res: ServerResponse, status: number, body: string): void {
  respond(res, status, 'text/html', body);
}

/** The API takes a JSON object; anything else is no request at all. */
function jsonObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
