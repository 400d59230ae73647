/**
 * The SSL Wireless adapter (real fetch, real HTTP) against the local fake of the Push SMS API
 * v3. Nothing here reaches the internet.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SslWirelessSmsGateway, sslMsisdn } from '../../functions/adapters/sslwireless/sms-gateway.js';
import type { SmsBatch } from '../../functions/core/ports/sms.js';
import { providerKey } from '../../functions/core/sms/idempotency.js';
import { type FakeSsl, startFakeSslWireless } from '../support/fake-sslwireless-server.js';

const TOKEN = 'ssl-test-token';
const SID = 'SAUTIBD';
let fake: FakeSsl;
let whole: FakeSsl;

beforeAll(async () => {
  fake = await startFakeSslWireless({ apiToken: TOKEN, sid: SID });
  whole = await startFakeSslWireless({ apiToken: TOKEN, sid: SID, perNumberFailure: 'whole' });
});
afterAll(async () => {
  await fake.close();
  await whole.close();
});
beforeEach(() => {
  fake.reset();
  whole.reset();
});

const gateway = (on: FakeSsl = fake, overrides: Partial<{ apiToken: string; timeoutMs: number }> = {}) =>
  new SslWirelessSmsGateway({ apiToken: TOKEN, sid: SID, baseUrl: on.url, ...overrides });
const bd = (i: number) => `+8801711${String(i).padStart(6, '0')}`;
const BANGLA = 'এ সপ্তাহের প্রশ্নের উত্তর দিতে *384*880# ডায়াল করুন। ধন্যবাদ!';
let run = 0;
/** A batch whose numbers each carry a message id of this test (fresh csms_ids per test). */
function batch(to: string[], text = BANGLA): SmsBatch {
  run += 1;
  return { text, to, provider: 'sslwireless', messageIds: Object.fromEntries(to.map((p) => [p, `prompt#dhaka#2026-W48#${run}-${p}#0`])) };
}

