/**
 * A local fake of Africa's Talking's bulk SMS API, speaking it as the `africastalking` SDK
 * (0.8.3) calls it: `POST /version1/messaging`, `application/x-www-form-urlencoded;charset=utf-8`, header
 * `apikey`, fields `username`, `to` (numbers joined by ','), `message`, `from`?, `bulkSMSMode`,
 * `enqueue`?; answers HTTP 201 with `{ SMSMessageData: { Message, Recipients } }`.
 *
 * Every request is recorded (parsed). By default every recipient succeeds (101 'Success',
 * messageId `ATXid_<n>`, cost 'KES 0.8000'); `script` changes one number's answer or the next
 * requests' HTTP status or delay. Point the gateway at it with `baseUrl: fake.url`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FakeProviderServer, fakeProvider, readBody, respond, respondJson, scriptedRules, serveFake, stillThereAfter, track } from './fake-http.js';

/** AT's per-recipient status texts, by statusCode (AT's SMS API documentation). */
export const AT_STATUS: Readonly<Record<number, string>> = {
  100: 'Processed',
  101: 'Success',
  102: 'Queued',
  401: 'RiskHold',
  402: 'InvalidSenderId',
  403: 'InvalidPhoneNumber',
  404: 'UnsupportedNumberType',
  405: 'InsufficientBalance',
  406: 'UserInBlacklist',
  407: 'CouldNotRoute',
  409: 'DoNotDisturbRejection',
  500: 'InternalServerError',
  501: 'GatewayError',
  502: 'RejectedByGateway',
};

export const DEFAULT_COST = 'KES 0.8000';

export interface FakeAtRequest {
  method: string;
  /** Path and query, e.g. '/version1/messaging'. */
  path: string;
  contentType: string | undefined;
  /** The `apikey` header. */
  apiKey: string | undefined;
  accept: string | undefined;
  /** Every form field as sent. */
  form: Record<string, string>;
  username: string | undefined;
  /** The `to` field split on ','. */
  to: string[];
  message: string | undefined;
  from: string | undefined;
  bulkSMSMode: string | undefined;
  enqueue: string | undefined;
  /** The client hung up before the answer (e.g. its timeout fired). */
  aborted: boolean;
  /** Numbers AT accepted in its answer (statusCode 100-102): what a handset would receive. */
  accepted: string[];
}

export type FakeAtRule =
  /**
   * Per number, in every later request (or the next `times`): answer it with this statusCode
   * (status text from AT_STATUS unless given), or leave it out of the response (`omit`).
   */
  | { number: string; statusCode?: number; status?: string; omit?: boolean; times?: number }
  /**
   * Per request, the next `times` (default 1) requests: wait `delayMs` first, then answer with
   * `httpStatus` and `body` (a plain-text body as AT sends for errors) instead of a 201.
   * `respondAfterMs`: process the request as usual (the handsets get it), then wait that long
   * before answering: the client's timeout fires after AT has sent (the ambiguous timeout).
   */
  | { httpStatus?: number; body?: string; delayMs?: number; times?: number; respondAfterMs?: number };

/**
 * The SMS API lives at `${url}/version1/messaging`; `reset` forgets requests and rules (not the
 * messageId counter, so ids stay unique).
 */
export type FakeAt = FakeProviderServer<FakeAtRequest, FakeAtRule>;

export interface FakeAtOptions {
  /** When set, any other `apikey` gets HTTP 401, as AT answers bad credentials. */
  apiKey?: string;
}

type NumberRule = Extract<FakeAtRule, { number: string }>;
type RequestRule = Exclude<FakeAtRule, { number: string }>;

const ERROR_BODIES: Record<number, string> = {
  401: 'The supplied authentication is invalid',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export async function startFakeAt(options: FakeAtOptions = {}): Promise<FakeAt> {
  const requests: FakeAtRequest[] = [];
  const rules = scriptedRules<NumberRule, RequestRule>((r): r is NumberRule => 'number' in r);
  let nextId = 1;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const recorded: FakeAtRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      contentType: req.headers['content-type'],
      apiKey: header(req, 'apikey'),
      accept: header(req, 'accept'),
      form,
      username: form.username,
      to: form.to ? form.to.split(',') : [],
      message: form.message,
      from: form.from,
      bulkSMSMode: form.bulkSMSMode,
      enqueue: form.enqueue,
      aborted: false,
      accepted: [],
    };
    track(requests, recorded, res);
    const rule = rules.nextCall();
    if (!(await stillThereAfter(server, res, rule?.delayMs))) return;

    if (req.method !== 'POST' || new URL(recorded.path, 'http://x').pathname !== '/version1/messaging') {
      return text(res, 404, 'Not Found');
    }
    if (rule?.httpStatus !== undefined && rule.httpStatus !== 201) {
      return text(res, rule.httpStatus, rule.body ?? ERROR_BODIES[rule.httpStatus] ?? `HTTP ${rule.httpStatus}`);
    }
    if (!recorded.apiKey || (options.apiKey !== undefined && recorded.apiKey !== options.apiKey)) {
      return text(res, 401, ERROR_BODIES[401]!);
    }
    // AT reads form fields only: a JSON body would arrive as no fields at all.
    if (!recorded.contentType?.startsWith('application/x-www-form-urlencoded')) {
      return text(res, 415, 'Unsupported Media Type');
    }
    if (!recorded.username || recorded.to.length === 0 || recorded.message === undefined) {
      return text(res, 400, 'Request is missing required form field');
    }

    let sent = 0;
    const recipients = [];
    for (const number of recorded.to) {
      const numberRule = rules.forNumber((r) => r.number === number);
      if (numberRule?.omit) continue;
      const statusCode = numberRule?.statusCode ?? 101;
      const ok = statusCode >= 100 && statusCode <= 102;
      if (ok) {
        sent += 1;
        recorded.accepted.push(number);
      }
      recipients.push({
        statusCode,
        number,
        status: numberRule?.status ?? AT_STATUS[statusCode] ?? 'Unknown',
        cost: ok ? DEFAULT_COST : '0',
        messageId: ok ? `ATXid_${nextId++}` : 'None',
      });
    }
    const total = (sent * 0.8).toFixed(4);
    if (!(await stillThereAfter(server, res, rule?.respondAfterMs))) return;
    respondJson(res, 201, { SMSMessageData: { Message: `Sent to ${sent}/${recorded.to.length} Total Cost: KES ${total}`, Recipients: recipients } });
  }

  const server = await serveFake(handle);
  return fakeProvider(server, requests, rules);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function text(res: ServerResponse, status: number, body: string): void {
  respond(res, status, 'text/plain', body);
}
