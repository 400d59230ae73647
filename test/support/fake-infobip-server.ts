/**
 * A local fake of Infobip's SMS API v3 as its public documentation describes it:
 * `POST /sms/3/messages`, header `Authorization: App <key>`, JSON
 * `{messages: [{sender, destinations: [{to, messageId}], content: {text}}]}`; the answer is an
 * acceptance only, `{bulkId, messages: [{messageId, destination, status{groupId, groupName, id, name, description}}]}`.
 * 401 for another key. By default every destination is PENDING_ACCEPTED; `script` gives a
 * number another status (e.g. REJECTED_DND), or the next requests another HTTP answer or a delay.
 * Infobip documents no duplicate check on `messageId`: the fake accepts a repeated id again,
 * and counts it (`repeats`), so tests see what a resend would cost.
 * `GET /sms/3/logs?messageId=…&limit=…` answers `{results: [{messageId, to, status, …}]}` for
 * every message it answered (what the adapter looks up before a resend); call rules apply to
 * it too. `now` stamps each request (`at`), for tests that count calls per window of virtual time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InfobipStatus } from '../../functions/adapters/infobip/status.js';
import { type FakeProviderServer, fakeProvider, parseJson, pathOf, readBody, respond, respondJson, scriptedRules, serveFake, stillThereAfter } from './fake-http.js';

export interface FakeInfobipSms {
  to: string;
  messageId: string;
  text: string;
  sender: string | undefined;
}

export interface FakeInfobipRequest {
  path: string;
  authorization: string | undefined;
  json: unknown;
  asked: FakeInfobipSms[];
  accepted: FakeInfobipSms[];
  /** `now()` when the request arrived (0 without `now`). */
  at: number;
}

export type FakeInfobipRule =
  | { to: string; status: InfobipStatus; times?: number }
  | { httpStatus?: number; body?: string; delayMs?: number; respondAfterMs?: number; times?: number };

export interface FakeInfobip extends FakeProviderServer<FakeInfobipRequest, FakeInfobipRule> {
  delivered: FakeInfobipSms[];
  /** Accepted messageIds that had been accepted before. */
  repeats: string[];
}

export const PENDING: InfobipStatus = { groupId: 1, groupName: 'PENDING', id: 26, name: 'PENDING_ACCEPTED', description: 'Message sent to next instance' };
export const REJECTED_DND: InfobipStatus = { groupId: 5, groupName: 'REJECTED', id: 10, name: 'REJECTED_DND', description: 'Destination on DND list' };

type NumberRule = Extract<FakeInfobipRule, { to: string }>;
type CallRule = Exclude<FakeInfobipRule, { to: string }>;

export async function startFakeInfobip(options: { apiKey: string; now?: () => number }): Promise<FakeInfobip> {
  const requests: FakeInfobipRequest[] = [];
  const logs = new Map<string, { messageId: string; to: string; status: InfobipStatus }>();
  const delivered: FakeInfobipSms[] = [];
  const repeats: string[] = [];
  const seen = new Set<string>();
  const rules = scriptedRules<NumberRule, CallRule>((r): r is NumberRule => 'to' in r);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const json = parseJson(await readBody(req));
    const path = pathOf(req);
    const recorded: FakeInfobipRequest = { path, authorization: req.headers.authorization, json, asked: asked(json), accepted: [], at: options.now?.() ?? 0 };
    requests.push(recorded);
    const rule = rules.nextCall();
    if (!(await stillThereAfter(server, res, rule?.delayMs))) return;
    const isLogs = req.method === 'GET' && path === '/sms/3/logs';
    if (!isLogs && (req.method !== 'POST' || path !== '/sms/3/messages')) return respondJson(res, 404, { errorCode: 'E404', description: 'Not found' });
    if (rule?.httpStatus !== undefined) return send(res, rule.httpStatus, rule.body ?? JSON.stringify({ errorCode: `E${rule.httpStatus}`, description: 'Scripted failure' }));
    if (recorded.authorization !== `App ${options.apiKey}`) return respondJson(res, 401, { errorCode: 'E401', description: 'Invalid login details' });
    if (isLogs) {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const ids = query.getAll('messageId');
      const found = [...logs.values()].filter((l) => ids.length === 0 || ids.includes(l.messageId)).slice(0, Number(query.get('limit') ?? 1000));
      return respondJson(res, 200, { results: found.map((l) => ({ messageId: l.messageId, to: l.to, status: l.status })) });
    }
    if (recorded.asked.length === 0) return respondJson(res, 400, { errorCode: 'E400', description: 'Bad request', violations: [{ property: 'messages', violation: 'must not be empty' }] });
    const messages = recorded.asked.map((m) => {
      const status = rules.forNumber((r) => r.to === m.to)?.status ?? PENDING;
      if (status.groupId === 1) {
        if (seen.has(m.messageId)) repeats.push(m.messageId);
        seen.add(m.messageId);
        delivered.push(m);
        recorded.accepted.push(m);
      }
      logs.set(m.messageId, { messageId: m.messageId, to: m.to, status });
      return { messageId: m.messageId, destination: m.to, status };
    });
    if (!(await stillThereAfter(server, res, rule?.respondAfterMs))) return;
    return respondJson(res, 200, { bulkId: `bulk-${requests.length}`, messages });
  }

  const server = await serveFake(handle);
  const fake = fakeProvider(server, requests, rules, () => {
    delivered.length = 0;
    repeats.length = 0;
  });
  return { ...fake, delivered, repeats };
}

function asked(json: unknown): FakeInfobipSms[] {
  const messages = (json as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return [];
  return messages.flatMap((m: { sender?: string; destinations?: { to?: string; messageId?: string }[]; content?: { text?: string } }) =>
    (m.destinations ?? []).map((d) => ({ to: String(d.to ?? ''), messageId: String(d.messageId ?? ''), text: String(m.content?.text ?? ''), sender: m.sender })),
  );
}

const send = (res: ServerResponse, status: number, body: string) => respond(res, status, 'application/json', body);
