import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { content } from '../../content/index.js';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.js';
import { DynamoDiaryReader } from '../../functions/adapters/dynamo/diary-reader.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import type { Question, UiStrings } from '../../functions/core/content/schema.js';
import type { AnswerValue } from '../../functions/core/model.js';
import { parseAnswer, SKIP } from '../../functions/core/questionnaire/answer.js';
import { questionScreen } from '../../functions/core/questionnaire/render.js';
import { diaryWeek } from '../../functions/core/time/week.js';
import { renderScreen } from '../../functions/core/ussd/screen.js';
import { atBody, type Stack } from '../support/stack.js';
import { systemClock } from '../../functions/core/ports/index.js';

/**
 * The load part of the reliability suite: many virtual participants, each doing whole USSD
 * diaries over HTTP against the local stack at the same time, while incoming SMS and delivery
 * reports trickle in; then every answer the stack acknowledged is looked up in the store.
 *
 * A hand-written driver rather than autocannon: a USSD session is a stateful multi-hop
 * conversation (each request's `text` is every answer so far, the next input depends on the
 * screen just received, and the driver must know which question an answer acknowledged), which
 * autocannon's fixed request lists cannot express. Node's http with a keep-alive agent is enough.
 */

export const STUDY_ID = 'athi-river-2026';
export const SERVICE_CODE = '*384*123#';
const TIME_ZONE = 'Africa/Nairobi';
const LANG = 'en';
const s = content.strings[LANG] as UiStrings;

export type Kind = 'ussd' | 'sms' | 'sms-delivery';

export interface LoadOptions {
  stack: Stack;
  /** Virtual participants dialling at once. */
  concurrency: number;
  /**
   * How much work: for `seconds` (npm run reliability, which reports throughput), or a fixed
   * `sessionsPerWorker` run to completion (npm test: the verdict is about correctness, so it
   * must not depend on how much fits in a few seconds of a busy machine).
   */
  seconds?: number;
  sessionsPerWorker?: number;
  /** Participants owned by each virtual participant (dialled in turn; after the last, a re-dial of the first). */
  participantsPerWorker: number;
  /** Pause between incoming SMS, and between delivery reports. */
  smsEveryMs: number;
  deliveryEveryMs: number;
  /** Told the running count of acknowledged answers (a fault scenario times its fault by it). */
  onAcked?: (acked: number) => void;
  /** Numbers are `+2547` + 8 digits from this offset. */
  phoneOffset?: number;
}

/** One answer sent: acknowledged when the next screen was the next question or the review. */
export interface Attempt {
  phone: string;
  week: string;
  questionId: string;
  value: AnswerValue | null;
  sessionId: string;
  acked: boolean;
}

export interface KindStats {
  requests: number;
  latencies: number[];
  status: Record<string, number>;
  /** Connection errors and timeouts (no HTTP status). */
  networkErrors: number;
  apologies: number;
}

export interface LoadResult {
  options: Omit<LoadOptions, 'stack'>;
  participants: number;
  elapsedMs: number;
  kinds: Record<Kind, KindStats>;
  sessions: { started: number; saved: number; reviews: number; changes: number; resumed: number; cutAtDeadline: number; failed: number };
  /** Screens the driver did not expect (first few kept, for the report). */
  unexpected: string[];
  unexpectedCount: number;
  attempts: Attempt[];
  /** (phone, week) of every acknowledged "saved". */
  saved: { phone: string; week: string }[];
  weeks: string[];
}

const apologies = new Set(content.languages.map((l) => renderScreen('END', [content.strings[l]?.sorry ?? 'Sorry.'])));
const questionByScreen = new Map<string, Question>((content.diary?.questions ?? []).map((q) => [questionScreen(q, { lang: LANG, strings: s, page: 0, canGoBack: true }), q]));

export function loadPhones(count: number, offset = 20_000_000): string[] {
  return Array.from({ length: count }, (_, i) => `+2547${String(offset + i).padStart(8, '0')}`);
}

