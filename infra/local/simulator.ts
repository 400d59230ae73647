/**
 * The phone simulator's back end, local stack only (the CDK app never mounts it): it plays
 * Africa's Talking for a simulated phone. A dial or an SMS becomes the very form body AT
 * posts, handed to the same handlers at the same callback path, so what the simulator shows
 * is what a real phone would get. Open without login, like the local callbacks themselves;
 * only the export downloads need a researcher or admin token.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, extname, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { localExportDir } from '../../functions/adapters/export/local-sink.js';
import type { OutboxEntry } from '../../functions/adapters/dynamo/outbox-gateway.js';
import { principalOf, unauthenticatedMessage } from '../../functions/api/auth.js';
import type { Study } from '../../functions/core/model.js';
import type { Clock } from '../../functions/core/ports/index.js';
import { atCallbackEvent, httpApiEvent, lambdaContext } from './event.js';
import type { HttpHandler } from './http-handler.js';

export interface SimulatorDeps {
  ussd: HttpHandler;
  atCallbacks: HttpHandler;
  /** The callback path token the handlers accept (`SAUTI_CALLBACK_TOKEN`). */
  callbackToken: string;
  outbox: { list(opts: { to?: string; studyId?: string; limit?: number }): Promise<OutboxEntry[]> };
  /** The studies a simulated phone can reach, with the numbers of their seeded participants. */
  studies: () => Promise<SimulatedStudy[]>;
  /** The stack's clock: simulated phones dial and text at the time the handlers see. */
  clock: Clock;
  /**
   * Makes the guided tour's throw-away participant in the study (infra/local/tour.ts) and
   * gives its number; undefined when the study is unknown or has no number to make.
   */
  startTour?: (studyId: string) => Promise<{ phone: string } | undefined>;
  env?: NodeJS.ProcessEnv;
  /**
   * False when the stack sends through Africa's Talking: it may then hold real participants,
   * and a phone anyone can pretend to be must not read their diary or summary.
   */
  simulatorEnabled?: boolean;
}

export interface SimulatedStudy {
  studyId: string;
  name: string;
  serviceCode: string;
  smsShortCode?: string;
  /** Synthetic seeded numbers that can answer a diary at once (demo data, never real people). */
  phones: { phone: string; label: string }[];
}

const phone = z.string().check(z.regex(/^\+\d{7,15}$/, 'an international number like +254700000001'));
const ussdBody = z.object({
  sessionId: z.string().check(z.regex(/^[\w-]{1,64}$/, 'letters, digits, _ and -')),
  phoneNumber: phone,
  serviceCode: z.string().check(z.regex(/^\*\d+(\*\d+)*#$/, 'a USSD code like *384*123#')),
  text: z.string().check(z.maxLength(500)),
});
const tourBody = z.object({ studyId: z.string().check(z.regex(/^[\w-]{1,64}$/, 'a study id like athi-river-2026')) });
const smsBody = z.object({ from: phone, to: z.string().check(z.regex(/^\d{3,15}$/, 'a short code (digits)')), text: z.string().check(z.minLength(1), z.maxLength(918)) });

/** Percent-encoding as Africa's Talking's servers do it (`*` escaped too). */
export function atForm(fields: Record<string, string>): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/\*/g, '%2A');
  return Object.entries(fields)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
}

/** The API Gateway v2 event of an AT callback from the phone simulator. */
export function callbackEvent(token: string, suffix: '/ussd' | '/sms', form: string, now: Date): APIGatewayProxyEventV2 {
  return atCallbackEvent(token, suffix, form, now, { headers: { 'user-agent': 'sauti-simulator' }, requestId: `sim-${now.getTime()}` });
}

const CONTENT_TYPES: Record<string, string> = { '.csv': 'text/csv; charset=utf-8', '.json': 'application/json; charset=utf-8', '.md': 'text/markdown; charset=utf-8' };

/**
 * Answers `/local/...` requests; false when the path is not one of them (the caller then
 * answers 404). `body` is the request body already read by the server.
 */
