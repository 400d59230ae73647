import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, type ScenarioResult, startRig } from './faults-rig.js';
import { ambiguousSends, atFaults, crashes } from './faults-sms.js';
import { sslWirelessFaults } from './faults-providers.js';
import { dynamoRestartUnderLoad, persistentStoreFaults, transientStoreFaults } from './faults-ussd.js';

/** The short version of `npm run reliability -- --only faults`. */
let rig: Rig;
// The rig sets the handlers' environment; the next test file in this worker must not inherit it.
const env = { ...process.env };
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.stop();
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
});

function expectClean(r: ScenarioResult): void {
  const text = `${r.name}: ${r.found}\n${r.problems.join('\n')}`;
  console.log(`${r.name}\n  tried: ${r.tried}\n  found: ${r.found}`);
  expect(r.problems, text).toEqual([]);
  expect([r.lost, r.duplicates, r.contaminations, r.http5xx], text).toEqual([0, 0, 0, 0]);
  expect(r.ok, text).toBe(true);
}

describe('reliability: faults', () => {
  it('transient DynamoDB throttling and 5xx: retried, every acknowledged answer stored once', async () => {
    const r = await transientStoreFaults(rig, { concurrency: 8, sessionsPerWorker: 2 });
    expectClean(r);
    expect(r.injected).toBeGreaterThan(5);
    expect(r.retries).toBeGreaterThan(0);
  }, 300_000);

  it('persistent DynamoDB failure: HTTP 200 END with the apology in the participant\'s language, nothing written', async () => {
    expectClean(await persistentStoreFaults(rig, 2));
  }, 300_000);

  it("Africa's Talking 5xx, timeouts, per-recipient failures: retried, no duplicate, failures recorded, DLQ after max receives", async () => {
    expectClean(await atFaults(rig));
  }, 300_000);

  it('dispatcher and sender killed half-way: no lost prompt, no duplicate, nothing to control or opted-out', async () => {
    const r = await crashes(rig);
    expectClean(r);
    expect(r.injected).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it('ambiguous sends (AT accepted, outcome unknown) are retried: duplicates counted, nothing lost', async () => {
    const r = await ambiguousSends(rig);
    console.log(`${r.name}\n  tried: ${r.tried}\n  found: ${r.found}`);
    expect(r.problems).toEqual([]);
    expect(r.lost).toBe(0);
    // At least once, never more: duplicates only among the recipients of those two requests (checked inside).
    expect(r.ok).toBe(true);
  }, 300_000);

  it('SSL Wireless rate limits, 5xx, bad answers, a late answer and a kill after acceptance: no duplicate (csms_id), nothing lost, 4026 opted out', async () => {
    expectClean(await sslWirelessFaults(rig));
  }, 300_000);

  it('DynamoDB Local killed and restarted under load: acknowledged answers survive, clients reconnect', async () => {
    expectClean(await dynamoRestartUnderLoad(rig, { concurrency: 8, sessionsPerWorker: 3 }));
  }, 600_000);
});
