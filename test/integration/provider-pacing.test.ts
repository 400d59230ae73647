/**
 * Per-provider rate caps enforced by the sender (core/sms/pacing.ts) against the fakes, in
 * virtual time: the fakes stamp each call with the test's clock, and the busiest one-second
 * window is counted. One instance at the cap; several instances at their share (cap ÷
 * maxConcurrency) together under the cap; and a fake that refuses calls over its TPS (4031)
 * or answers 429: backed off and asked again, every message reached exactly once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InfobipSmsGateway } from '../../functions/adapters/infobip/sms-gateway.js';
import { SslWirelessSmsGateway } from '../../functions/adapters/sslwireless/sms-gateway.js';
import { pacersFromEnv } from '../../functions/adapters/sms-gateways.js';
import type { SmsBatch } from '../../functions/core/ports/sms.js';
import { instanceRate, Pacer } from '../../functions/core/sms/pacing.js';
import { PROVIDERS } from '../../functions/core/sms/providers.js';
import { type FakeInfobip, startFakeInfobip } from '../support/fake-infobip-server.js';
import { type FakeSsl, startFakeSslWireless } from '../support/fake-sslwireless-server.js';
import { busiestWindow, virtualTime } from '../support/virtual-time.js';

const bd = (i: number) => `+88017${String(10_000_000 + i).slice(-8)}`;
const ke = (i: number) => `+2547${10_000_000 + i}`;
const batchOf = (to: string[], tag: string): SmsBatch => ({ text: 'Sauti: প্রশ্ন', to, messageIds: Object.fromEntries(to.map((p) => [p, `prompt#${tag}#${p}`])) });

let clock = virtualTime();
let ssl: FakeSsl;
let strict: FakeSsl;
let ib: FakeInfobip;
beforeAll(async () => {
  ssl = await startFakeSslWireless({ apiToken: 't', sid: 'S', now: () => clock.now() });
  strict = await startFakeSslWireless({ apiToken: 't', sid: 'S', now: () => clock.now(), tps: PROVIDERS.sslwireless.requestsPerSecond });
  ib = await startFakeInfobip({ apiKey: 'k', now: () => clock.now() });
});
afterAll(() => Promise.all([ssl.close(), strict.close(), ib.close()]));
beforeEach(() => {
  clock = virtualTime();
  for (const f of [ssl, strict, ib]) f.reset();
});

const sslGateway = (url: string, requestsPerSecond: number) =>
  new SslWirelessSmsGateway({ apiToken: 't', sid: 'S', baseUrl: url, pacer: new Pacer({ requestsPerSecond, now: clock.now, sleep: clock.sleep }) });

describe('one sender instance', () => {
  it("SSL Wireless: 2,000 messages in 20 calls, never more than its cap in a second, each number once", async () => {
    const cap = PROVIDERS.sslwireless.requestsPerSecond;
    const to = Array.from({ length: 2000 }, (_, i) => bd(i));
    const outcomes = await sslGateway(ssl.url, cap).sendBulk(batchOf(to, 'one'));
    expect(ssl.requests).toHaveLength(20);
    expect(busiestWindow(ssl.requests.map((r) => r.at))).toBe(cap);
    expect(clock.vt.t).toBe((20 - 1) * (1000 / cap));
    expect(new Set(ssl.delivered.map((m) => m.msisdn)).size).toBe(2000);
    expect([...outcomes.values()].every((o) => o.status === 'accepted')).toBe(true);
  });

  it('Infobip: at most 10 requests a second (its default account cap)', async () => {
    const cap = PROVIDERS.infobip.requestsPerSecond;
    const gateway = new InfobipSmsGateway({ apiKey: 'k', baseUrl: ib.url, pacer: new Pacer({ requestsPerSecond: cap, now: clock.now, sleep: clock.sleep }) });
    await gateway.sendBulk(batchOf(Array.from({ length: 3000 }, (_, i) => ke(i)), 'ib'));
    expect(ib.requests).toHaveLength(30);
    expect(busiestWindow(ib.requests.map((r) => r.at))).toBe(cap);
  });

  it("the local stack's pacers run at each provider's cap; in AWS at its share of maxConcurrency", () => {
    const local = pacersFromEnv({});
    const aws = pacersFromEnv({ SAUTI_SEND_CONCURRENCY: '2' });
    expect(local.sslwireless.intervalMs).toBe(1000 / PROVIDERS.sslwireless.requestsPerSecond);
    expect(aws.sslwireless.intervalMs).toBe(1000 / instanceRate(PROVIDERS.sslwireless.requestsPerSecond, 2));
    expect(aws.infobip.intervalMs).toBe(1000 / (PROVIDERS.infobip.requestsPerSecond / 2));
    expect(() => pacersFromEnv({ SAUTI_SEND_CONCURRENCY: '0' })).toThrow(/SAUTI_SEND_CONCURRENCY/);
  });
});

describe('concurrent sender instances', () => {
  it.each([2, 3, 5])('%i instances, each at its share, stay under SSL Wireless\'s cap together, even with their turns aligned', async (n) => {
    const cap = PROVIDERS.sslwireless.requestsPerSecond;
    // Instances share nothing, so each runs on its own clock from the same instant (the worst
    // alignment); the fake refuses any call over its TPS in the merged timeline.
    for (let i = 0; i < n; i += 1) {
      clock = virtualTime();
      await sslGateway(strict.url, instanceRate(cap, n)).sendBulk(batchOf(Array.from({ length: 600 }, (_, j) => bd(i * 1000 + j)), `n${n}`));
    }
    expect(strict.requests).toHaveLength(6 * n);
    expect(busiestWindow(strict.requests.map((r) => r.at))).toBeLessThanOrEqual(cap);
    expect(strict.delivered).toHaveLength(600 * n);
  });
});

describe('a provider that says "too fast"', () => {
  it('SSL Wireless 4031 over its TPS: backed off and asked again, nothing lost, nothing twice', async () => {
    const to = Array.from({ length: 1500 }, (_, i) => bd(i));
    // Twice the cap: the fake refuses the excess with 4031.
    const outcomes = await sslGateway(strict.url, 2 * PROVIDERS.sslwireless.requestsPerSecond).sendBulk(batchOf(to, 'fast'));
    const refused = strict.requests.filter((r) => r.accepted.length === 0);
    expect(refused.length).toBeGreaterThan(0);
    expect([...outcomes.values()].every((o) => o.status === 'accepted')).toBe(true);
    expect(strict.delivered.map((m) => m.msisdn).sort()).toEqual(to.map((p) => p.slice(1)).sort());
  });

  it('Infobip HTTP 429: the same request again after the backoff; after the last one, a retry for the queue', async () => {
    ib.script({ httpStatus: 429, times: 2 });
    const gateway = new InfobipSmsGateway({ apiKey: 'k', baseUrl: ib.url, pacer: new Pacer({ requestsPerSecond: 10, now: clock.now, sleep: clock.sleep, backoffMs: [1000, 2000] }) });
    const first = await gateway.sendBulk(batchOf([ke(1), ke(2)], '429'));
    expect(ib.requests.map((r) => r.at)).toEqual([0, 1000, 3000]);
    expect([...first.values()].map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(ib.repeats).toEqual([]);
    ib.script({ httpStatus: 429, times: 3 });
    const second = await gateway.sendBulk(batchOf([ke(3)], '429'));
    expect(second.get(ke(3))).toEqual({ status: 'retry', reason: 'HTTP 429' });
    expect(ib.delivered).toHaveLength(2);
  });
});
