import { keys } from '../../functions/adapters/dynamo/keys.js';
import { envPhoneKeys } from '../../functions/adapters/phone-key.js';
/**
 * The diary by voice over HTTP: the fake AT voice platform calls `/at/{token}/voice` on the
 * local server (the same route table and handler as `npm start`) with seeded demo participants.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { generateAudio } from '../../content/audio.js';
import { audioFileForUrl } from '../../functions/adapters/audio-files.js';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { DynamoStudyStore } from '../../functions/adapters/dynamo/study-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import { DynamoVoiceCallStore } from '../../functions/adapters/dynamo/voice-calls.js';
import type { WeekRecord } from '../../functions/core/diary/week-record.js';
import type { Study } from '../../functions/core/model.js';
import { weekOf } from '../../functions/core/ussd/participant-hop.js';
import { firstUnanswered } from '../../functions/core/ussd/diary-flow.js';
import { diaryView } from '../../functions/core/voice/service.js';
import { seedDemos } from '../../infra/local/seed.js';
import { createLocalServer } from '../../infra/local/server.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { FakeAtVoice, type FakeAtVoiceCall, type VoiceTurn } from '../support/fake-at-voice.js';
import { keyOfUrl, playUrls, responseProblems } from '../support/voice-xml.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const TOKEN = 'voice-token';
const clock = { now: () => new Date('2026-12-02T09:00:00Z') };
const form = content.diary!;
let t: TestTable;
let server: Server;
let base: string;
let at: FakeAtVoice;
let kenya: Study;
let dhaka: Study;

beforeAll(async () => {
  // The recordings the local stack plays (idempotent: only what is missing or changed is made).
  generateAudio();
  t = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SAUTI_CALLBACK_TOKEN: TOKEN });
  await seedDemos(t.doc, t.tableName, '*384*123#', clock.now());
  const studies = new DynamoStudyStore(t.doc, t.tableName);
  kenya = (await studies.getStudy('athi-river-2026'))!;
  dhaka = (await studies.getStudy('dhaka-2026'))!;
  const none: Handler = () => Promise.reject(new Error('not used'));
  server = createLocalServer({ ussd: none, atCallbacks: none, api: none }, { clock });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  at = new FakeAtVoice(base, TOKEN);
}, 180_000);
afterAll(() => {
  server?.close();
});

async function week(study: Study, phone: string): Promise<WeekRecord | undefined> {
  const id = weekOf({ study, now: clock.now() }).id;
  return (await new DynamoUssdStore(t.doc, t.tableName).listWeeks(study.studyId, phone, id, id))[0];
}

const question = (key: string | undefined) => form.questions.find((q) => `${form.id}.${q.id}` === key);

/** Answers one diary question the way a caller would: a choice by its key, an amount typed and confirmed. */
async function answer(call: FakeAtVoiceCall, turn: VoiceTurn, amount = 5000): Promise<VoiceTurn> {
  const q = question(turn.askKey);
  if (!q) throw new Error(`not a diary question: ${turn.askKey}`);
  if (q.type !== 'integer' && q.type !== 'decimal') return call.press('1');
  const typed = await call.press(String(amount));
  expect(typed.heard).toEqual(['voice.youTyped', ...[...String(amount)].map((d) => `voice.digit${d}`)]);
  expect(typed.askKey).toBe('voice.confirmAmount');
  return call.press('1');
}

async function wholeDiary(call: FakeAtVoiceCall): Promise<VoiceTurn> {
  let turn = await call.start();
  for (let i = 0; i < 30 && question(turn.askKey); i += 1) turn = await answer(call, turn);
  return turn;
}

