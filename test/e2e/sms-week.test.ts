import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TZDate } from '@date-fns/tz';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { AfricasTalkingSmsGateway } from '../../functions/adapters/africastalking/sms-gateway.js';
import { DynamoCampaignStore } from '../../functions/adapters/dynamo/campaign-store.js';
import { dispatchAll } from '../../functions/adapters/dynamo/dispatch-ports.js';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import type { Campaign } from '../../functions/core/campaign/model.js';
import type { Participant, Study } from '../../functions/core/model.js';
import { isQuietHour } from '../../functions/core/schedule/policy.js';
import { smsText } from '../../functions/core/sms/text.js';
import { DEMO_SMS_SHORT_CODE } from '../../infra/local/demo.js';
import { LocalQueue } from '../../infra/local/queue.js';
import { seedDemos } from '../../infra/local/seed.js';
import { createLocalServer } from '../../infra/local/server.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { type FakeAt, startFakeAt } from '../support/fake-at-server.js';
import { type FakeSsl, type FakeSslRequest, startFakeSslWireless } from '../support/fake-sslwireless-server.js';
import { SslWirelessSmsGateway } from '../../functions/adapters/sslwireless/sms-gateway.js';
import { ProviderRouter } from '../../functions/core/sms/router.js';
import type { SmsGateway } from '../../functions/core/ports/sms.js';
import { providerKey } from '../../functions/core/sms/idempotency.js';

/**
 * A study week on a fake clock, end to end: the dispatcher ticks every 15 simulated minutes
 * over both demo studies (Nairobi, UTC+3, and Dhaka, UTC+6); the one real sender routes each
 * study to its provider: Kenya through the real `africastalking` SDK to the fake AT server,
 * Dhaka through the SSL Wireless adapter to the fake SSL Wireless API, in the same run.
 * Participants answer, stop and report over the HTTP callbacks; staff create a campaign over
 * the admin API. Then every SMS that reached a provider is checked against the rules.
 */
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

let t: TestTable;
let fake: FakeAt;
let ssl: FakeSsl;
/** The first SSL Wireless send of the week: the sender dies after the provider accepted it. */
let crashAfterSsl = true;
let server: Server;
let base: string;
let queue: LocalQueue;
let kenya: Study;
let dhaka: Study;
let people: Participant[];
let now = Date.parse('2026-11-26T21:00:00Z'); // Friday 00:00 in Nairobi
const clock = { now: () => new Date(now) };
/** Every recipient of every provider request (AT and SSL Wireless), with the simulated time it went out. */
const sent: { at: number; to: string; text: string }[] = [];
/** Every SSL Wireless call, with the simulated time. */
const sslCalls: (FakeSslRequest & { at: number })[] = [];
const TOKEN = 'week-token';

beforeAll(async () => {
  t = await createTestTable();
  const seeded = await seedDemos(t.doc, t.tableName, '*384*123#', new Date('2026-11-23T06:00:00Z'));
  kenya = seeded[0]?.study as Study;
  dhaka = seeded[1]?.study as Study;
  const participants = new DynamoParticipantStore(t.doc, t.tableName);
  people = [...(await participants.listByStudy(kenya.studyId)), ...(await participants.listByStudy(dhaka.studyId))];
  Object.assign(process.env, {
    TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SAUTI_CALLBACK_TOKEN: TOKEN, POWERTOOLS_LOG_LEVEL: 'ERROR',
    SAUTI_API_TOKENS: JSON.stringify({ ngo: { role: 'ngo' } }),
  });
  fake = await startFakeAt({ apiKey: 'week-key' });
  ssl = await startFakeSslWireless({ apiToken: 'ssl-week-token', sid: 'SAUTIBD' });
  const at = new AfricasTalkingSmsGateway({ username: 'sandbox', apiKey: 'week-key', baseUrl: fake.url, timeoutMs: 30_000 });
  const sslGateway = new SslWirelessSmsGateway({ apiToken: 'ssl-week-token', sid: 'SAUTIBD', baseUrl: ssl.url, timeoutMs: 30_000 });
  const crashing: SmsGateway = {
    async sendBulk(batch) {
      const outcomes = await sslGateway.sendBulk(batch);
      if (crashAfterSsl) {
        crashAfterSsl = false;
        throw new Error('sender crashed after SSL Wireless accepted');
      }
      return outcomes;
    },
  };
  // Infobip is not used by either study: a request to it would fail the run.
  const nowhere: SmsGateway = { sendBulk: () => Promise.reject(new Error('no study sends through Infobip here')) };
  const gateway = new ProviderRouter({ africastalking: at, sslwireless: crashing, infobip: nowhere });
  const { createSendHandler } = await import('../../functions/sms-send/handler.js');
  const { createCallbacksHandler } = await import('../../functions/at-callbacks/handler.js');
  const { createApiHandler } = await import('../../functions/api/handler.js');
  const ussd = (await import('../../functions/ussd/handler.js')).createUssdHandler({ clock });
  // Retries come back at the next tick, as an SQS visibility timeout of minutes would.
  queue = new LocalQueue(createSendHandler({ gateway, clock }), { now: () => now, batchSize: 100, backoffMs: () => 10 * 60_000, maxReceives: 3 });
  const runDispatch = () => dispatchAll(t.doc, t.tableName, queue, content, clock.now());
  server = createLocalServer({
    ussd: ussd as Handler,
    atCallbacks: createCallbacksHandler({ queue, clock }) as unknown as Handler,
    api: createApiHandler({ clock, runDispatch }),
  }, { clock });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  await fake?.close();
  await ssl?.close();
});

