/**
 * A Kenyan study on Infobip, end to end through the local HTTP server: the real sender sends
 * through the Infobip adapter to the fake; Infobip's delivery reports and incoming SMS come
 * back at `/hooks/{token}/infobip/…`, token-checked, idempotent, forward only; a REJECTED_DND
 * report opts the number out; a forged webhook changes nothing.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfobipSmsGateway } from '../../functions/adapters/infobip/sms-gateway.js';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { createStudy } from '../../functions/adapters/dynamo/study-admin.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import { ProviderRouter } from '../../functions/core/sms/router.js';
import { providerKey } from '../../functions/core/sms/idempotency.js';
import { createLocalServer } from '../../infra/local/server.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { type FakeInfobip, REJECTED_DND, startFakeInfobip } from '../support/fake-infobip-server.js';
import { participant, study as demo } from '../support/fixtures.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const TOKEN = 'hooks-token';
const STUDY = demo({ studyId: 'kisumu-infobip', serviceCode: '*384*300#', smsShortCode: '20300', messaging: { provider: 'infobip', from: 'SAUTI' } });
const A = participant({ studyId: STUDY.studyId, participantId: 'a', phone: '+254711300001', armId: 'treatment', lang: 'en' });
const B = participant({ studyId: STUDY.studyId, participantId: 'b', phone: '+254711300002', armId: 'control', lang: 'en' });
let t: TestTable;
let fake: FakeInfobip;
let server: Server;
let base: string;
let messages: DynamoMessageStore;
const queued: OutboundMessage[] = [];
const clock = { now: () => new Date('2026-11-27T15:00:00Z') };

beforeAll(async () => {
  t = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SAUTI_CALLBACK_TOKEN: TOKEN });
  await createStudy(t.doc, t.tableName, STUDY);
  const people = new DynamoParticipantStore(t.doc, t.tableName);
  for (const p of [A, B]) await people.addParticipant(p);
  fake = await startFakeInfobip({ apiKey: 'ib-key' });
  const infobip = new InfobipSmsGateway({ apiKey: 'ib-key', baseUrl: fake.url });
  const unused = { sendBulk: () => Promise.reject(new Error('not this provider')) };
  const { createSendHandler } = await import('../../functions/sms-send/handler.js');
  const { createCallbacksHandler } = await import('../../functions/at-callbacks/handler.js');
  const send = createSendHandler({ gateway: new ProviderRouter({ africastalking: unused, sslwireless: unused, infobip }), clock });
  messages = new DynamoMessageStore(t.doc, t.tableName);
  const ms = [A, B].map((p): OutboundMessage => ({ messageId: `prompt#${STUDY.studyId}#2026-W48#${p.participantId}#0`, studyId: STUDY.studyId, participantId: p.participantId, phone: p.phone, text: 'Sauti: dial *384*300#', from: 'SAUTI', treatmentOnly: false }));
  for (const m of ms) await messages.create({ ...m, purpose: 'prompt', period: '2026-W48', createdAt: clock.now().toISOString() });
  const event = { Records: ms.map((m, i) => ({ messageId: `sqs-${i}`, body: JSON.stringify(m), attributes: { ApproximateReceiveCount: '1' } })) } as unknown as SQSEvent;
  expect((await send(event)).batchItemFailures).toEqual([]);
  const callbacks = createCallbacksHandler({ queue: { enqueue: async (m) => void queued.push(...m) }, clock }) as unknown as Handler;
  const none: Handler = () => Promise.reject(new Error('not used'));
  server = createLocalServer({ ussd: none, atCallbacks: callbacks, api: none }, { clock });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await fake?.close();
});

const idOf = (p: typeof A) => providerKey(`prompt#${STUDY.studyId}#2026-W48#${p.participantId}#0`);
const status = async (p: typeof A) => (await messages.get(`prompt#${STUDY.studyId}#2026-W48#${p.participantId}#0`))?.status;
const hook = (kind: string, body: unknown, token = TOKEN) => fetch(`${base}/hooks/${token}/infobip/${kind}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const dlr = (p: typeof A, s: object) => ({ results: [{ bulkId: 'b1', messageId: idOf(p), to: p.phone.slice(1), sentAt: '2026-11-27T15:00:01.000+0000', doneAt: '2026-11-27T15:00:05.000+0000', status: s, error: null, price: { pricePerMessage: 0.8, currency: 'KES' } }] });
const DELIVERED = { groupId: 3, groupName: 'DELIVERED', id: 5, name: 'DELIVERED_TO_HANDSET', description: 'Message delivered to handset' };

describe('Infobip webhooks', () => {
  it('the sender sent both through Infobip, each under the messageId derived from its message id', async () => {
    expect(fake.delivered.map((m) => m.messageId).sort()).toEqual([idOf(A), idOf(B)].sort());
    expect(await status(A)).toBe('accepted');
  });

  it('a forged report (wrong token) gets 404 and changes nothing', async () => {
    expect((await hook('reports', dlr(A, DELIVERED), 'guess')).status).toBe(404);
    expect(await status(A)).toBe('accepted');
  });

  it('moves a message forward once: delivered; a resent or late pending report changes nothing', async () => {
    expect((await hook('reports', dlr(A, DELIVERED))).status).toBe(200);
    expect(await status(A)).toBe('Success');
    expect((await hook('reports', dlr(A, { groupId: 1, groupName: 'PENDING', id: 7, name: 'PENDING_ENROUTE' }))).status).toBe(200);
    expect((await hook('reports', dlr(A, DELIVERED))).status).toBe(200);
    expect(await status(A)).toBe('Success');
  });

  it('REJECTED_DND in a report opts the number out', async () => {
    expect((await hook('reports', dlr(B, REJECTED_DND))).status).toBe(200);
    expect(await status(B)).toBe('Rejected');
    expect((await new DynamoParticipantStore(t.doc, t.tableName).getByPhone(STUDY.studyId, B.phone))?.consent).toMatchObject({ state: 'withdrawn', channel: 'provider' });
  });

  it('refuses a body that is not Infobip\'s JSON with 400, changing nothing', async () => {
    expect((await fetch(`${base}/hooks/${TOKEN}/infobip/reports`, { method: 'POST', body: 'id=1&status=Success' })).status).toBe(400);
    expect((await hook('reports', { results: [{ messageId: idOf(A) }] })).status).toBe(400);
  });

  it('an incoming STOP (number without +) withdraws the participant once, replying once through the queue', async () => {
    const stop = { results: [{ messageId: 'ib-in-1', from: A.phone.slice(1), to: '20300', text: 'STOP', cleanText: 'STOP', keyword: 'STOP', receivedAt: '2026-11-27T15:10:00.000+0000', smsCount: 1 }], messageCount: 1, pendingMessageCount: 0 };
    expect((await hook('inbound', stop)).status).toBe(200);
    expect((await hook('inbound', stop)).status).toBe(200); // resent
    expect((await new DynamoParticipantStore(t.doc, t.tableName).getByPhone(STUDY.studyId, A.phone))?.consent.state).toBe('withdrawn');
    expect(queued.map((m) => [m.phone, m.stopConfirmation, m.from])).toEqual([[A.phone, true, '20300']]);
  });
});