describe('the diary by voice', () => {
  it.each([
    ['Kiswahili', () => kenya, '+254700000001', 'sw'],
    ['English', () => kenya, '+254700000003', 'en'],
    ['Bengali', () => dhaka, '+8801700000001', 'bn'],
  ])('a whole diary by keypad in %s stores a complete week with channel voice', async (_name, study, phone, lang) => {
    const call = at.call(phone);
    const first = await call.start();
    expect(first.heard[0]).toBe('voice.welcome');
    expect(first.ask?.name).toBe('GetDigits');
    expect(first.askKey).toBe(`${form.id}.${form.questions[0]?.id}`);
    // Played in the participant's language, every file there to fetch.
    for (const url of playUrls(first.xml)) expect(new URL(url).pathname).toMatch(new RegExp(`^/audio/${lang}/`));
    let turn = first;
    for (let i = 0; i < 30 && question(turn.askKey); i += 1) turn = await answer(call, turn);
    expect(turn.heard).toContain('voice.diarySaved');
    expect(turn.askKey).toMatch(/^voice\.menu(Treatment|Control)$/);
    const record = await week(study(), phone);
    expect(record?.complete).toBe(true);
    const answers = Object.values(record?.answers ?? {});
    expect(answers.length).toBeGreaterThanOrEqual(5);
    expect(new Set(answers.map((a) => a.channel))).toEqual(new Set(['voice']));
    expect(record?.answers.wage_amount?.value).toBe(5000);
    for (const url of call.playUrls()) {
      const res = await fetch(url, { method: 'HEAD' });
      expect(res.status, url).toBe(200);
    }
    expect(await call.hangUp()).toBe(200);
  });

  it('a call dropped mid-diary resumes at the first unanswered question on the next call', async () => {
    const phone = '+254700000002';
    const call = at.call(phone);
    let turn = await call.start();
    turn = await answer(call, turn); // wage_received
    turn = await answer(call, turn); // wage_how
    const dropped = turn.askKey;
    expect(await call.hangUp(20)).toBe(200);
    const stored = await week(kenya, phone);
    expect(Object.keys(stored?.answers ?? {})).toHaveLength(2);
    const next = firstUnanswered(form, diaryView(stored, weekOf({ study: kenya, now: clock.now() }).studyWeek));
    const again = await at.call(phone).start();
    expect(again.heard[0]).toBe('voice.welcomeBack');
    expect(again.askKey).toBe(dropped);
    expect(again.askKey).toBe(`${form.id}.${form.questions[next!]?.id}`);
  });

  it('a silence or a wrong key repeats the question once, then ends the call politely, keeping what was answered', async () => {
    const phone = '+254700000005';
    const call = at.call(phone);
    const first = await call.start();
    const silent = await call.press('');
    expect(silent.heard).toEqual(['voice.notHeard']);
    expect(silent.askKey).toBe(first.askKey);
    const wrong = await call.press('7');
    expect(wrong.heard).toEqual(['voice.callLater']);
    expect(wrong.ask).toBeUndefined();
    expect(await week(kenya, phone)).toBeUndefined();
    // A wrong amount confirmation is asked again, reading the amount back.
    const other = at.call('+254700000006');
    let turn = await other.start();
    turn = await answer(other, turn); // wage_received: yes
    turn = await answer(other, turn); // wage_how
    expect(question(turn.askKey)?.type).toBe('integer');
    await other.press('12,000'.replace(',', ''));
    const again = await other.press('5');
    expect(again.heard).toEqual(['voice.notHeard', 'voice.youTyped', 'voice.digit1', 'voice.digit2', 'voice.digit0', 'voice.digit0', 'voice.digit0']);
    const change = await other.press('2');
    expect(change.askKey).toBe(turn.askKey);
    expect((await week(kenya, '+254700000006'))?.answers.wage_amount).toBeUndefined();
  });

  it('a resent callback (same session, same step) is answered the same and records once', async () => {
    const phone = '+254700000007';
    const call = at.call(phone);
    await call.start();
    const turn = await call.press('1');
    const before = await week(kenya, phone);
    const resent = await call.resend();
    expect(resent.xml).toBe(turn.xml);
    const after = await week(kenya, phone);
    expect(after?.version).toBe(before?.version);
    expect(after?.answers).toEqual(before?.answers);
    // A resent first request does not start the call again either.
    const fresh = at.call('+254700000008');
    const a = await fresh.start();
    expect((await fresh.resend()).xml).toBe(a.xml);
  });

  it('a control participant pressing every key finds no lesson; a treatment participant hears one and its quiz result is kept', async () => {
    const control = '+254700000004';
    expect(kenya.arms.find((a) => a.armId === 'control')?.treatment).toBe(false);
    await wholeDiary(at.call(control));
    for (const key of ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', '11', '']) {
      const call = at.call(control);
      const menu = await call.start();
      expect(menu.askKey).toBe('voice.menuControl');
      const after = await call.press(key);
      for (const x of call.responses) expect(x).not.toMatch(/lesson\.|quiz\.|feedback\./);
      if (after.ask) await call.press('1');
    }
    const people = new DynamoParticipantStore(t.doc, t.tableName);
    expect((await people.getByPhone(kenya.studyId, control))?.lessons).toBeUndefined();

    const treated = '+254700000009';
    await wholeDiary(at.call(treated));
    const call = at.call(treated);
    expect((await call.start()).askKey).toBe('voice.menuTreatment');
    const lesson = await call.press('1');
    expect(lesson.heard[0]).toMatch(/^lesson\./);
    expect(lesson.askKey).toMatch(/^quiz\./);
    const feedback = await call.press('1');
    expect(feedback.heard[0]).toMatch(/^feedback\./);
    expect(Object.keys((await people.getByPhone(kenya.studyId, treated))?.lessons ?? {})).toHaveLength(1);
  });

  it('a complaint by voice: provider and category by key, then a recording kept as its evidence', async () => {
    const phone = '+254700000010';
    await wholeDiary(at.call(phone));
    const call = at.call(phone);
    await call.start();
    expect((await call.press('2')).askKey).toBe(`study.${kenya.studyId}.providers`);
    expect((await call.press('1')).askKey).toBe('complaints.categories');
    const rec = await call.press('2');
    expect(rec.ask?.name).toBe('Record');
    expect(rec.ask?.attrs).toMatchObject({ finishOnKey: '#', trimSilence: 'true', playBeep: 'true' });
    const done = await call.record('https://media.africastalking.com/recordings/abc.mp3');
    expect(done.heard).toEqual(['voice.problemThanks', 'voice.goodbye']);
    await call.resend();
    const items = await t.doc.send(new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({
      TableName: t.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
      // The partition is keyed by the number's keyed hash (keys.ts), never the number.
      ExpressionAttributeValues: { ':pk': keys.participant(kenya.studyId, (await envPhoneKeys.hasher())(phone)).pk, ':c': 'COMPLAINT#' },
    }));
    expect(items.Items).toHaveLength(1);
    expect(items.Items?.[0]).toMatchObject({ provider: kenya.providers[0]?.id, category: content.complaints?.categories[1]?.name, channel: 'voice', recordingUrl: 'https://media.africastalking.com/recordings/abc.mp3' });
  });

  it('records the end of a call (duration and cost) once, answering 200', async () => {
    const call = at.call('+254700000011');
    await call.start();
    expect(await call.hangUp(61, '2.40', 'KES')).toBe(200);
    expect(await call.hangUp(61, '2.40', 'KES')).toBe(200);
    const end = await new DynamoVoiceCallStore(t.doc, t.tableName, clock.now).getEnd(call.fields.sessionId);
    expect(end).toMatchObject({ durationInSeconds: 61, amount: 2.4, currencyCode: 'KES', studyId: kenya.studyId, participantId: 'demo-011' });
  });

  it('a number not taking part hears a short message; a wrong token gets 404', async () => {
    const turn = await at.call('+254799999999').start();
    expect(turn.heard).toEqual(['voice.notEnrolled']);
    expect(turn.ask).toBeUndefined();
    const res = await fetch(`${base}/at/wrong/voice`, { method: 'POST', body: 'sessionId=x&isActive=1' });
    expect(res.status).toBe(404);
  });
});

