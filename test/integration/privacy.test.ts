import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { dispatchAll } from '../../functions/adapters/dynamo/dispatch-ports.js';
import { DynamoForgetStore } from '../../functions/adapters/dynamo/forget-store.js';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoDiaryReader } from '../../functions/adapters/dynamo/diary-reader.js';
import { DynamoOutboxGateway } from '../../functions/adapters/dynamo/outbox-gateway.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import { pseudonym, studyKey } from '../../functions/core/export/pseudonym.js';
import type { Participant } from '../../functions/core/model.js';
import type { ForgetJob } from '../../functions/core/ports/forget.js';
import { mentionsPhone, phoneVariants } from '../../functions/core/privacy/forget.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import { DEMO_SMS_SHORT_CODE, DHAKA_SMS_SHORT_CODE } from '../../infra/local/demo.js';
import { keys } from '../../functions/adapters/dynamo/keys.js';
import { lambdaContext } from '../../infra/local/event.js';
import { seedDemos } from '../../infra/local/seed.js';
import { type ApiHandler, apiHandler, callApi } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { callbackEvent, enrolmentInputs, texts, ussdEvent } from '../support/ussd.js';

/**
 * "Forget me" end to end on DynamoDB Local, through the real handlers: a participant enrols by
 * USSD, answers and complains by SMS, gets replies (sent to the local outbox); then forgets by
 * SMS (FORGET, then YES FORGET within 24 hours) or an admin forgets them over the API. After
 * that no item of the table holds their number in any form, the export still has their diary
 * rows under the same pseudonymous id, the dispatcher sends them nothing, and forgetting again
 * changes nothing.
 */
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const STUDY = 'athi-river-2026';
const SECRET = 'privacy-test-pseudonym-key-0123456789';
const TOKEN = 'test-token';
let t: TestTable;
let ussd: Handler;
let callbacks: Handler;
let send: (e: SQSEvent) => Promise<unknown>;
let api: ApiHandler;
let now = Date.parse('2026-11-24T07:00:00Z');
const clock = { now: () => new Date(now) };
const queued: OutboundMessage[] = [];
const queue = { enqueue: async (ms: readonly OutboundMessage[]) => void queued.push(...ms) };
// The forget queue: jobs wait here until `runForgets` hands them to the worker, as SQS does.
const jobs: ForgetJob[] = [];
const forgets = { enqueue: async (job: ForgetJob) => void jobs.push(job) };
let forgetWorker: (e: SQSEvent) => Promise<{ batchItemFailures: unknown[] }>;
// A fresh context per call: its deadline counts from when it is made.
const ctx = () => lambdaContext('test', 8000);