/** Sends what is queued and stamps each AT recipient with the simulated time. */
async function drain(): Promise<void> {
  const before = fake.requests.length;
  const sslBefore = ssl.requests.length;
  await queue.poll();
  for (const r of fake.requests.slice(before)) {
    if (r.message !== undefined) for (const to of r.accepted) sent.push({ at: now, to, text: r.message });
  }
  for (const r of ssl.requests.slice(sslBefore)) {
    sslCalls.push({ ...r, at: now });
    for (const m of r.accepted) sent.push({ at: now, to: `+${m.msisdn}`, text: m.text });
  }
}

async function tick(): Promise<void> {
  await dispatchAll(t.doc, t.tableName, queue, content, clock.now());
  await drain();
}

async function post(path: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${base}/at/${TOKEN}${path}`, { method: 'POST', body: new URLSearchParams(form) });
}

let smsId = 0;
const incoming = (from: string, text: string, to = DEMO_SMS_SHORT_CODE) => post('/sms', { id: `ATSMS_${(smsId += 1)}`, from, to, text, date: clock.now().toISOString() });

const localHour = (at: number, zone: string) => new TZDate(at, zone).getHours();
const studyOf = (phone: string) => (phone.startsWith('+880') ? dhaka : kenya);
const person = (phone: string) => people.find((p) => p.phone === phone) as Participant;
/** Dhaka is on a one-way route: its prompt and reminder are the USSD-only texts. */
const textOf = (key: 'prompt' | 'reminder' | 'stopConfirmation' | 'diaryReceived', phone: string) =>
  smsText(content, studyOf(phone) === dhaka && (key === 'prompt' || key === 'reminder') ? `${key}OneWay` : key, person(phone).lang ?? 'en', { code: studyOf(phone).serviceCode });
const to = (phone: string) => sent.filter((s) => s.to === phone);

const ANSWERED = '+254700000002'; // answers the diary by SMS on Saturday morning
const STOPPED = '+254700000003'; // sends STOP on Friday evening, after the prompt
const FLAKY = '+254700000010'; // AT answers 500 for this number once
const BLACKLISTED = '+254700000011'; // AT answers 406: opted out at the operator
const BD_BLOCKED = '+8801700000014'; // SSL Wireless answers 4026: a blocked number

describe('a simulated study week', () => {
  it('runs from Friday to Sunday night in 15-minute ticks', async () => {
    // A campaign created by NGO staff over the API (treatment only), and one written to the
    // store directly, misconfigured to target the control arm as well.
    const created = await fetch(`${base}/api/v1/studies/${kenya.studyId}/campaigns`, {
      method: 'POST',
      headers: { authorization: 'Bearer ngo', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Fees first', modules: ['cashing_out'], targetArms: ['treatment'], startsOn: '2026-11-23', day: 6, hour: 10, channel: 'ussd' }),
    });
    expect(created.status).toBe(201);
    const bad: Campaign = {
      campaignId: 'misconfigured', studyId: kenya.studyId, name: 'Wrong', modules: ['pin_fraud_safety'], targetArms: ['control', 'treatment'],
      startsOn: '2026-11-23', everyWeeks: 1, day: 6, hour: 11, channel: 'sms', status: 'scheduled', shiftPeriods: 0,
      createdAt: '2026-11-23T06:00:00Z', updatedAt: '2026-11-23T06:00:00Z',
    };
    expect(await new DynamoCampaignStore(t.doc, t.tableName).create(bad)).toBe(true);

    fake.script({ number: FLAKY, statusCode: 500, times: 1 }, { number: BLACKLISTED, statusCode: 406 });
    ssl.script({ msisdn: BD_BLOCKED.slice(1), statusCode: 4026 });
    const end = Date.parse('2026-11-29T21:00:00Z'); // Monday 00:00 in Nairobi
    let doubled = false;
    let failedOnce = false;
    for (; now < end; now += 15 * 60_000) {
      const iso = new Date(now).toISOString();
      if (iso === '2026-11-27T15:00:00.000Z' && !failedOnce) {
        // The first Kenyan send of the week meets an AT outage: the whole request fails.
        fake.script({ httpStatus: 500, times: 1 });
        failedOnce = true;
      }
      if (iso === '2026-11-27T16:00:00.000Z') expect((await incoming(STOPPED, 'stop.')).status).toBe(200);
      if (iso === '2026-11-28T06:00:00.000Z') expect((await incoming(ANSWERED, 'd 7,500 m 150 300.')).status).toBe(200);
      if (iso === '2026-11-28T15:00:00.000Z' && !doubled) {
        // Two dispatchers at once, then a third: nothing twice.
        await Promise.all([dispatchAll(t.doc, t.tableName, queue, content, clock.now()), dispatchAll(t.doc, t.tableName, queue, content, clock.now())]);
        doubled = true;
      }
      await tick();
    }
    expect(queue.size).toBe(0);
    expect(queue.deadLetters).toEqual([]);
  });

  it('prompted everyone in SMS at 18:00 local on Friday, in their language: Dhaka three hours before Nairobi', () => {
    for (const p of people) {
      if (p.phone === BLACKLISTED || p.phone === BD_BLOCKED) continue;
      const prompts = to(p.phone).filter((s) => s.text === textOf('prompt', p.phone));
      expect(prompts, p.phone).toHaveLength(1);
      const at = prompts[0]?.at as number;
      const zone = studyOf(p.phone).timeZone;
      // The 500 outage delays the Kenyan prompts by one tick, never more.
      expect(localHour(at, zone), p.phone).toBe(18);
      expect(new TZDate(at, zone).getDay(), p.phone).toBe(5);
    }
  });

  it('sent nothing in quiet hours (21:00-08:00 local), ever', () => {
    for (const s of sent) expect(isQuietHour(localHour(s.at, studyOf(s.to).timeZone), { start: 21, end: 8 }), `${s.to} at ${new Date(s.at).toISOString()}`).toBe(false);
  });

  it('reminded only those who had not answered, once, a day after the prompt', () => {
    const reminded = new Set(sent.filter((s) => s.text === textOf('reminder', s.to)).map((s) => s.to));
    expect(reminded.has(ANSWERED)).toBe(false);
    expect(reminded.has(STOPPED)).toBe(false);
    for (const p of people) {
      if ([ANSWERED, STOPPED, BLACKLISTED, BD_BLOCKED].includes(p.phone)) continue;
      const mine = to(p.phone).filter((s) => s.text === textOf('reminder', p.phone));
      expect(mine, p.phone).toHaveLength(1);
      const prompt = to(p.phone).find((s) => s.text === textOf('prompt', p.phone));
      expect((mine[0]?.at as number) - (prompt?.at as number)).toBeGreaterThanOrEqual(24 * 3_600_000);
    }
  });

  it('honoured STOP at once: one confirmation, then silence', () => {
    const after = to(STOPPED).filter((s) => s.at >= Date.parse('2026-11-27T16:00:00Z'));
    expect(after.map((s) => s.text)).toEqual([textOf('stopConfirmation', STOPPED)]);
  });

  it('put the SMS diary reply into that week\'s diary, and thanked once', async () => {
    expect(to(ANSWERED).filter((s) => s.text === textOf('diaryReceived', ANSWERED))).toHaveLength(1);
    const { DynamoUssdStore } = await import('../../functions/adapters/dynamo/ussd-store.js');
    const hop = await new DynamoUssdStore(t.doc, t.tableName).loadHop('-', kenya.studyId, ANSWERED, '2026-W48', new Date(now));
    expect(hop.week?.answers.wage_amount).toMatchObject({ value: 7500, channel: 'sms' });
  });

  it('retried AT failures until they went, and stopped at the operator\'s opt-out', async () => {
    expect(to(FLAKY).filter((s) => s.text === textOf('prompt', FLAKY))).toHaveLength(1);
    expect(fake.requests.some((r) => r.to.includes(FLAKY))).toBe(true);
    // 406 once: the number is opted out and gets nothing more (no reminder, no lesson).
    expect(fake.requests.filter((r) => r.to.includes(BLACKLISTED))).toHaveLength(1);
    const p = await new DynamoParticipantStore(t.doc, t.tableName).getByPhone(kenya.studyId, BLACKLISTED);
    expect(p?.consent).toMatchObject({ state: 'withdrawn', channel: 'provider' });
  });

  it('sent lessons to the treatment arm only, even for a campaign misconfigured in the store', () => {
    const lessonTexts = new Set((content.modules ?? []).flatMap((m) => m.lessons.flatMap((l) => Object.values(l.sms))));
    const invites = sent.filter((s) => s.text.includes('lesson') || s.text.includes('Somo'));
    const lessons = sent.filter((s) => lessonTexts.has(s.text));
    expect(lessons.length).toBeGreaterThan(0);
    expect(invites.length).toBeGreaterThan(0);
    for (const s of [...lessons, ...invites]) expect(person(s.to).armId, s.to).toBe('treatment');
    // Each treatment participant in Kenya (still subscribed) got each campaign's lesson once.
    const treated = people.filter((p) => p.studyId === kenya.studyId && p.armId === 'treatment' && ![STOPPED, BLACKLISTED].includes(p.phone));
    for (const p of treated) expect(lessons.filter((s) => s.to === p.phone), p.phone).toHaveLength(1);
  });

  it('sent Dhaka through SSL Wireless: 8801… without +, Bangla in UTF-8, one csms_id per message, ≤ 100 a call', async () => {
    const dhakaSent = sent.filter((s) => s.to.startsWith('+880'));
    expect(dhakaSent.length).toBeGreaterThan(0);
    expect(fake.requests.some((r) => r.to.some((n) => n.startsWith('+880')))).toBe(false);
    for (const call of sslCalls) {
      expect(call.asked.length).toBeLessThanOrEqual(100);
      for (const m of call.asked) expect(m.msisdn).toMatch(/^8801\d{9}$/);
    }
    const prompt = (await new DynamoMessageStore(t.doc, t.tableName).get('prompt#dhaka-2026#2026-W48#dhaka-001#0'))!;
    // No delivery reports from SSL Wireless: accepted ("sent") is where it stays, never failed.
    expect(prompt).toMatchObject({ status: 'accepted', providerId: providerKey(prompt.messageId) });
    expect(sent.filter((s) => s.to === '+8801700000001').map((s) => s.text)).toContain(smsText(content, 'promptOneWay', 'bn', { code: dhaka.serviceCode }));
    expect(smsText(content, 'promptOneWay', 'bn', { code: dhaka.serviceCode })).toMatch(/[\u0980-\u09ff]/);
    const accepted = sslCalls.flatMap((c) => c.accepted.map((m) => m.csmsId));
    expect(new Set(accepted).size).toBe(accepted.length);
  });

  it('the sender crashed after SSL Wireless accepted: the redelivery was a 4023 duplicate, not a second SMS', () => {
    expect(crashAfterSsl).toBe(false);
    const asked = sslCalls.flatMap((c) => c.asked.map((m) => m.csmsId));
    const accepted = new Set(sslCalls.flatMap((c) => c.accepted.map((m) => m.csmsId)));
    // Some csms_ids were asked twice (the resend after the crash) yet each went out once.
    expect(asked.length).toBeGreaterThan(accepted.size);
  });

  it('4026 opted the Bangladeshi number out: one try, then nothing', async () => {
    expect(sslCalls.flatMap((c) => c.asked).filter((m) => m.msisdn === BD_BLOCKED.slice(1)).length).toBeGreaterThanOrEqual(1);
    expect(sent.filter((s) => s.to === BD_BLOCKED)).toEqual([]);
    const p = await new DynamoParticipantStore(t.doc, t.tableName).getByPhone(dhaka.studyId, BD_BLOCKED);
    expect(p?.consent).toMatchObject({ state: 'withdrawn', channel: 'provider' });
    // Tried on Friday only (twice, around the crash): the reminder a day later was never asked for.
    const tries = sslCalls.filter((c) => c.asked.some((m) => m.msisdn === BD_BLOCKED.slice(1)));
    for (const c of tries) expect(c.at).toBeLessThan(Date.parse('2026-11-28T00:00:00Z'));
  });

  it('sent nothing twice', () => {
    const seen = new Map<string, number>();
    for (const s of sent) seen.set(`${s.to}|${s.text}`, (seen.get(`${s.to}|${s.text}`) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('applies delivery reports once and only forward, whatever their order', async () => {
    const messages = new DynamoMessageStore(t.doc, t.tableName);
    const m = await messages.get('prompt#athi-river-2026#2026-W48#demo-001#0');
    expect(m?.status).toBe('accepted');
    const report = (status: string) => post('/sms/delivery', { id: m?.providerId as string, status, phoneNumber: '+254700000001', networkCode: '63902' });
    expect((await report('Success')).status).toBe(200);
    expect((await report('Sent')).status).toBe(200); // late, out of order
    expect((await report('Success')).status).toBe(200); // resent
    expect((await messages.get(m?.messageId as string))?.status).toBe('Success');
  });
});
