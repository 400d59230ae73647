/**
 * Outbound calls: the dispatcher places voice participants' weekly calls through the real
 * `africastalking` SDK against a fake of AT's voice API, then AT's side of each call is played
 * against the local server's `/at/{token}/voice` (no answer, or a whole diary).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { generateAudio } from '../../content/audio.js';
import { AfricasTalkingVoiceGateway } from '../../functions/adapters/africastalking/voice-gateway.js';
import { dispatchAllOn } from '../../functions/adapters/dynamo/dispatch-ports.js';
import { DynamoCallAttemptStore } from '../../functions/adapters/dynamo/call-attempts.js';
import { keys } from '../../functions/adapters/dynamo/keys.js';
import { dynamoPorts } from '../../functions/adapters/dynamo/ports.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import type { Participant } from '../../functions/core/model.js';
import { callAttemptId } from '../../functions/core/voice/outbound.js';
import { seedDemos } from '../../infra/local/seed.js';
import { createLocalServer } from '../../infra/local/server.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { fakeAtVoiceApi, type FakeAtVoiceApi, outboundCall } from '../support/fake-at-voice.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const TOKEN = 'voice-calls-token';
const STUDY = 'athi-river-2026';
const VOICE_FROM = '+254711082000';
// Wednesday 2 December 2026, Nairobi (UTC+3): the voice participants chose Wednesday 10:00.
let now = new Date('2026-12-02T08:00:00Z');
const clock = { now: () => now };
const hours = (h: number) => (now = new Date(now.getTime() + h * 3_600_000));
let t: TestTable;
let server: Server;
let callback: string;
let api: FakeAtVoiceApi;
let gateway: AfricasTalkingVoiceGateway;
const enqueued: OutboundMessage[] = [];
const queue = { enqueue: async (ms: readonly OutboundMessage[]) => void enqueued.push(...ms) };
const ringing = '+254700000010';
const answering = '+254700000011';
let people: Record<string, Participant>;

beforeAll(async () => {
  generateAudio();
  t = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SAUTI_CALLBACK_TOKEN: TOKEN });
  await seedDemos(t.doc, t.tableName, '*384*123#', clock.now());
  const study = (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.study(STUDY) }))).Item!;
  await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...study, voice: { from: VOICE_FROM } } }));
  const store = new DynamoParticipantStore(t.doc, t.tableName);
  people = {};
  for (const phone of [ringing, answering]) {
    const p = (await store.getByPhone(STUDY, phone))!;
    const voice: Participant = { ...p, channel: 'voice', reminder: { day: 3, hour: 10 }, updatedAt: clock.now().toISOString() };
    await store.saveParticipant(voice, p.updatedAt);
    people[phone] = voice;
  }
  const none: Handler = () => Promise.reject(new Error('not used'));
  server = createLocalServer({ ussd: none, atCallbacks: none, api: none }, { clock });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  callback = `http://127.0.0.1:${(server.address() as AddressInfo).port}/at/${TOKEN}/voice`;
  api = await fakeAtVoiceApi();
  gateway = new AfricasTalkingVoiceGateway({ username: 'sauti-test', apiKey: 'test-key', baseUrl: api.url });
}, 180_000);
afterAll(async () => {
  server?.close();
  await api?.close();
});

const ports = () => dynamoPorts(t.doc, t.tableName, clock);
const tick = () => dispatchAllOn(ports(), queue, content, clock.now(), gateway);
const callsTo = (phone: string) => api.placed.filter((c) => c.to === phone);
const attempt = (phone: string, seq: number) => new DynamoCallAttemptStore(t.doc, t.tableName).get(callAttemptId(people[phone]!, '2026-W49', seq));

describe('the weekly call of voice participants', () => {
  it('places nothing before their chosen time, nor any SMS to them at any time', async () => {
    now = new Date('2026-12-02T06:30:00Z'); // 09:30 in Nairobi
    await tick();
    expect(callsTo(ringing)).toEqual([]);
    expect(enqueued.filter((m) => m.phone === ringing || m.phone === answering)).toEqual([]);
  });

  it('calls each once at their time, even from two dispatchers at once, with the attempt id as clientRequestId', async () => {
    now = new Date('2026-12-02T07:05:00Z'); // 10:05
    await Promise.all([tick(), tick()]);
    await tick();
    for (const phone of [ringing, answering]) {
      expect(callsTo(phone)).toHaveLength(1);
      expect(callsTo(phone)[0]).toMatchObject({ from: VOICE_FROM, username: 'sauti-test', apiKey: 'test-key', clientRequestId: callAttemptId(people[phone]!, '2026-W49', 0) });
    }
    expect(enqueued.filter((m) => m.phone === ringing || m.phone === answering)).toEqual([]);
  });

  it('records the cost of an unanswered call from its end-of-call request', async () => {
    const placed = callsTo(ringing)[0]!;
    expect(await outboundCall(callback, placed).hangUp(0, '0.00', 'KES')).toBe(200);
    const first = await attempt(ringing, 0);
    expect(first).toMatchObject({ status: 'queued', sessionId: placed.sessionId, durationInSeconds: 0, amount: 0, currencyCode: 'KES' });
  });

  it('an answered call takes the whole diary, records its cost, and its participant gets no retry', async () => {
    const call = outboundCall(callback, callsTo(answering)[0]!);
    let turn = await call.start();
    expect(turn.heard[0]).toBe('voice.welcome');
    const form = content.diary!;
    for (let i = 0; i < 30; i += 1) {
      const q = form.questions.find((x) => `${form.id}.${x.id}` === turn.askKey);
      if (!q) break;
      turn = q.type === 'integer' || q.type === 'decimal' ? (await call.press('700'), await call.press('1')) : await call.press('1');
    }
    expect(turn.heard).toContain('voice.diarySaved');
    expect(await call.hangUp(95, '3.50', 'KES')).toBe(200);
    expect(await attempt(answering, 0)).toMatchObject({ durationInSeconds: 95, amount: 3.5 });
    hours(12);
    await tick();
    expect(callsTo(answering)).toHaveLength(1);
  });

  it('retries a non-responder at most twice a week, at least four hours apart, never in quiet hours', async () => {
    now = new Date('2026-12-02T09:00:00Z'); // 12:00, under four hours after the first call
    await tick();
    expect(callsTo(ringing)).toHaveLength(1);
    now = new Date('2026-12-02T11:10:00Z'); // 14:10
    await Promise.all([tick(), tick()]);
    expect(callsTo(ringing)).toHaveLength(2);
    expect(callsTo(ringing)[1]!.clientRequestId).toBe(callAttemptId(people[ringing]!, '2026-W49', 1));
    now = new Date('2026-12-02T19:00:00Z'); // 22:00: quiet
    await tick();
    expect(callsTo(ringing)).toHaveLength(2);
    now = new Date('2026-12-03T06:00:00Z'); // Thursday 09:00
    await tick();
    expect(callsTo(ringing)).toHaveLength(3);
    now = new Date('2026-12-03T14:00:00Z'); // 17:00: retries used up
    await tick();
    expect(callsTo(ringing)).toHaveLength(3);
    expect(await attempt(ringing, 3)).toBeUndefined();
  });

  it('a number AT refuses is recorded failed, not retried in a loop', async () => {
    now = new Date('2026-12-09T07:05:00Z'); // next Wednesday 10:05: a new week
    api.refuse.set(ringing, 'InvalidPhoneNumber');
    await tick();
    const first = await new DynamoCallAttemptStore(t.doc, t.tableName).get(callAttemptId(people[ringing]!, '2026-W50', 0));
    expect(first).toMatchObject({ status: 'failed', reason: 'InvalidPhoneNumber' });
    api.refuse.clear();
  });
});