beforeAll(async () => {
  t = await createTestTable();
  await seedDemos(t.doc, t.tableName, '*384*123#', new Date('2026-11-23T06:00:00Z'));
  Object.assign(process.env, {
    TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SAUTI_CALLBACK_TOKEN: TOKEN, SAUTI_PSEUDONYM_KEY: SECRET,
    SAUTI_EXPORT_DIR: mkdtempSync(join(tmpdir(), 'sauti-privacy-')), POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  ussd = (await import('../../functions/ussd/handler.js')).createUssdHandler({ clock });
  callbacks = (await import('../../functions/at-callbacks/handler.js')).createCallbacksHandler({ queue, clock, forgets });
  forgetWorker = (await import('../../functions/forget/handler.js')).createForgetHandler({ queue, clock });
  send = (await import('../../functions/sms-send/handler.js')).createSendHandler({ gateway: new DynamoOutboxGateway(t.doc, t.tableName, clock.now), clock });
  api = await apiHandler(t, { 'a-token': { role: 'admin', name: 'Admin Ada' }, 'r-token': { role: 'researcher' } }, { now: () => now, forgets });
});

const participants = () => new DynamoParticipantStore(t.doc, t.tableName);

let enrolSeq = 0;
async function enrol(phoneNumber: string): Promise<Participant> {
  for (const text of texts(enrolmentInputs(1))) await ussd(ussdEvent({ sessionId: `enrol-${phoneNumber.slice(-3)}-${(enrolSeq += 1)}`, serviceCode: '*384*123#', phoneNumber, text }), ctx());
  const p = await participants().getByPhone(STUDY, phoneNumber);
  expect(p?.consent.state).toBe('consented');
  return p as Participant;
}

let smsSeq = 0;
async function sms(from: string, text: string, id = `sms-${(smsSeq += 1)}`): Promise<OutboundMessage | undefined> {
  const before = queued.length;
  const fields = { from, to: DEMO_SMS_SHORT_CODE, text, id, date: new Date(now).toISOString(), linkId: '', networkCode: '63902' };
  const res = await callbacks(callbackEvent('/sms', fields, TOKEN), ctx());
  expect(res.statusCode).toBe(200);
  return queued.length > before ? queued[queued.length - 1] : undefined;
}

/** Runs the forget worker over the queued jobs; returns how many it ran. */
async function runForgets(): Promise<number> {
  const batch = jobs.splice(0);
  const out = await forgetWorker({ Records: batch.map((j, i) => ({ messageId: `forget-${i}`, body: JSON.stringify(j), attributes: { ApproximateReceiveCount: '1' } })) } as unknown as SQSEvent);
  expect(out.batchItemFailures).toEqual([]);
  return batch.length;
}

/** Runs the sender over what is queued (the local outbox records each SMS with its number). */
async function drain(): Promise<void> {
  const batch = queued.splice(0);
  if (batch.length === 0) return;
  await send({ Records: batch.map((m, i) => ({ messageId: `sqs-${i}-${m.messageId}`, body: JSON.stringify(m), attributes: { ApproximateReceiveCount: '1' } })) } as unknown as SQSEvent);
}

async function scanAll(doc: DynamoDBDocumentClient = t.doc): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

const holding = async (phone: string) => (await scanAll()).filter((i) => mentionsPhone(i, phoneVariants(phone)));

/** The rows of a diary_long export (as an admin: no phone column asked for) for one pseudonymous id. */
async function exportRows(pid: string, dataset = 'diary_long'): Promise<string[]> {
  const res = await callApi(api, 'POST', `/studies/${STUDY}/exports`, { token: 'r-token', body: { dataset } });
  expect(res.status).toBe(200);
  const csv = await readFile(String(res.body.file), 'utf8');
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  const col = (header ?? '').split(',').indexOf('pid');
  expect(col).toBeGreaterThanOrEqual(0);
  return lines.filter((l) => l.split(',')[col] === pid);
}

const pidOf = (phone: string) => pseudonym(phone, studyKey(SECRET, STUDY));

/** A participant with a diary week, a complaint, a help reply, messages in the outbox. */
async function activeParticipant(phone: string): Promise<Participant> {
  const p = await enrol(phone);
  expect((await sms(phone, 'D 8000 M 200 500'))?.text).toMatch(/saved/);
  expect((await sms(phone, 'P my agent 0712 charged me twice'))?.text).toMatch(/problem|ref|received/i);
  expect((await sms(phone, 'hello there'))?.text).toBeDefined();
  await drain();
  // Every kind of item the flow writes holds the number before (in attributes: keys hold only its hash):
  // partition, messages, callbacks, session, outbox. The once-marker of the help reply exists, keyed by a hash, holding nothing.
  const kinds = new Set((await holding(phone)).map((i) => String(i.pk).split('#')[0]));
  expect([...kinds].sort()).toEqual(expect.arrayContaining(['CALLBACK', 'MSG', 'OUTBOX', 'STUDY', 'USSD']));
  expect((await scanAll()).filter((i) => String(i.pk).startsWith('ONCE#')).length).toBeGreaterThan(0);
  return p;
}

async function forgottenProfile(p: Participant): Promise<Participant | undefined> {
  return (await new DynamoForgetStore(t.doc, t.tableName).findById(STUDY, p.participantId)).forgotten;
}

describe('forget me by SMS, with confirmation', () => {
  const PHONE = '+254713555001';
  let p: Participant;
  let before: string[];
  let messagesBefore = 0;

  it('asks for a confirmation first, and forgets nothing on FORGET alone', async () => {
    p = await activeParticipant(PHONE);
    before = await exportRows(pidOf(PHONE));
    expect(before.length).toBeGreaterThan(0);
    messagesBefore = (await exportRows(pidOf(PHONE), 'messages')).length;
    expect(messagesBefore).toBe(3);
    const ask = await sms(PHONE, 'forget');
    expect(ask?.text).toBe(content.sms?.forgetAsk.en);
    expect(ask?.stopConfirmation).toBe(true);
    const stored = await participants().getByPhone(STUDY, PHONE);
    expect(stored?.forgetRequest?.at).toBe(new Date(now).toISOString());
    expect(stored?.consent.state).toBe('consented');
  });

  it('forgets on YES FORGET within 24 hours: no item holds the number in any form', async () => {
    now += 23 * 3600_000;
    // A prompt the dispatcher planned and queued before the forget, still in the queue after it.
    const prompt: OutboundMessage = { messageId: `prompt-${p.participantId}`, studyId: STUDY, participantId: p.participantId, phone: PHONE, text: 'This week\'s diary', treatmentOnly: false };
    await new DynamoMessageStore(t.doc, t.tableName).create({ ...prompt, purpose: 'prompt', period: '2026-W48', createdAt: new Date(now).toISOString() });
    // Queued, not yet run: nothing is confirmed, the number is still there.
    expect(await sms(PHONE, 'Yes forget')).toBeUndefined();
    expect(jobs).toHaveLength(1);
    expect((await holding(PHONE)).length).toBeGreaterThan(0);
    expect(await runForgets()).toBe(1);
    // Confirmed once the forget has finished.
    expect(queued.at(-1)?.text).toBe(content.sms?.forgetDone.en);
    expect(await holding(PHONE)).toEqual([]);
    expect(await participants().getByPhone(STUDY, PHONE)).toBeUndefined();
    const kept = await forgottenProfile(p);
    expect(kept).toMatchObject({ participantId: p.participantId, phone: `forgotten:${p.participantId}`, consent: { state: 'withdrawn' }, forgotten: { by: 'participant', pseudonym: pidOf(PHONE) } });
    expect(kept?.baseline?.answers).toEqual(p.baseline?.answers);
    // The sender's send-time check refuses the prompt queued before: nothing reaches the outbox.
    queued.splice(0);
    queued.push(prompt);
    await drain();
    expect(await new DynamoMessageStore(t.doc, t.tableName).get(prompt.messageId)).toMatchObject({ status: 'skipped', failureReason: 'unknown-participant' });
    expect(await holding(PHONE)).toEqual([]);
  });

  it('keeps the diary rows in the export, under the same pseudonymous id, and in the impact report\'s reads', async () => {
    expect(await exportRows(pidOf(PHONE))).toEqual(before);
    // The impact report reads diary weeks by ISO week (gsi1) and participants (arms) from the study index.
    const week = (await new DynamoDiaryReader(t.doc, t.tableName).week(STUDY, '2026-W48')).filter((w) => w.participantId === p.participantId);
    expect(week).toHaveLength(1);
    expect(week[0]?.answers).toMatchObject({ wage_amount: { value: 8000 }, saved_amount: { value: 500 } });
    expect((await participants().listByStudy(STUDY)).filter((x) => x.participantId === p.participantId).map((x) => x.phone)).toEqual([`forgotten:${p.participantId}`]);
    // The complaint stays countable (provider, category, week), without the participant's words.
    expect(await exportRows(pidOf(PHONE), 'complaints')).toHaveLength(1);
    // Their messages too (the replies before, the FORGET answers and the skipped prompt), numberless now.
    expect(await exportRows(pidOf(PHONE), 'messages')).toHaveLength(messagesBefore + 3);
  });

  it('the dispatcher sends them nothing, whatever the day and hour, while others still get prompts', async () => {
    queued.length = 0;
    for (let h = 0; h < 8 * 24; h += 3) await dispatchAll(t.doc, t.tableName, queue, content, new Date(now + h * 3600_000));
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.filter((m) => m.participantId === p.participantId || m.phone === PHONE)).toEqual([]);
    queued.length = 0;
  });

  it('a resent confirmation, and an admin forgetting again, change nothing', async () => {
    const snapshot = JSON.stringify(await scanAll());
    // AT resends the same callback (same id): it is stored once and already acted on.
    await sms(PHONE, 'Yes forget', `sms-${smsSeq}`);
    expect(jobs).toEqual([]);
    const again = await callApi(api, 'POST', `/studies/${STUDY}/participants/${p.participantId}/forget`, { token: 'a-token', body: { confirm: true, reason: 'asked twice' } });
    expect(again).toEqual({ status: 200, body: { participantId: p.participantId, forgotten: true, already: true } });
    expect(JSON.stringify(await scanAll())).toBe(snapshot);
  });
});

describe('forget me by SMS: the confirmation window', () => {
  const PHONE = '+254713555002';

  it('refuses YES FORGET with no request, and one more than 24 hours after it, keeping everything', async () => {
    const p = await activeParticipant(PHONE);
    expect((await sms(PHONE, 'YES FORGET'))?.text).toBe(content.sms?.forgetNothing.en);
    await sms(PHONE, 'FORGET');
    now += 24 * 3600_000 + 60_000;
    expect((await sms(PHONE, 'YES FORGET'))?.text).toBe(content.sms?.forgetNothing.en);
    expect((await participants().getByPhone(STUDY, PHONE))?.participantId).toBe(p.participantId);
    expect(await forgottenProfile(p)).toBeUndefined();
    // A new request starts a new window.
    await sms(PHONE, 'sahau');
    now += 60_000;
    expect(await sms(PHONE, 'ndiyo sahau')).toBeUndefined();
    await runForgets();
    expect(queued.at(-1)?.text).toBe(content.sms?.forgetDone.en);
    expect(await holding(PHONE)).toEqual([]);
  });
});

describe('forget by an admin over the API', () => {
  const PHONE = '+254713555003';

  it('needs an explicit confirmation and a reason', async () => {
    const p = await activeParticipant(PHONE);
    const bad = await callApi(api, 'POST', `/studies/${STUDY}/participants/${p.participantId}/forget`, { token: 'a-token', body: { reason: 'x' } });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as { field: string }[]).map((x) => x.field).sort()).toEqual(['confirm', 'reason']);
    expect((await callApi(api, 'POST', `/studies/${STUDY}/participants/p_nobody/forget`, { token: 'a-token', body: { confirm: true, reason: 'helpline call' } })).status).toBe(404);
    expect((await holding(PHONE)).length).toBeGreaterThan(0);
  });

  it('survives a crash half-way: the re-run finishes, and the result is that of a clean run', async () => {
    const p = (await participants().getByPhone(STUDY, PHONE)) as Participant;
    const before = await exportRows(pidOf(PHONE));
    // The first run dies at its third delete (a diary week and a complaint moved, the profile not yet gone).
    let deletes = 0;
    const failing = new Proxy(t.doc, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return (command: unknown) => {
          if (command instanceof DeleteCommand && (deletes += 1) === 3) return Promise.reject(new Error('crash'));
          return target.send(command as never);
        };
      },
    });
    await expect(new DynamoForgetStore(failing, t.tableName).forget(p, { at: new Date(now).toISOString(), by: 'admin', pseudonym: pidOf(PHONE) }, { by: 'Admin Ada' })).rejects.toThrow('crash');
    expect(await participants().getByPhone(STUDY, PHONE)).toBeDefined();

    const res = await callApi(api, 'POST', `/studies/${STUDY}/participants/${p.participantId}/forget`, { token: 'a-token', body: { confirm: true, reason: `Called the helpline from ${PHONE}` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ participantId: p.participantId, queued: true, already: false });
    expect((await holding(PHONE)).length).toBeGreaterThan(0);
    expect(await runForgets()).toBe(1);
    expect(await holding(PHONE)).toEqual([]);
    expect(await exportRows(pidOf(PHONE))).toEqual(before);
    // Audited: who, when, which participant, why; the number typed into the reason is redacted.
    const audit = (await scanAll()).filter((i) => i.action === 'forget' && i.participantId === p.participantId);
    expect(audit.at(-1)).toMatchObject({ by: 'Admin Ada', requestedBy: 'admin', reason: `Called the helpline from forgotten:${p.participantId}` });
    // Nothing left to do: a second request answers so, and writes nothing.
    const snapshot = JSON.stringify(await scanAll());
    expect((await callApi(api, 'POST', `/studies/${STUDY}/participants/${p.participantId}/forget`, { token: 'a-token', body: { confirm: true, reason: 'again' } })).body).toMatchObject({ already: true });
    expect(JSON.stringify(await scanAll())).toBe(snapshot);
    // The participant's number can enrol again, as someone new.
    const again = await enrol(PHONE);
    expect(again.participantId).not.toBe(p.participantId);
  });
});