describe('SslWirelessSmsGateway against the fake SSL Wireless API', () => {
  it('sends one csms_id per message, msisdn 8801… without +, Bangla as UTF-8, at most 100 a call', async () => {
    const to = Array.from({ length: 250 }, (_, i) => bd(i));
    const b = batch(to);
    const outcomes = await gateway().sendBulk(b);
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/v3/send-sms/dynamic', '/api/v3/send-sms/dynamic', '/api/v3/send-sms/dynamic']);
    expect(fake.requests.map((r) => r.asked.length)).toEqual([100, 100, 50]);
    const first = fake.requests[0]!;
    expect(first.contentType).toMatch(/^application\/json/);
    expect(first.json).toMatchObject({ api_token: TOKEN, sid: SID });
    expect(first.asked[0]).toEqual({ msisdn: '8801711000000', text: BANGLA, csmsId: providerKey(b.messageIds![bd(0)]!) });
    expect(new Set(fake.delivered.map((m) => m.csmsId)).size).toBe(250);
    expect([...outcomes.values()].every((o) => o.status === 'accepted')).toBe(true);
    expect(outcomes.get(bd(7))).toEqual({ status: 'accepted', providerId: providerKey(b.messageIds![bd(7)]!) });
  });

  it('a resend of the same messages is a 4023 duplicate: accepted, and nothing reaches a phone twice', async () => {
    const b = batch([bd(1), bd(2), bd(3)]);
    await gateway().sendBulk(b);
    const again = await gateway().sendBulk(b);
    expect(fake.delivered).toHaveLength(3);
    expect([...again.values()].map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
    // A single message resent: the one-number endpoint answers 4023 itself.
    const one = batch([bd(4)]);
    await gateway().sendBulk(one);
    expect((await gateway().sendBulk(one)).get(bd(4))).toMatchObject({ status: 'accepted' });
    expect(fake.requests.at(-1)).toMatchObject({ path: '/api/v3/send-sms', accepted: [] });
    expect(fake.delivered).toHaveLength(4);
  });

  for (const [name, on] of [['partial', () => fake], ['whole', () => whole]] as const) {
    it(`4026 opts out, 4025 fails, the rest go once (${name} refusals)`, async () => {
      const f = on();
      f.script({ msisdn: '8801711000002', statusCode: 4026 }, { msisdn: '8801711000003', statusCode: 4025 });
      const outcomes = await gateway(f).sendBulk(batch([bd(1), bd(2), bd(3), bd(4)]));
      expect(outcomes.get(bd(2))).toEqual({ status: 'permanent', reason: 'status_code 4026 (blocked number)', optedOut: true });
      expect(outcomes.get(bd(3))).toEqual({ status: 'permanent', reason: 'status_code 4025 (invalid number)', optedOut: false });
      expect(outcomes.get(bd(1))?.status).toBe('accepted');
      expect(outcomes.get(bd(4))?.status).toBe('accepted');
      expect(f.delivered.map((m) => m.msisdn).sort()).toEqual(['8801711000001', '8801711000004']);
    });
  }

  it('refuses numbers SSL Wireless cannot take before sending', async () => {
    const outcomes = await gateway().sendBulk(batch(['+254711000001', '+88021234567', bd(5)]));
    expect(outcomes.get('+254711000001')).toMatchObject({ status: 'permanent', optedOut: false });
    expect(outcomes.get('+88021234567')).toMatchObject({ status: 'permanent' });
    expect(fake.requests.flatMap((r) => r.asked.map((m) => m.msisdn))).toEqual(['8801711000005']);
    expect(sslMsisdn('+8801911123456')).toBe('8801911123456');
  });

  it.each([
    ['a rate limit (4029)', { statusCode: 4029 }, 'status_code 4029 (rate limit)'],
    ['a TPS limit (4031)', { statusCode: 4031 }, 'status_code 4031 (rate limit)'],
    ['an HTTP 502', { httpStatus: 502, body: '<html>Bad gateway</html>' }, 'HTTP 502'],
    ['an answer that is not JSON', { body: '<html>maintenance</html>' }, 'answer is not JSON (HTTP 200)'],
    ['JSON without status_code', { body: '{"status":"SUCCESS"}' }, 'answer without status_code (HTTP 200)'],
    ['an unknown status_code', { statusCode: 4999 }, 'unknown status_code 4999 Error'],
  ])('%s: every message retried with the reason, nothing sent', async (_, rule, reason) => {
    fake.script(rule);
    const outcomes = await gateway().sendBulk(batch([bd(1), bd(2)]));
    expect([...outcomes.values()]).toEqual([{ status: 'retry', reason }, { status: 'retry', reason }]);
    expect(fake.delivered).toEqual([]);
  });

  it('a SUCCESS without smsinfo is retried, and the retry is a 4023, not a second SMS', async () => {
    fake.script({ omitSmsinfo: true });
    const b = batch([bd(1), bd(2)]);
    expect([...(await gateway().sendBulk(b)).values()]).toEqual([
      { status: 'retry', reason: 'no smsinfo in the answer' },
      { status: 'retry', reason: 'no smsinfo in the answer' },
    ]);
    const again = await gateway().sendBulk(b);
    expect([...again.values()].map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(fake.delivered).toHaveLength(2);
  });

  it('times out a slow answer, and the retry after it finds the messages sent (4023)', async () => {
    fake.script({ respondAfterMs: 3_000 });
    const b = batch([bd(1), bd(2)]);
    const outcomes = await gateway(fake, { timeoutMs: 200 }).sendBulk(b);
    expect([...outcomes.values()]).toEqual([{ status: 'retry', reason: 'timeout after 200 ms' }, { status: 'retry', reason: 'timeout after 200 ms' }]);
    expect([...(await gateway().sendBulk(b)).values()].map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(fake.delivered).toHaveLength(2);
  });

  it('bad credentials reject the batch (no retry cures them), without the token in the error', async () => {
    const error = await gateway(fake, { apiToken: 'wrong-token' }).sendBulk(batch([bd(1)])).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('4001');
    expect((error as Error).message).not.toContain('wrong-token');
    expect((error as Error).message).not.toContain('8801');
  });

  it('a server that is not there: retry, never a crash', async () => {
    const gone = new SslWirelessSmsGateway({ apiToken: TOKEN, sid: SID, baseUrl: 'http://127.0.0.1:9' });
    const outcomes = await gone.sendBulk(batch([bd(1)]));
    expect(outcomes.get(bd(1))).toMatchObject({ status: 'retry' });
  });
});
