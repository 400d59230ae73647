import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../support/stack.js';
import { formatReport, summarize } from './load.js';
import { runSuite } from './suite.js';

/** The short version of `npm run reliability`: 20 virtual participants for 5 s. */
afterAll(() => killAll());

describe('reliability: load', () => {
  it('acknowledged answers are all stored once, with no 5xx and no apology, under concurrent sessions and SMS', async () => {
    const { load, rec, tampered } = await runSuite({ concurrency: 20, seconds: 5, participantsPerWorker: 1, smsEveryMs: 100, deliveryEveryMs: 100 });
    const report = formatReport(load, rec);
    const kinds = summarize(load);
    expect(load.attempts.filter((a) => a.acked).length, report).toBeGreaterThan(20);
    expect(load.sessions.saved, report).toBeGreaterThan(0);
    for (const k of kinds) {
      expect(k.requests, report).toBeGreaterThan(0);
      expect(k.http5xx + k.networkErrors, `${k.kind}: ${report}`).toBe(0);
      expect(k.apologies, `${k.kind}: ${report}`).toBe(0);
    }
    expect(load.sessions.failed, report).toBe(0);
    expect(rec.lost, report).toEqual([]);
    expect(rec.changed, report).toEqual([]);
    expect(rec.duplicateRecords, report).toEqual([]);
    expect(rec.unexpected, report).toEqual([]);
    expect(rec.notComplete, report).toEqual([]);
    // The same check finds a forged acknowledgement (changed) and an invented one (lost).
    expect([tampered.changed.length, tampered.lost.length]).toEqual([1, 1]);
  }, 120_000);
});