describe('callback hardening: refused requests change nothing', () => {
  const PHONE = '+254713555009';
  const smsEvent = (fields: Record<string, string>, token = TOKEN, sourceIp = '127.0.0.1'): APIGatewayProxyEventV2 => callbackEvent('/sms', fields, token, { sourceIp });
  const inbound = { from: PHONE, to: DEMO_SMS_SHORT_CODE, text: 'HELP', id: 'hard-1' };

  async function unchanged(run: () => Promise<void>): Promise<void> {
    const before = JSON.stringify(await scanAll());
    await run();
    expect(JSON.stringify(await scanAll())).toBe(before);
  }

  it('403 from a source outside AT_SOURCE_IPS, on the USSD and the SMS callback', async () => {
    process.env.AT_SOURCE_IPS = '196.201.214.0/24';
    try {
      await unchanged(async () => {
        expect((await ussd(ussdEvent({ sessionId: 'hard-u', serviceCode: '*384*123#', phoneNumber: PHONE, text: '' }), ctx())).statusCode).toBe(403);
        expect((await callbacks(smsEvent(inbound), ctx())).statusCode).toBe(403);
      });
      const allowed = smsEvent(inbound, TOKEN, '196.201.214.10');
      expect((await callbacks(allowed, ctx())).statusCode).toBe(200);
    } finally {
      delete process.env.AT_SOURCE_IPS;
    }
  });

  it('413 for an oversize body, 400 for a callback without its id, a clean END for a malformed USSD form', async () => {
    await unchanged(async () => {
      expect((await callbacks(smsEvent({ ...inbound, id: 'hard-2', text: 'x'.repeat(70_000) }), ctx())).statusCode).toBe(413);
      const big = ussdEvent({ sessionId: 'hard-big', serviceCode: '*384*123#', phoneNumber: PHONE, text: '1'.repeat(70_000) });
      expect((await ussd(big, ctx())).statusCode).toBe(413);
      expect((await callbacks(smsEvent({ from: PHONE, to: DEMO_SMS_SHORT_CODE, text: 'STOP' }), ctx())).statusCode).toBe(400);
      const malformed = { ...ussdEvent({ sessionId: 'hard-m', serviceCode: '*384*123#', phoneNumber: PHONE, text: '' }), body: Buffer.from('sessionId=&phoneNumber=%ZZ&text=1').toString('base64') };
      const res = await ussd(malformed, ctx());
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^END /);
    });
  });

  it('accepts the previous callback token during its grace period only', async () => {
    const saved = process.env.SAUTI_CALLBACK_TOKEN;
    try {
      process.env.SAUTI_CALLBACK_TOKEN = JSON.stringify({ current: 'new-token', previous: TOKEN, previousValidUntil: new Date(now + 60_000).toISOString() });
      expect((await callbacks(smsEvent({ ...inbound, id: 'rot-1' }), ctx())).statusCode).toBe(200);
      expect((await callbacks(smsEvent({ ...inbound, id: 'rot-2' }, 'new-token'), ctx())).statusCode).toBe(200);
      process.env.SAUTI_CALLBACK_TOKEN = JSON.stringify({ current: 'new-token', previous: TOKEN, previousValidUntil: new Date(now - 1).toISOString() });
      await unchanged(async () => {
        expect((await callbacks(smsEvent({ ...inbound, id: 'rot-3' }), ctx())).statusCode).toBe(404);
        expect((await ussd(ussdEvent({ sessionId: 'rot-u', serviceCode: '*384*123#', phoneNumber: PHONE, text: '' }, TOKEN), ctx())).statusCode).toBe(404);
      });
    } finally {
      process.env.SAUTI_CALLBACK_TOKEN = saved;
    }
  });
});