export function createSimulator(deps: SimulatorDeps) {
  const env = deps.env ?? process.env;
  let simCounter = 0;

  async function ussd(body: unknown, res: ServerResponse): Promise<void> {
    const req = ussdBody.safeParse(body);
    if (!req.success) return sendJson(res, 400, problems(req.error.issues));
    const form = atForm({ sessionId: req.data.sessionId, serviceCode: req.data.serviceCode, phoneNumber: req.data.phoneNumber, networkCode: '63902', text: req.data.text });
    const out = await deps.ussd(callbackEvent(deps.callbackToken, '/ussd', form, deps.clock.now()), lambdaContext('ussd', 10_000));
    const raw = typeof out.body === 'string' ? out.body : '';
    if ((out.statusCode ?? 200) !== 200) return sendJson(res, 502, { error: `The USSD handler answered ${out.statusCode}: ${raw.slice(0, 200)}` });
    const end = raw.startsWith('END ');
    sendJson(res, 200, { raw, end, screen: raw.replace(/^(CON|END) /, '') });
  }

  async function sms(body: unknown, res: ServerResponse): Promise<void> {
    const req = smsBody.safeParse(body);
    if (!req.success) return sendJson(res, 400, problems(req.error.issues));
    const now = deps.clock.now();
    const id = `SIM-${now.getTime()}-${(simCounter += 1)}`;
    const date = now.toISOString().replace('T', ' ').slice(0, 19);
    const form = atForm({ id, from: req.data.from, to: req.data.to, text: req.data.text, date, linkId: '', networkCode: '63902' });
    const out = await deps.atCallbacks(callbackEvent(deps.callbackToken, '/sms', form, now), lambdaContext('atCallbacks', 10_000));
    if ((out.statusCode ?? 200) !== 200) return sendJson(res, 502, { error: `The SMS callback answered ${out.statusCode}.` });
    sendJson(res, 202, { id });
  }

  async function tour(body: unknown, res: ServerResponse): Promise<void> {
    const req = tourBody.safeParse(body);
    if (!req.success) return sendJson(res, 400, problems(req.error.issues));
    const made = await deps.startTour?.(req.data.studyId);
    if (!made) return sendJson(res, 404, { error: `No tour number could be made for study ${req.data.studyId}.` });
    sendJson(res, 201, { phone: made.phone, label: 'tour, synthetic' });
  }

  async function inbox(url: URL, res: ServerResponse): Promise<void> {
    const to = phone.safeParse(url.searchParams.get('phone') ?? '');
    if (!to.success) return sendJson(res, 400, { error: 'Give ?phone=+254700000001 (an international number).' });
    const messages = await deps.outbox.list({ to: to.data, limit: 50 });
    sendJson(res, 200, { messages: messages.map((m) => ({ id: m.providerId, from: m.from, text: m.text, at: m.at })) });
  }

  async function exportFile(req: IncomingMessage, rel: string, res: ServerResponse): Promise<void> {
    const at = deps.clock.now();
    const event = httpApiEvent({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { authorization: req.headers.authorization ?? '' }, now: at });
    const now = at.getTime();
    const principal = principalOf(event, env, now);
    if (!principal) return sendJson(res, 401, { error: unauthenticatedMessage(event, env, now) });
    if (!principal.roles.some((r) => r === 'researcher' || r === 'admin')) return sendJson(res, 403, { error: 'Exports are for researchers and admins.' });
    const root = resolve(localExportDir(env));
    const file = resolve(root, rel);
    // Only files inside the export folder, and no hidden or partial files.
    if (!file.startsWith(root + sep) || basename(file).startsWith('.') || file.endsWith('.partial')) return sendJson(res, 404, { error: 'No such export.' });
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return sendJson(res, 404, { error: 'No such export.' });
    // Phone numbers are for admins only, as in the API that made the file.
    if (basename(file).includes('-with-phones-') && !principal.roles.includes('admin')) return sendJson(res, 403, { error: 'Exports with phone numbers are for admins.' });
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(info.size),
      'content-disposition': `attachment; filename="${basename(file).replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'no-store',
    });
    await new Promise<void>((done, fail) => createReadStream(file).on('error', fail).on('end', done).pipe(res));
  }

  return async function local(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (!path.startsWith('/local/')) return false;
    const json = () => {
      try {
        return body.length ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
      } catch {
        return Symbol('invalid');
      }
    };
    if (path.startsWith('/local/simulator/') && deps.simulatorEnabled === false) {
      sendJson(res, 404, { error: "The phone simulator is off while SMS go through Africa's Talking (real phones, maybe real participants)." });
      return true;
    }
    if (req.method === 'GET' && path === '/local/simulator/config') {
      sendJson(res, 200, { studies: await deps.studies() });
      return true;
    }
    if (req.method === 'GET' && path === '/local/simulator/inbox') {
      await inbox(url, res);
      return true;
    }
    if (req.method === 'POST' && (path === '/local/simulator/ussd' || path === '/local/simulator/sms' || path === '/local/simulator/tour')) {
      const parsed = json();
      if (typeof parsed === 'symbol') sendJson(res, 400, { error: 'The body is not valid JSON.' });
      else if (path.endsWith('/ussd')) await ussd(parsed, res);
      else if (path.endsWith('/tour')) await tour(parsed, res);
      else await sms(parsed, res);
      return true;
    }
    if (req.method === 'GET' && path.startsWith('/local/exports/')) {
      let rel: string;
      try {
        rel = decodeURIComponent(path.slice('/local/exports/'.length));
      } catch {
        sendJson(res, 400, { error: 'Bad file name.' });
        return true;
      }
      await exportFile(req, rel, res);
      return true;
    }
    return false;
  };
}

export type LocalRoutes = ReturnType<typeof createSimulator>;

/** The simulator's studies: every study with a service code, and the seeded numbers of the demo ones. */
export function simulatedStudies(studies: Study[], seeded: Record<string, { phone: string; label: string }[]>): SimulatedStudy[] {
  return studies.map((s) => ({
    studyId: s.studyId,
    name: s.name,
    serviceCode: s.serviceCode,
    ...(s.smsShortCode ? { smsShortCode: s.smsShortCode } : {}),
    phones: seeded[s.studyId] ?? [],
  }));
}

function problems(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  return { error: 'The request is not valid.', problems: issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message })) };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
