import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSEvent } from 'aws-lambda';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import { DEMO_SMS_SHORT_CODE, DHAKA_SMS_SHORT_CODE } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/event.js';
import { seedDemos } from '../../infra/local/seed.js';
import { apiEvent } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { callbackEvent, enrolmentInputs, texts, ussdEvent } from '../support/ussd.js';

/**
 * No phone number in any log line, whatever the flow: the USSD hop, incoming SMS (every
 * keyword, a diary reply, a complaint, an invalid number, "forget me"), the sender, the
 * dispatcher and the admin API, with the logger at DEBUG and its output captured. Numbers are
 * looked for in every form people and gateways write them: +2547…, 2547…, 07…, 7….
 */

// The dispatcher Lambda's queue, in memory: the real handler module, no SQS.
const sent: OutboundMessage[] = [];
vi.mock('../../functions/adapters/sqs/send-queue.js', () => ({
  SqsSendQueue: class {
    async enqueue(ms: readonly OutboundMessage[]) {
      sent.push(...ms);
    }
  },
}));

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const TOKEN = 'test-token';
const KE1 = '+254713666001';
const KE2 = '+254713666002';
const BD = '+8801712666003';
const FORMS: Record<string, string[]> = {
  [KE1]: ['+254713666001', '254713666001', '0713666001', '713666001'],
  [KE2]: ['+254713666002', '254713666002', '0713666002', '713666002'],
  [BD]: ['+8801712666003', '8801712666003', '01712666003', '1712666003'],
};

let t: TestTable;
const lines: string[] = [];
const originals = { out: process.stdout.write, err: process.stderr.write };
let now = Date.parse('2026-11-24T07:00:00Z');
const clock = { now: () => new Date(now) };

function capture(stream: NodeJS.WriteStream, original: typeof process.stdout.write) {
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    lines.push(...String(chunk).split('\n').filter((l) => l.trim() !== ''));
    return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
  }) as typeof stream.write;
}

beforeAll(async () => {
  t = await createTestTable();
  await seedDemos(t.doc, t.tableName, '*384*123#', new Date('2026-11-23T06:00:00Z'));
  Object.assign(process.env, {
    TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SAUTI_CALLBACK_TOKEN: TOKEN, SAUTI_PSEUDONYM_KEY: 'log-test-pseudonym-key-0123456789',
    SAUTI_EXPORT_DIR: mkdtempSync(join(tmpdir(), 'sauti-logs-')), POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true',
    SAUTI_API_TOKENS: JSON.stringify({ 'a-token': { role: 'admin', name: 'Admin' } }),
  });
  capture(process.stdout, originals.out);
  capture(process.stderr, originals.err);
});

afterAll(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
});

const ctx = () => lambdaContext('test', 8000);