describe('data retention per study, on the dispatcher tick (fake clock)', () => {
  const PHONE = '+254713555010';
  const DAY = 86_400_000;
  let start: number;

  async function post(path: string, fields: Record<string, string>): Promise<void> {
    expect((await callbacks(callbackEvent(path, fields, TOKEN), ctx())).statusCode).toBe(200);
  }
  const raw = async () => (await scanAll()).filter((i) => String(i.pk).startsWith('CALLBACK#') || String(i.sk).startsWith('COMPLAINT#'));
  const find = async (pk: string) => (await raw()).find((i) => i.pk === pk) as { fields: Record<string, string>; bodiesBlankedAt?: string } | undefined;

  it('blanks raw SMS and USSD text, SMS complaint words and voice complaint recordings, N days after receipt; other studies keep theirs', async () => {
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: keys.study(STUDY), UpdateExpression: 'SET retention = :r', ExpressionAttributeValues: { ':r': { rawSmsDays: 30 } } }));
    start = now;
    await enrol(PHONE);
    await sms(PHONE, 'P the agent kept my change');
    await post('/ussd/events', { sessionId: 'ret-s1', serviceCode: '*384*123#', phoneNumber: PHONE, status: 'Success', input: '1*2*500', lastAppResponse: 'END Thank you', durationInMillis: '9000', hopsCount: '3' });
    await post('/sms/delivery', { id: 'ATX-ret-1', status: 'Success', phoneNumber: PHONE, networkCode: '63902', retryCount: '0' });
    const bd = '+8801712555010';
    await post('/sms', { from: bd, to: DHAKA_SMS_SHORT_CODE, text: 'সাহায্য', id: 'ret-bd-1', date: '', linkId: '', networkCode: '47001' });
    // A complaint by voice: its recording's URL is the participant's raw input, as an SMS is.
    const voicePhone = '+254700009301';
    const caller = await enrol(voicePhone);
    const recording = 'https://voice.example.test/recordings/ret-voice-1.mp3';
    await new DynamoUssdStore(t.doc, t.tableName).saveComplaint({
      studyId: STUDY, participantId: caller.participantId, phone: voicePhone,
      ref: 'VRET1', provider: 'unknown', category: 'other', recordingUrl: recording, week: '2026-W01', at: new Date(start).toISOString(), channel: 'voice', sessionId: 'ATVId_ret',
    });
    const voiceComplaint = async () => (await raw()).find((i) => String(i.sk).startsWith('COMPLAINT#') && i.phone === voicePhone);
    const smsPk = `CALLBACK#sms-inbound#sms-${smsSeq}`;
    expect((await find(smsPk))?.fields.text).toBe('P the agent kept my change');

    // Day 29: none of these is old enough (older callbacks of the tests above may go).
    const early = await dispatchAll(t.doc, t.tableName, queue, content, new Date(start + 29 * DAY));
    expect(early.retention?.ran).toBe(true);
    expect((await find(smsPk))?.fields.text).toBe('P the agent kept my change');
    expect((await find('CALLBACK#ussd-event#ret-s1'))?.fields.input).toBe('1*2*500');
    expect((await raw()).find((i) => String(i.sk).startsWith('COMPLAINT#') && i.phone === PHONE)?.text).toBe('P the agent kept my change'.slice(2));
    expect((await voiceComplaint())?.recordingUrl).toBe(recording);

    // Day 31: gone, and only the text.
    const late = await dispatchAll(t.doc, t.tableName, queue, content, new Date(start + 31 * DAY));
    expect(late.retention?.ran).toBe(true);
    expect(late.retention?.callbacks).toBeGreaterThanOrEqual(2);
    const inboundSms = await find(smsPk);
    expect(inboundSms?.fields).toMatchObject({ from: PHONE, to: DEMO_SMS_SHORT_CODE });
    expect(inboundSms?.fields.text).toBeUndefined();
    const event = await find('CALLBACK#ussd-event#ret-s1');
    expect(event?.fields).toMatchObject({ status: 'Success', hopsCount: '3' });
    expect(event?.fields.input).toBeUndefined();
    expect(event?.fields.lastAppResponse).toBeUndefined();
    const complaint = (await raw()).find((i) => String(i.sk).startsWith('COMPLAINT#') && i.phone === PHONE);
    expect(complaint).toMatchObject({ provider: 'unknown', category: 'other', channel: 'sms' });
    expect(complaint?.text).toBeUndefined();
    expect(await voiceComplaint()).toMatchObject({ provider: 'unknown', category: 'other', channel: 'voice', ref: 'VRET1' });
    expect((await voiceComplaint())?.recordingUrl).toBeUndefined();
    // No text in delivery reports; the Dhaka study keeps raw text (no retention set).
    expect((await find('CALLBACK#sms-delivery#ATX-ret-1#Success'))?.bodiesBlankedAt).toBeUndefined();
    expect((await find('CALLBACK#sms-inbound#ret-bd-1'))?.fields.text).toBe('সাহায্য');
    // Once a day: the next tick the same day does not scan again.
    expect((await dispatchAll(t.doc, t.tableName, queue, content, new Date(start + 31 * DAY + 3600_000))).retention).toBeUndefined();
    queued.length = 0;
  });
});