/** Imports consented English-speaking participants through the admin API (CSV), in chunks. */
export async function importParticipants(stack: Stack, phones: readonly string[]): Promise<number> {
  let created = 0;
  for (let i = 0; i < phones.length; i += 1000) {
    const rows = phones.slice(i, i + 1000).map((p) => `${p},${LANG},consented,${content.consent.version}`);
    const res = await fetch(`${stack.base}/api/v1/studies/${STUDY_ID}/participants/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer local-admin', 'content-type': 'application/json' },
      body: JSON.stringify({ csv: ['phone,language,consent,consent_version', ...rows].join('\n') }),
    });
    const body = (await res.json()) as { created?: number };
    if (res.status !== 200) throw new Error(`import failed: ${res.status} ${JSON.stringify(body)}`);
    created += body.created ?? 0;
  }
  return created;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
// The stack under load runs on the system clock (as in AWS), so its weeks are the real ones.
const weekNow = () => diaryWeek(systemClock.now(), TIME_ZONE, new Date(0)).id;

/** The numbered options a screen shows, navigation (0, 98, 99) left out. */
function visibleChoices(screen: string): number[] {
  return [...screen.matchAll(/^(\d{1,2})\. /gm)].map((m) => Number(m[1])).filter((n) => n >= 1 && n < 90);
}

/** A plausible input for a question as shown on its first page. */
function inputFor(q: Question, screen: string): string {
  switch (q.type) {
    case 'select_one':
      return q.required === false && Math.random() < 0.2 ? SKIP : String(pick(visibleChoices(screen)));
    case 'select_multiple': {
      const shown = visibleChoices(screen);
      const first = pick(shown);
      const others = shown.filter((n) => n !== first && !q.choices[n - 1]?.exclusive);
      const picked = q.choices[first - 1]?.exclusive || others.length === 0 || Math.random() < 0.5 ? [first] : [first, pick(others)].sort((a, b) => a - b);
      return picked.join(q.choices.length <= 9 ? '' : ' ');
    }
    case 'integer':
    case 'decimal': {
      const n = Math.min(q.constraint.max, Math.max(q.constraint.min, pick([0, 200, 1500, 5000, 8000, 12_345, 25_000])));
      return n >= 1000 && Math.random() < 0.3 ? n.toLocaleString('en-US') : String(n);
    }
    case 'text':
      return 'ok';
  }
}

function emptyStats(): KindStats {
  return { requests: 0, latencies: [], status: {}, networkErrors: 0, apologies: 0 };
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency + 8 });
  const kinds: Record<Kind, KindStats> = { ussd: emptyStats(), sms: emptyStats(), 'sms-delivery': emptyStats() };
  const sessions = { started: 0, saved: 0, reviews: 0, changes: 0, resumed: 0, cutAtDeadline: 0, failed: 0 };
  const unexpected: string[] = [];
  let unexpectedCount = 0;
  const attempts: Attempt[] = [];
  const saved: { phone: string; week: string }[] = [];
  const weeks = new Set<string>([weekNow()]);
  const base = new URL(o.stack.base);

  async function post(kind: Kind, path: string, fields: Record<string, string>): Promise<{ status: number; body: string } | undefined> {
    const body = atBody(fields);
    const stats = kinds[kind];
    stats.requests += 1;
    const t0 = performance.now();
    try {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { host: base.hostname, port: base.port, path, method: 'POST', agent, timeout: 120_000, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
          (r) => {
            let text = '';
            r.setEncoding('utf8');
            r.on('data', (c: string) => (text += c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body: text }));
            r.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
        req.end(body);
      });
      stats.latencies.push(performance.now() - t0);
      stats.status[res.status] = (stats.status[res.status] ?? 0) + 1;
      if (apologies.has(res.body)) stats.apologies += 1;
      return res;
    } catch {
      stats.networkErrors += 1;
      return undefined;
    }
  }

  if ((o.seconds === undefined) === (o.sessionsPerWorker === undefined)) throw new Error('load: give either seconds or sessionsPerWorker');
  const started = performance.now();
  const deadline = o.seconds === undefined ? Number.POSITIVE_INFINITY : started + o.seconds * 1000;
  let workersDone = false;
  let ackedCount = 0;
  let sessionSeq = 0;

  const oddScreen = (screen: string | undefined) => {
    unexpectedCount += 1;
    if (unexpected.length < 10) unexpected.push(screen ?? '(no response)');
    sessions.failed += 1;
  };

  /** One USSD session: dial, the diary, every question until saved (or a change made from the review, then saved). */
  async function session(phone: string, change: boolean): Promise<void> {
    const sessionId = `ATUid_load_${(sessionSeq += 1)}_${Math.random().toString(36).slice(2, 8)}`;
    const inputs: string[] = [];
    const hop = async (input?: string) => {
      if (input !== undefined) inputs.push(input);
      const res = await post('ussd', `/at/${o.stack.token}/ussd`, { sessionId, serviceCode: SERVICE_CODE, phoneNumber: phone, networkCode: '63902', text: inputs.join('*') });
      return res && res.status === 200 ? res.body : undefined;
    };
    sessions.started += 1;
    let screen = await hop();
    if (!screen?.startsWith(`CON Sauti\n1. ${s.menuDiary}`)) return oddScreen(screen);
    screen = await hop('1');
    let changing = false;
    let changed = false;
    let first = true;
    for (;;) {
      if (performance.now() > deadline) {
        sessions.cutAtDeadline += 1;
        return;
      }
      const q = screen === undefined ? undefined : questionByScreen.get(screen);
      if (q && screen !== undefined) {
        const input = inputFor(q, screen);
        const parsed = parseAnswer(q, input, LANG, s);
        if (!parsed.ok) throw new Error(`driver bug: ${input} is not an answer to ${q.id}`);
        const week = weekNow();
        weeks.add(week);
        const attempt: Attempt = { phone, week, questionId: q.id, value: (parsed.value ?? null) as AnswerValue | null, sessionId, acked: false };
        attempts.push(attempt);
        screen = await hop(input);
        // The screen after an answer acknowledges it: the next question, or the review.
        attempt.acked = screen !== undefined && (questionByScreen.has(screen) || (screen.startsWith('CON') && screen.includes(s.diarySave)));
        if (!attempt.acked) return oddScreen(screen);
        o.onAcked?.((ackedCount += 1));
        first = false;
        continue;
      }
      if (screen?.startsWith(`CON ${s.diaryResume}`)) {
        sessions.resumed += 1;
        screen = await hop('1');
        continue;
      }
      if (screen?.startsWith('CON') && screen.includes(s.diarySave)) {
        if (first) sessions.reviews += 1;
        first = false;
        if (change && !changed) {
          changed = true;
          changing = true;
          screen = await hop('2');
          continue;
        }
        const week = weekNow();
        screen = await hop('1');
        if (screen !== `END ${s.diarySaved}`) return oddScreen(screen);
        saved.push({ phone, week });
        sessions.saved += 1;
        return;
      }
      if (changing && screen?.startsWith(`CON ${s.diaryWhichChange}`)) {
        changing = false;
        sessions.changes += 1;
        screen = await hop(String(pick(visibleChoices(screen))));
        continue;
      }
      return oddScreen(screen);
    }
  }

  async function worker(phones: readonly string[]): Promise<void> {
    const more = (i: number) => (o.sessionsPerWorker === undefined ? performance.now() < deadline : i < o.sessionsPerWorker);
    for (let i = 0; more(i); i += 1) {
      await session(phones[i % phones.length] as string, i >= phones.length);
    }
  }

  async function trickle(every: number, send: (i: number) => Promise<unknown>): Promise<void> {
    // Alongside the sessions, for as long as they run.
    for (let i = 0; !workersDone && performance.now() < deadline; i += 1) {
      await send(i);
      await new Promise((r) => setTimeout(r, every));
    }
  }

  const phones = loadPhones(o.concurrency * o.participantsPerWorker, o.phoneOffset);
  const seeded = (n: number) => `+2547000000${String(n).padStart(2, '0')}`;
  const sms = (i: number) => {
    const id = `ATXid_load_sms_${i}_${Math.random().toString(36).slice(2, 8)}`;
    const send = (from: string, text: string) => post('sms', `/at/${o.stack.token}/sms`, { id, from, to: '20880', text, date: systemClock.now().toISOString(), linkId: '', networkCode: '63902' });
    // Diary replies from seeded participants, STOP then START from others, and strangers.
    switch (i % 4) {
      case 0:
        return send(seeded(1 + (i % 24)), pick(['D 8000 M 200 500', 'd 8,000 m 0 0', 'D 0 M 100 0']));
      case 1:
        return send(seeded(25 + (i % 12)), 'STOP');
      case 2:
        return send(seeded(25 + ((i - 1) % 12)), 'START');
      default:
        return send(`+2547330${String(i % 100_000).padStart(5, '0')}`, pick(['hello', 'HELP', 'D 100 M 1 1']));
    }
  };
  const delivery = (i: number) =>
    post('sms-delivery', `/at/${o.stack.token}/sms/delivery`, {
      id: `ATXid_load_dr_${i}_${Math.random().toString(36).slice(2, 10)}`,
      status: pick(['Sent', 'Submitted', 'Success', 'Failed', 'Rejected']),
      phoneNumber: seeded(1 + (i % 36)),
      networkCode: '63902',
      failureReason: '',
      retryCount: '0',
    });

  const workers = Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(phones.slice(w * o.participantsPerWorker, (w + 1) * o.participantsPerWorker)))).finally(() => {
    workersDone = true;
  });
  await Promise.all([
    workers,
    trickle(o.smsEveryMs, sms),
    trickle(o.deliveryEveryMs, delivery),
  ]);
  const elapsedMs = performance.now() - started;
  agent.destroy();
  weeks.add(weekNow());
  const { stack: _stack, ...options } = o;
  return { options, participants: phones.length, elapsedMs, kinds, sessions, unexpected, unexpectedCount, attempts, saved, weeks: [...weeks].sort() };
}

export interface Reconciliation {
  weeks: string[];
  recordsRead: number;
  /** Distinct (participant, week, question) the driver sent answers for / got acknowledged. */
  keysTried: number;
  keysAcked: number;
  attempts: number;
  acked: number;
  stored: number;
  /** Acknowledged, then not in the store. */
  lost: string[];
  /** In the store with another value than the last one acknowledged (nor a later unacknowledged try). */
  changed: string[];
  /** In the store for a load participant, never sent by the driver. */
  unexpected: string[];
  /** More than one week record for a participant and week. */
  duplicateRecords: string[];
  /** Acknowledged "saved", and the record is not complete. */
  notComplete: string[];
}

const same = (a: AnswerValue | null | undefined, b: AnswerValue | null | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Reads every diary week of the study in the weeks of the run and checks the driver's ledger against it. */
export async function reconcile(dynamoEndpoint: string, tableName: string, load: LoadResult): Promise<Reconciliation> {
  const doc = createDocumentClient({ endpoint: dynamoEndpoint, region: 'local' });
  const ours = new Set(load.attempts.map((a) => a.phone).concat(load.saved.map((x) => x.phone)));
  const phoneOf = new Map((await new DynamoParticipantStore(doc, tableName).listByStudy(STUDY_ID)).map((p) => [p.participantId, p.phone]));
  const reader = new DynamoDiaryReader(doc, tableName);
  const stored = new Map<string, { value: AnswerValue | null; sessionId?: string | undefined }>();
  const complete = new Set<string>();
  const recordCount = new Map<string, number>();
  let recordsRead = 0;
  for (const week of load.weeks) {
    for (const r of await reader.week(STUDY_ID, week)) {
      recordsRead += 1;
      const phone = phoneOf.get(r.participantId);
      if (!phone || !ours.has(phone)) continue;
      const rk = `${phone} ${week}`;
      recordCount.set(rk, (recordCount.get(rk) ?? 0) + 1);
      if (r.complete) complete.add(rk);
      for (const [questionId, a] of Object.entries(r.answers ?? {})) stored.set(`${rk} ${questionId}`, { value: a.value, sessionId: a.sessionId });
    }
  }
  // Per key, in the order sent (one virtual participant per number, so per number in time order).
  const byKey = new Map<string, Attempt[]>();
  for (const a of load.attempts) {
    const k = `${a.phone} ${a.week} ${a.questionId}`;
    byKey.set(k, [...(byKey.get(k) ?? []), a]);
  }
  const lost: string[] = [];
  const changed: string[] = [];
  let keysAcked = 0;
  for (const [k, tries] of byKey) {
    const lastAcked = tries.map((t) => t.acked).lastIndexOf(true);
    const got = stored.get(k);
    if (lastAcked < 0) continue;
    keysAcked += 1;
    if (!got) {
      lost.push(k);
      continue;
    }
    const allowed = tries.slice(lastAcked);
    const match = allowed.find((t, i) => same(t.value, got.value) && (i > 0 || t.sessionId === got.sessionId || !got.sessionId));
    if (!match) changed.push(`${k}: acknowledged ${JSON.stringify(tries[lastAcked]?.value)} in ${tries[lastAcked]?.sessionId}, stored ${JSON.stringify(got.value)} in ${got.sessionId}`);
  }
  return {
    weeks: load.weeks,
    recordsRead,
    keysTried: byKey.size,
    keysAcked,
    attempts: load.attempts.length,
    acked: load.attempts.filter((a) => a.acked).length,
    stored: stored.size,
    lost,
    changed,
    unexpected: [...stored.keys()].filter((k) => !byKey.has(k)),
    duplicateRecords: [...recordCount].filter(([, n]) => n > 1).map(([k, n]) => `${k}: ${n} records`),
    notComplete: [...new Set(load.saved.map((x) => `${x.phone} ${x.week}`))].filter((k) => !complete.has(k)),
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export interface KindSummary {
  kind: Kind;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  http5xx: number;
  httpOther: number;
  networkErrors: number;
  apologies: number;
}

export function summarize(load: LoadResult): KindSummary[] {
  return (Object.keys(load.kinds) as Kind[]).map((kind) => {
    const k = load.kinds[kind];
    const sorted = [...k.latencies].sort((a, b) => a - b);
    const count = (pred: (status: number) => boolean) => Object.entries(k.status).filter(([st]) => pred(Number(st))).reduce((n, [, c]) => n + c, 0);
    return {
      kind,
      requests: k.requests,
      perSecond: k.requests / (load.elapsedMs / 1000),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      http5xx: count((st) => st >= 500),
      httpOther: count((st) => st !== 200 && st < 500),
      networkErrors: k.networkErrors,
      apologies: k.apologies,
    };
  });
}

/** The figures as Markdown, for the console and RELIABILITY.md. */
export function formatReport(load: LoadResult, rec: Reconciliation): string {
  const ms = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(n < 10 ? 1 : 0));
  const rows = summarize(load).map((k) => `| ${k.kind} | ${k.requests} | ${k.perSecond.toFixed(1)} | ${ms(k.p50)} | ${ms(k.p99)} | ${ms(k.max)} | ${k.http5xx} | ${k.httpOther} | ${k.networkErrors} | ${k.apologies} |`);
  const ss = load.sessions;
  const list = (xs: string[]) => (xs.length === 0 ? '0' : `${xs.length}: ${xs.slice(0, 5).join('; ')}${xs.length > 5 ? '; …' : ''}`);
  return [
    `${load.options.concurrency} virtual participants at once for ${(load.elapsedMs / 1000).toFixed(1)} s (${load.participants} imported participants, ${load.options.participantsPerWorker} each), and meanwhile one incoming SMS at a time (${load.options.smsEveryMs} ms apart) and one delivery report at a time (${load.options.deliveryEveryMs} ms apart): a trickle, its rate set by its own latency.`,
    '',
    '| request | count | per s | p50 ms | p99 ms | max ms | 5xx | other non-200 | network errors | apologies |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `USSD sessions: ${ss.started} started, ${ss.saved} diaries saved, ${ss.reviews} re-dials landing on the review, ${ss.changes} answers changed from the review, ${ss.resumed} resumed, ${ss.cutAtDeadline} cut at the deadline (as a dropped session), ${ss.failed} ended on an unexpected screen.`,
    ...(load.unexpected.length > 0 ? ['', 'Unexpected screens (first ones):', ...load.unexpected.map((x) => `- \`${JSON.stringify(x)}\``)] : []),
    '',
    '**Reconciliation** (read back from DynamoDB Local with `DynamoDiaryReader.week`, weeks ' + rec.weeks.join(', ') + '):',
    '',
    `- tried: ${rec.attempts} answers sent, ${rec.acked} acknowledged, on ${rec.keysTried} distinct (participant, week, question), ${rec.keysAcked} of them acknowledged; ${load.saved.length} diaries acknowledged as saved.`,
    `- found: ${rec.recordsRead} week records read (the seeded participants' SMS diaries included), ${rec.stored} stored answers of the load participants.`,
    `- lost (acknowledged, not stored): ${list(rec.lost)}`,
    `- changed (stored value or session differs from the last acknowledged one): ${list(rec.changed)}`,
    `- stored twice (more than one week record for a participant and week): ${list(rec.duplicateRecords)}`,
    `- stored but never sent: ${list(rec.unexpected)}`,
    `- acknowledged as saved, record not complete: ${list(rec.notComplete)}`,
  ].join('\n');
}

/** True when nothing acknowledged was lost, changed or duplicated. */
export function reconciled(rec: Reconciliation): boolean {
  return rec.lost.length + rec.changed.length + rec.duplicateRecords.length + rec.unexpected.length + rec.notComplete.length === 0;
}

/** The DynamoDB Local endpoint and table the stack's banner prints. */
export function dynamoOf(stack: Stack): { endpoint: string; table: string } {
  const m = /DynamoDB Local\s+(http:\/\/\S+)\s+\(table (\S+),/.exec(stack.output());
  if (!m) throw new Error('the stack did not print its DynamoDB Local endpoint');
  return { endpoint: m[1] as string, table: m[2] as string };
}