describe('faults', () => {
  it('DynamoDB failing answers a short apology in the participant\'s language, in valid XML, never a 5xx', async () => {
    const doc = createDocumentClient({ endpoint: t.endpoint });
    mockClient(doc).onAnyCommand().rejects(new Error('DynamoDB is down'));
    const { createVoiceHandler } = await import('../../functions/voice/handler.js');
    const handler = createVoiceHandler({ clock, doc });
    const event = (query: string): APIGatewayProxyEventV2 => ({
      version: '2.0',
      routeKey: 'POST /at/{token}/voice',
      rawPath: `/at/${TOKEN}/voice`,
      rawQueryString: query,
      ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/x-www-form-urlencoded' },
      pathParameters: { token: TOKEN },
      requestContext: { http: { method: 'POST', path: `/at/${TOKEN}/voice`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'AT' } } as APIGatewayProxyEventV2['requestContext'],
      body: 'sessionId=fault-1&isActive=1&direction=Inbound&callerNumber=%2B254700000001&dtmfDigits=1',
      isBase64Encoded: false,
    });
    for (const [query, lang] of [['step=3&lang=sw', 'sw'], ['', 'en']] as const) {
      const res = await handler(event(query));
      expect(res.statusCode).toBe(200);
      const xml = String(res.body);
      expect(responseProblems(xml)).toEqual([]);
      expect(xml).not.toMatch(/GetDigits|Record/);
      const [url] = playUrls(xml);
      expect(url && keyOfUrl(url)).toBe('voice.sorry');
      expect(new URL(url!).pathname.startsWith(`/audio/${lang}/`)).toBe(true);
      expect(existsSync(audioFileForUrl(lang, new URL(url!).pathname.split('/').pop()!) ?? '')).toBe(true);
    }
  });
});
