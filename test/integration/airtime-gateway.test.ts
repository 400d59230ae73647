/**
 * The Africa's Talking airtime adapter with the real SDK (africastalking 0.8.3, real axios, real
 * HTTP) against the local fake AT airtime server, and the payout sender's round over it. Nothing
 * here reaches the internet.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AfricasTalkingAirtimeGateway } from '../../functions/adapters/africastalking/airtime-gateway.js';
import { type AirtimeStatusCallback, applyStatusCallback } from '../../functions/core/payouts/callbacks.js';
import { idempotencyKey, type Payout, plannedPayout, SEND_LEASE_MS } from '../../functions/core/payouts/ledger.js';
import type { AirtimeGateway, AirtimeRequest } from '../../functions/core/ports/payouts.js';
import { sendDuePayouts } from '../../functions/core/payouts/send.js';
import { startFakeAtAirtime, type FakeAtAirtime } from '../support/fake-at-airtime.js';
import { readBody, serveFake } from '../support/fake-http.js';
import { manualClock, MemoryPayoutStore } from '../support/memory-payout-store.js';

const API_KEY = 'test-api-key';
let fake: FakeAtAirtime;

beforeAll(async () => {
  fake = await startFakeAtAirtime({ apiKey: API_KEY });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.payments.length = 0;
});

/** Never 'sandbox': that username switches the whole process to AT's sandbox URLs. */
function gateway(overrides: { apiKey?: string; timeoutMs?: number } = {}): AfricasTalkingAirtimeGateway {
  return new AfricasTalkingAirtimeGateway({ username: 'sauti-test', apiKey: API_KEY, baseUrl: fake.url, timeoutMs: 2000, ...overrides });
}

const kenyan = (i: number) => `+25471100${String(i).padStart(4, '0')}`;
let seq = 0;
function request(i: number, amount = 20): AirtimeRequest {
  seq += 1;
  return { payoutId: `payout#s1#week#2026-W10#p${i}-${seq}`, idempotencyKey: `payout#s1#week#2026-W10#p${i}-${seq}`, phone: kenyan(i), currency: 'KES', amount };
}

