import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitsUssd } from '../../functions/core/ussd/limits.js';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { seedDemo } from '../../infra/local/seed.js';
import { systemClock } from '../../functions/core/ports/index.js';
import { lambdaContext } from '../../infra/local/event.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { callbackEvent, enrolmentInputs, texts, ussdEvent } from '../support/ussd.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let t: TestTable;
let ussd: Handler;
let ussdModule: typeof import('../../functions/ussd/handler.js');
let callbacks: Handler;
// A fresh context per call: its deadline counts from when it is made (a shared one ran out on a busy machine).
const ctx = () => lambdaContext('test', 8000);
const request = { sessionId: 'h-1', serviceCode: '*384*123#', phoneNumber: '+254713000001', text: '' };

beforeAll(async () => {
  t = await createTestTable();
  // The Lambdas' own entry points, on the system clock as in AWS: seeded at the same clock.
  await seedDemo(t.doc, t.tableName, '*384*123#', systemClock.now());
  // The handlers read their configuration at import, as in Lambda.
  Object.assign(process.env, { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SAUTI_CALLBACK_TOKEN: 'test-token' });
  ussdModule = await import('../../functions/ussd/handler.js');
  ussd = ussdModule.handler;
  callbacks = (await import('../../functions/at-callbacks/handler.js')).handler;
});

describe('USSD Lambda handler', () => {
  it('answers 200 text/plain with CON and the language menu', async () => {
    const res = await ussd(ussdEvent(request), ctx());
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^CON Welcome to Sauti/);
  });

  it('reads a body that API Gateway did not base64-encode too', async () => {
    const event = ussdEvent({ ...request, sessionId: 'h-plain' });
    const plain = { ...event, body: Buffer.from(event.body ?? '', 'base64').toString(), isBase64Encoded: false };
    expect((await ussd(plain, ctx())).body).toMatch(/^CON Welcome/);
  });

  it('answers 404 to a wrong token and stores nothing', async () => {
    const phoneNumber = '+254713000002';
    const res = await ussd(ussdEvent({ ...request, sessionId: 'h-bad', phoneNumber, text: enrolmentInputs().join('*') }, 'wrong'), ctx());
    expect(res.statusCode).toBe(404);
    expect(await new DynamoParticipantStore(t.doc, t.tableName).getByPhone('athi-river-2026', phoneNumber)).toBeUndefined();
  });

  it('answers END with a message, not an error, to a malformed body', async () => {
    const event = { ...ussdEvent(request), body: Buffer.from('text=1&phoneNumber=').toString('base64') };
    const res = await ussd(event, ctx());
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^END Sorry/);
  });

  it('enrols through the handler, with a repeated request changing nothing', async () => {
    const phoneNumber = '+254713000003';
    let last: APIGatewayProxyStructuredResultV2 = {};
    for (const text of texts(enrolmentInputs(2))) {
      last = await ussd(ussdEvent({ ...request, sessionId: 'h-enrol', phoneNumber, text }), ctx());
      expect((await ussd(ussdEvent({ ...request, sessionId: 'h-enrol', phoneNumber, text }), ctx())).body).toBe(last.body);
    }
    expect(last.body).toMatch(/^END Asante/);
    const p = await new DynamoParticipantStore(t.doc, t.tableName).getByPhone('athi-river-2026', phoneNumber);
    expect(Object.keys(p?.baseline?.answers ?? {})).toHaveLength(3);
  });

  it('answers 200 END with an apology when DynamoDB fails', async () => {
    const mock = mockClient(ussdModule.dynamo);
    try {
      mock.on(BatchGetCommand).rejects(new Error('ProvisionedThroughputExceededException'));
      const res = await ussd(ussdEvent({ ...request, sessionId: 'h-fail' }), ctx());
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^END Sorry, something went wrong/);
    } finally {
      mock.restore();
    }
  });
});

describe('USSD handler under any input', () => {
  it('always answers 200 with a CON or END screen within the limit: garbage, long input, * and #, replays', async () => {
    const key = fc.oneof(
      fc.constantFrom('0', '1', '2', '3', '4', '5', '98', '99', '00', '#', '*', '**', '1#', ' ', '5,000', '-1', '1e9'),
      fc.string({ maxLength: 12 }),
      fc.string({ minLength: 200, maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
    );
    const who = fc.constantFrom('+254700000001', '+254700000004', '+254700000003', '+254713009999', '0700000001', 'garbage');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(who, fc.array(key, { maxLength: 12 }), fc.boolean(), async (phoneNumber, keys, replay) => {
        const sessionId = `fuzz-${(n += 1)}`;
        const texts = keys.map((_, i) => keys.slice(0, i + 1).join('*'));
        for (const text of ['', ...texts]) {
          for (let copy = 0; copy < (replay ? 2 : 1); copy += 1) {
            const res = await ussd(ussdEvent({ ...request, sessionId, phoneNumber, text }), ctx());
            expect(res.statusCode).toBe(200);
            expect(res.body).toMatch(/^(CON|END) /);
            expect(fitsUssd(res.body ?? '')).toBe(true);
            // The apology is for failures: a well-formed request, however odd, never gets it.
            if (text.length <= 400) expect(res.body).not.toContain('something went wrong');
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('Africa\'s Talking callbacks handler', () => {
  it('stores a callback once and acknowledges every resend', async () => {
    const fields = { id: 'ATXid_h1', status: 'Success', phoneNumber: '+254713000001', networkCode: '63902' };
    expect((await callbacks(callbackEvent('/sms/delivery', fields), ctx())).statusCode).toBe(200);
    expect((await callbacks(callbackEvent('/sms/delivery', fields), ctx())).statusCode).toBe(200);
  });

  it('refuses a callback without its id, and a wrong token, changing nothing', async () => {
    const missing = await callbacks(callbackEvent('/sms', { from: '+254713000001', text: 'hi' }), ctx());
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('"id"');
    expect((await callbacks(callbackEvent('/sms', { id: 'x' }, 'nope'), ctx())).statusCode).toBe(404);
  });

  it('moves a message forward on its delivery report, once, even out of order', async () => {
    const messages = new DynamoMessageStore(t.doc, t.tableName);
    await messages.create({ messageId: 'prompt#2026-W48#p_dlr#0', studyId: 's', participantId: 'p_dlr', purpose: 'prompt', period: '2026-W48', createdAt: '2026-11-27T15:00:00Z' });
    await messages.accepted('prompt#2026-W48#p_dlr#0', 'ATXid_dlr', '2026-11-27T15:00:01Z');
    const report = (status: string) => callbacks(callbackEvent('/sms/delivery', { id: 'ATXid_dlr', status, phoneNumber: '+254713000001', networkCode: '63902', failureReason: '', retryCount: '0' }), ctx());
    expect((await report('Success')).statusCode).toBe(200);
    expect((await report('Success')).statusCode).toBe(200);
    // A late "Sent" for the same message arrives after its "Success": acknowledged, ignored.
    expect((await report('Sent')).statusCode).toBe(200);
    expect(await messages.get('prompt#2026-W48#p_dlr#0')).toMatchObject({ status: 'Success', providerId: 'ATXid_dlr' });
  });

  it('stores end-of-session notifications by session id', async () => {
    const res = await callbacks(callbackEvent('/ussd/events', { sessionId: 'h-1', status: 'Success', hopsCount: '3' }), ctx());
    expect(res.statusCode).toBe(200);
  });
});