describe('log redaction', () => {
  it('no flow writes a phone number to the logs, at DEBUG', async () => {
    const ussd: Handler = (await import('../../functions/ussd/handler.js')).createUssdHandler({ clock });
    const queue: OutboundMessage[] = [];
    const { createCallbacksHandler } = await import('../../functions/at-callbacks/handler.js');
    const callbacks: Handler = createCallbacksHandler({ queue: { enqueue: async (ms) => void queue.push(...ms) }, clock });
    const { createSendHandler } = await import('../../functions/sms-send/handler.js');
    const { DynamoOutboxGateway } = await import('../../functions/adapters/dynamo/outbox-gateway.js');
    const send = createSendHandler({ gateway: new DynamoOutboxGateway(t.doc, t.tableName, clock.now), clock });
    const { createApiHandler } = await import('../../functions/api/handler.js');
    const api = createApiHandler({ clock, runDispatch: async () => ({}) });

    // USSD: enrolment of two numbers, a replayed hop, a malformed request, an unknown service code.
    for (const phone of [KE1, KE2]) {
      for (const text of texts(enrolmentInputs(1))) await ussd(ussdEvent({ sessionId: `log-${phone.slice(-1)}`, serviceCode: '*384*123#', phoneNumber: phone, text }), ctx());
    }
    await ussd(ussdEvent({ sessionId: 'log-1', serviceCode: '*384*123#', phoneNumber: KE1, text: '1' }), ctx());
    await ussd({ ...ussdEvent({ sessionId: 'log-m', serviceCode: '*384*123#', phoneNumber: KE1, text: '' }), body: Buffer.from(`phoneNumber=${encodeURIComponent(KE1)}&text=1`).toString('base64') }, ctx());
    await ussd(ussdEvent({ sessionId: 'log-x', serviceCode: '*999#', phoneNumber: BD, text: '' }), ctx());
    await ussd(ussdEvent({ sessionId: 'log-bad', serviceCode: '*384*123#', phoneNumber: '0713666001', text: '' }), ctx());

    // Incoming SMS: every kind, an invalid sender, an unknown short code, delivery reports, session events.
    let n = 0;
    const sms = (from: string, text: string, to = DEMO_SMS_SHORT_CODE) => callbacks(callbackEvent('/sms', { from, to, text, id: `log-sms-${(n += 1)}`, date: '', linkId: '', networkCode: '63902' }, TOKEN), ctx());
    for (const text of ['D 8000 M 200 500', 'D 99999999999', 'D nonsense', 'P agent 0713666001 cheated me', 'HELP', 'what is this', 'STOP', 'START', `my number is ${KE1}`]) await sms(KE1, text);
    await sms('0713666002', 'HELP');
    await sms(BD, 'সাহায্য', DHAKA_SMS_SHORT_CODE);
    await sms(BD, 'HELP', '99999');
    await callbacks(callbackEvent('/sms/delivery', { id: 'ATX-log-1', status: 'Failed', phoneNumber: KE1, failureReason: 'UserInBlacklist', networkCode: '63902', retryCount: '0' }, TOKEN), ctx());
    await callbacks(callbackEvent('/ussd/events', { sessionId: 'log-1', status: 'Failed', phoneNumber: KE1, errorMessage: `timeout for ${KE1}`, input: '1*2', lastAppResponse: 'CON', durationInMillis: '1', hopsCount: '2' }, TOKEN), ctx());
    await sms(KE2, 'FORGET');
    now += 3600_000;
    await sms(KE2, 'YES FORGET');

    // The sender, with the replies queued above and a malformed queue message.
    const records = queue.map((m, i) => ({ messageId: `sqs-${i}`, body: JSON.stringify(m), attributes: { ApproximateReceiveCount: '1' } }));
    records.push({ messageId: 'sqs-bad', body: JSON.stringify({ phone: KE1, text: 'x' }), attributes: { ApproximateReceiveCount: '1' } });
    await send({ Records: records } as unknown as SQSEvent);

    // The dispatcher Lambda over a week of ticks (its queue is the module's SQS adapter,
    // mocked above), then the sender over what it queued.
    const { createDispatchHandler } = await import('../../functions/dispatcher/handler.js');
    const { SqsSendQueue } = await import('../../functions/adapters/sqs/send-queue.js');
    const dispatcher = createDispatchHandler({ clock, queue: new SqsSendQueue('') });
    for (let h = 0; h < 7 * 24; h += 12) {
      await dispatcher();
      now += 12 * 3600_000;
    }
    expect(sent.length).toBeGreaterThan(0);
    await send({ Records: sent.map((m, i) => ({ messageId: `sqs-d-${i}`, body: JSON.stringify(m), attributes: { ApproximateReceiveCount: '1' } })) } as unknown as SQSEvent);

    // The admin API: exports with phone numbers, the outbox by number, forget, bad requests.
    const call = (method: string, path: string, opts: Parameters<typeof apiEvent>[2] = {}) => api(apiEvent(method, path, { token: 'a-token', ...opts }));
    await call('POST', '/studies/athi-river-2026/exports', { body: { dataset: 'messages', includePhone: true } });
    await call('GET', '/studies/athi-river-2026/outbox', { query: { phone: KE1 } });
    await call('POST', '/studies/athi-river-2026/participants/nobody/forget', { body: { confirm: true, reason: `number ${KE1}` } });
    await call('POST', '/studies/athi-river-2026/campaigns', { raw: `{"name": "${KE1}"` });
    await call('POST', '/studies/athi-river-2026/participants/import', { body: { csv: `phone,lang\n${KE1},en\n0713666009,xx\n` } });

    // Not vacuous: the flows did log, at every level, from every Lambda.
    const text = lines.join('\n');
    for (const message of ['callback stored', 'participant stopped by SMS', 'forget requested by SMS', 'participant forgotten', 'send batch', 'dispatch tick', 'malformed USSD callback', 'malformed send message']) {
      expect(text, message).toContain(message);
    }
    expect(lines.some((l) => l.includes('"level":"DEBUG"') || l.includes('"level":"INFO"'))).toBe(true);
    const leaks = lines.filter((l) => Object.values(FORMS).flat().some((form) => l.includes(form)));
    expect(leaks).toEqual([]);
  });
});
