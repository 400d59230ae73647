/**
 * Issue 15, finding 1: no phone number in any DynamoDB key or index value. The demo seed
 * (infra/local/seed.ts) is written, a participant of it dials and texts (sessions, messages,
 * callbacks, once-markers, outbox entries), and every item of the table is then scanned: no key
 * or index attribute may hold any participant's number in any form (E.164, national, digits only),
 * while the attributes that sending needs still do.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { phoneVariants } from '../../functions/core/privacy/forget.js';
import { DEMO_SMS_SHORT_CODE, demoParticipants, demoStudy, DEMO_SERVICE_CODE } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/event.js';
import { seedDemos } from '../../infra/local/seed.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { callbackEvent, enrolmentInputs, texts, ussdEvent } from '../support/ussd.js';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'] as const;
const TOKEN = 'test-token';
const clock = { now: () => new Date('2026-11-24T07:00:00Z') };
let t: TestTable;

beforeAll(async () => {
  t = await createTestTable();
  await seedDemos(t.doc, t.tableName, DEMO_SERVICE_CODE, new Date('2026-11-23T06:00:00Z'));
  Object.assign(process.env, { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, SAUTI_CALLBACK_TOKEN: TOKEN, POWERTOOLS_LOG_LEVEL: 'ERROR' });
  // A new number enrols by USSD, and a seeded one texts (replies, a help marker, an outbox entry).
  const ussd = (await import('../../functions/ussd/handler.js')).createUssdHandler({ clock });
  for (const text of texts(enrolmentInputs(1))) await ussd(ussdEvent({ sessionId: 'keys-enrol', serviceCode: DEMO_SERVICE_CODE, phoneNumber: '+254713999001', text }), lambdaContext('t', 8000));
  // A number that only opened the menu: its enrolment session holds it.
  for (const text of ['', '1']) await ussd(ussdEvent({ sessionId: 'keys-open', serviceCode: DEMO_SERVICE_CODE, phoneNumber: '+254713999002', text }), lambdaContext('t', 8000));
  const sent: unknown[] = [];
  const callbacks = (await import('../../functions/at-callbacks/handler.js')).createCallbacksHandler({ queue: { enqueue: async (ms) => void sent.push(...ms) }, clock });
  for (const [i, text] of ['D 8000 M 200 500', 'hello', 'P agent charged me twice'].entries()) {
    await callbacks(callbackEvent('/sms', { from: '+254700000001', to: DEMO_SMS_SHORT_CODE, text, id: `keys-sms-${i}`, date: clock.now().toISOString(), linkId: '', networkCode: '63902' }, TOKEN), lambdaContext('t', 8000));
  }
  await callbacks(callbackEvent('/sms/delivery', { id: 'keys-dr-1', status: 'Success', phoneNumber: '+254700000001', networkCode: '63902' }, TOKEN), lambdaContext('t', 8000));
}, 120_000);


async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await t.doc.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('a seeded local table', () => {
  it('has no phone number in any key or index value, in any form, and keeps numbers where sending needs them', async () => {
    const numbers = [...demoParticipants(demoStudy(DEMO_SERVICE_CODE, clock.now()), clock.now()).map((p) => p.phone), '+254713999001', '+254713999002', ...Array.from({ length: 36 }, (_, i) => `+8801700${String(i + 1).padStart(6, '0')}`)];
    const forms = [...new Set(numbers.flatMap(phoneVariants))];
    // The forms really are E.164, digits only and national (0…, and without the trunk zero).
    expect(forms).toEqual(expect.arrayContaining(['+254700000001', '254700000001', '0700000001', '700000001']));
    const items = await scanAll();
    expect(items.length).toBeGreaterThan(numbers.length);
    const offending: string[] = [];
    for (const item of items) {
      for (const name of KEY_ATTRIBUTES) {
        const value = item[name];
        if (typeof value === 'string' && forms.some((f) => value.includes(f))) offending.push(`${name}=${value}`);
      }
    }
    expect(offending).toEqual([]);
    // Control: the participants' items still hold the number as an attribute (so the check can see one).
    const attributeNumbers = items.filter((i) => typeof i.phone === 'string' && numbers.includes(i.phone as string));
    expect(attributeNumbers.length).toBeGreaterThanOrEqual(numbers.length);
    const kinds = new Set(items.map((i) => String(i.pk).split('#')[0]));
    expect([...kinds]).toEqual(expect.arrayContaining(['STUDY', 'USSD', 'MSG', 'CALLBACK', 'ONCE']));
  });
});
