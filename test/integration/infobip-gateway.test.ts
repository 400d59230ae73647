/**
 * The Infobip adapter (real fetch, real HTTP) against the local fake of the SMS API v3, and
 * the status mapping of its answers and delivery reports. Nothing here reaches the internet.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InfobipSmsGateway } from '../../functions/adapters/infobip/sms-gateway.js';
import { reportStatus } from '../../functions/adapters/infobip/status.js';
import type { SmsBatch } from '../../functions/core/ports/sms.js';
import { providerKey } from '../../functions/core/sms/idempotency.js';
import { type FakeInfobip, REJECTED_DND, startFakeInfobip } from '../support/fake-infobip-server.js';

const KEY = 'infobip-test-key';
let fake: FakeInfobip;
beforeAll(async () => {
  fake = await startFakeInfobip({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const gateway = (overrides: Partial<{ apiKey: string; timeoutMs: number }> = {}) => new InfobipSmsGateway({ apiKey: KEY, baseUrl: fake.url, ...overrides });
const ke = (i: number) => `+25471100${String(i).padStart(4, '0')}`;
const batch = (to: string[], from = 'SAUTI'): SmsBatch => ({ text: 'Sauti: dial *384*123#', from, to, provider: 'infobip', messageIds: Object.fromEntries(to.map((p) => [p, `prompt#s#W48#${p}#0`])) });

describe('InfobipSmsGateway against the fake Infobip API', () => {
  it('sends one text to ≤ 100 destinations a request, App key, digits without +, our messageId each', async () => {
    const to = Array.from({ length: 130 }, (_, i) => ke(i));
    const b = batch(to);
    const outcomes = await gateway().sendBulk(b);
    expect(fake.requests.map((r) => r.asked.length)).toEqual([100, 30]);
    expect(fake.requests[0]).toMatchObject({ path: '/sms/3/messages', authorization: `App ${KEY}` });
    expect(fake.requests[0]?.asked[0]).toEqual({ to: '254711000000', messageId: providerKey(b.messageIds![ke(0)]!), text: 'Sauti: dial *384*123#', sender: 'SAUTI' });
    expect(outcomes.get(ke(5))).toEqual({ status: 'accepted', providerId: providerKey(b.messageIds![ke(5)]!) });
    expect([...outcomes.values()].every((o) => o.status === 'accepted')).toBe(true);
  });

  it('REJECTED_DND opts the number out; the others go', async () => {
    fake.script({ to: '254711000002', status: REJECTED_DND });
    const outcomes = await gateway().sendBulk(batch([ke(1), ke(2)]));
    expect(outcomes.get(ke(2))).toEqual({ status: 'permanent', reason: 'REJECTED REJECTED_DND', optedOut: true });
    expect(outcomes.get(ke(1))?.status).toBe('accepted');
    expect(fake.delivered.map((m) => m.to)).toEqual(['254711000001']);
  });

  it.each([
    ['HTTP 503', { httpStatus: 503 }, 'HTTP 503'],
    ['HTTP 429', { httpStatus: 429 }, 'HTTP 429'],
    ['a 200 that is not JSON', { httpStatus: 200, body: '<html>' }, 'answer is not JSON (HTTP 200)'],
    ['a 200 without messages', { httpStatus: 200, body: '{"bulkId":"x"}' }, 'answer without messages (HTTP 200)'],
  ])('%s: retried with the reason, nothing sent', async (_, rule, reason) => {
    fake.script(rule);
    const outcomes = await gateway().sendBulk(batch([ke(1)]));
    expect(outcomes.get(ke(1))).toEqual({ status: 'retry', reason });
    expect(fake.delivered).toEqual([]);
  });

  it('a timeout is a retry; bad credentials and a bad request reject, without the key or numbers', async () => {
    fake.script({ delayMs: 2_000 });
    expect((await gateway({ timeoutMs: 200 }).sendBulk(batch([ke(1)]))).get(ke(1))).toEqual({ status: 'retry', reason: 'timeout after 200 ms' });
    const auth = await gateway({ apiKey: 'wrong' }).sendBulk(batch([ke(1)])).catch((e: unknown) => e as Error);
    expect((auth as Error).message).toBe('Infobip refused the credentials: HTTP 401');
    fake.script({ httpStatus: 400, body: '{"description":"Invalid destination 254711000001"}' });
    const bad = await gateway().sendBulk(batch([ke(1)])).catch((e: unknown) => e as Error);
    expect((bad as Error).message).toContain('HTTP 400');
    expect((bad as Error).message).not.toContain('254711000001');
  });

  it('maps delivery reports forward: pending < at the operator < delivered; undeliverable, expired, rejected final', () => {
    expect(reportStatus({ groupId: 1, name: 'PENDING_ENROUTE' })).toBe('Submitted');
    expect(reportStatus({ groupId: 3, name: 'DELIVERED_TO_OPERATOR' })).toBe('Buffered');
    expect(reportStatus({ groupId: 3, name: 'DELIVERED_TO_HANDSET' })).toBe('Success');
    expect(reportStatus({ groupId: 2 })).toBe('Failed');
    expect(reportStatus({ groupId: 4 })).toBe('Expired');
    expect(reportStatus({ groupId: 5 })).toBe('Rejected');
    expect(reportStatus({ groupId: 9 })).toBeUndefined();
  });
});