describe('AfricasTalkingAirtimeGateway against the fake AT airtime server', () => {
  it('sends each payout as one form-encoded request under its own Idempotency-Key, and maps the 201', async () => {
    const reqs = [request(1), request(2, 50)];
    const outcomes = await gateway().send(reqs);

    expect(fake.requests).toHaveLength(2);
    for (const r of reqs) {
      const sent = fake.requests.find((x) => x.idempotencyKey === r.idempotencyKey);
      expect(sent).toMatchObject({ path: '/version1/airtime/send', apiKey: API_KEY, recipients: [{ phoneNumber: r.phone, amount: `KES ${r.amount}` }] });
      expect(sent?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      expect(sent?.form.username).toBe('sauti-test');
      const payment = fake.payments.find((p) => p.idempotencyKey === r.idempotencyKey);
      expect(outcomes.get(r.payoutId)).toEqual({ status: 'sent', requestId: payment?.requestId, discount: '0' });
    }
    expect(fake.payments.map((p) => p.amount).sort()).toEqual(['KES 20.0000', 'KES 50.0000']);
  });

  it('a recipient AT answers Failed is a definite failure; a number the SDK would refuse is never sent', async () => {
    const failing = request(3);
    fake.script({ number: failing.phone, errorMessage: 'Insufficient Credit' });
    const invalid = { ...request(4), phone: '+2541' };
    const outcomes = await gateway().send([failing, invalid]);
    expect(outcomes.get(failing.payoutId)).toEqual({ status: 'failed', reason: 'AT: Insufficient Credit' });
    expect(outcomes.get(invalid.payoutId)).toMatchObject({ status: 'failed' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.payments).toHaveLength(0);
  });

  it('bad credentials are a definite failure (AT paid nothing), with no key or number in the reason', async () => {
    const r = request(5);
    const outcomes = await gateway({ apiKey: 'wrong' }).send([r]);
    expect(outcomes.get(r.payoutId)).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(outcomes.get(r.payoutId))).not.toMatch(/wrong|25471100/);
  });

  it.each([
    ['a 5xx before paying', { httpStatus: 503 }],
    ['a 5xx after paying', { httpStatus: 500, afterPaying: true }],
    ['a non-JSON 201 after paying', { httpStatus: 201, body: '<html>gateway</html>', afterPaying: true }],
    ['a timeout after paying', { respondAfterMs: 1500 }],
    ['a slow answer (timeout) before paying', { delayMs: 1500 }],
  ])('%s is retried under the same key and pays once', async (_label, rule) => {
    const r = request(6);
    fake.script(rule);
    const first = await gateway({ timeoutMs: 500 }).send([r]);
    expect(first.get(r.payoutId)?.status).toBe('retry');

    // The slow answer keeps processing after the client gave up, as AT would.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const second = await gateway({ timeoutMs: 2000 }).send([r]);
    expect(second.get(r.payoutId)?.status).toBe('sent');
    expect(fake.payments.filter((p) => p.idempotencyKey === r.idempotencyKey)).toHaveLength(1);
    expect(fake.requests.every((x) => x.idempotencyKey === r.idempotencyKey)).toBe(true);
  });

  it('AT_BASE_URL redirection stays inside our calls: other axios users of the SDK are left alone', async () => {
    const { default: axios } = await import('axios/dist/node/axios.cjs');
    const instance = axios.create({ baseURL: 'https://example.invalid' });
    expect(instance.defaults.baseURL).toBe('https://example.invalid');
    expect(instance.defaults.timeout).toBeFalsy();
  });
});

/** The sender's round over the real adapter: claims, crashes, concurrency, status callbacks. */
describe('the payout sender over the real SDK and the fake', () => {
  const start = '2026-03-09T10:00:00.000Z';

  // A study per test: the fake remembers idempotency keys across tests, as AT would.
  let study = 'ke-demo';
  beforeEach(() => {
    seq += 1;
    study = `ke-demo-${seq}`;
  });

  function payouts(n: number, clock: { now(): Date }): Payout[] {
    return Array.from({ length: n }, (_, i) =>
      plannedPayout(
        { studyId: study, participantId: `p${i}`, phone: kenyan(100 + i), reason: 'week', period: '2026-W10', amount: 20, currency: 'KES', channel: 'airtime', receipt: true },
        clock.now(),
      ),
    );
  }

  it('a sender killed after AT accepted does not pay again on the retry', async () => {
    const clock = manualClock(start);
    const store = new MemoryPayoutStore();
    const [p] = payouts(1, clock) as [Payout];
    await store.createPayouts([p]);
    // The "kill": the gateway is called and AT pays, but the sender never records the answer.
    const real = gateway();
    const dying: AirtimeGateway = {
      async send(reqs) {
        await real.send(reqs);
        throw new Error('killed');
      },
    };
    await expect(sendDuePayouts({ store, gateway: dying, clock }, await store.listPayouts(study))).rejects.toThrow('killed');
    expect(fake.payments).toHaveLength(1);

    // Within the lease nobody resends; after it, the resend carries the same key.
    const early = await sendDuePayouts({ store, gateway: real, clock }, await store.listPayouts(study));
    expect(early.sent).toBe(0);
    clock.advance(SEND_LEASE_MS);
    const round = await sendDuePayouts({ store, gateway: real, clock }, await store.listPayouts(study));
    expect(round.sent).toBe(1);
    expect(fake.payments).toHaveLength(1);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([idempotencyKey(p), idempotencyKey(p)]);
    expect(fake.requests[1]?.replayed).toBe(true);
    const stored = await store.getPayout(p.payoutId);
    expect(stored?.requests).toEqual([{ attempt: 1, requestId: fake.payments[0]?.requestId }]);
  });

  it('two senders at once pay each payout once', async () => {
    const clock = manualClock(start);
    const store = new MemoryPayoutStore();
    await store.createPayouts(payouts(12, clock));
    const list = await store.listPayouts(study);
    const [a, b] = await Promise.all([sendDuePayouts({ store, gateway: gateway(), clock }, list), sendDuePayouts({ store, gateway: gateway(), clock }, list)]);
    expect(a.sent + b.sent).toBe(12);
    expect(a.lost + b.lost).toBe(12);
    expect(new Set(fake.payments.map((p) => p.phoneNumber)).size).toBe(12);
    expect(fake.payments).toHaveLength(12);
  });

  it('status callbacks, out of order and replayed, settle each payout once; an unknown requestId changes nothing', async () => {
    const clock = manualClock(start);
    const store = new MemoryPayoutStore();
    await store.createPayouts(payouts(4, clock));
    await sendDuePayouts({ store, gateway: gateway(), clock }, await store.listPayouts(study));
    const [failedId] = fake.payments.map((p) => p.requestId);

    const receiver = await serveFake(async (req: IncomingMessage, res) => {
      const cb = JSON.parse(await readBody(req)) as AirtimeStatusCallback;
      const payout = await store.payoutOfRequest(cb.requestId);
      const decision = applyStatusCallback(payout, cb, clock.now());
      if (decision.kind === 'unknown') await store.recordUnmatchedCallback(cb, clock.now());
      if (decision.kind === 'advanced') await store.savePayout(decision.next);
      res.writeHead(200).end();
    });
    try {
      const url = `${receiver.url}/airtime/status`;
      await fake.sendStatusCallbacks(url, { reverse: true, failed: [failedId as string] });
      const writesAfterFirst = store.writes.length;
      expect(await fake.sendStatusCallbacks(url, { reverse: false, failed: [failedId as string] })).toEqual([200, 200, 200, 200]);
      expect(store.writes.length).toBe(writesAfterFirst);
      // A Success arriving after the Failed of the same attempt: the money went out after all.
      await fake.sendStatusCallbacks(url, { requestIds: [failedId as string] });

      const all = await store.listPayouts(study);
      expect(all.every((p) => p.status === 'succeeded')).toBe(true);

      const before = structuredClone(await store.listPayouts(study));
      const res = await fetch(url, { method: 'POST', body: JSON.stringify({ phoneNumber: kenyan(999), status: 'Success', requestId: 'ATQid_unknown', value: 'KES 20.0000' }) });
      expect(res.status).toBe(200);
      expect(store.unmatched.map((c) => c.requestId)).toEqual(['ATQid_unknown']);
      expect(await store.listPayouts(study)).toEqual(before);
    } finally {
      await receiver.close();
    }
  });
});
