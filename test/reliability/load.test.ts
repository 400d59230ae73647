import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../support/stack.js';
import { formatReport, summarize } from './load.js';
import { runSuite } from './suite.js';

/**
 * The short version of `npm run reliability`: 20 virtual participants, each with two whole
 * sessions (a first diary, then a re-dial that changes an answer from the review), with SMS
 * and delivery reports alongside. A fixed amount of work, however long it takes: the verdict
 * is correctness, and throughput is reported by `npm run reliability` and `npm run bench`.
 */
afterAll(() => killAll());

describe('reliability: load', () => {
  it('acknowledged answers are all stored once, with no 5xx and no apology, under concurrent sessions and SMS', async () => {
    const workers = 20;
    const { load, rec, tampered } = await runSuite({ concurrency: workers, sessionsPerWorker: 2, participantsPerWorker: 1, smsEveryMs: 100, deliveryEveryMs: 100 });
    const report = formatReport(load, rec);
    const kinds = summarize(load);
    expect(load.sessions.started, report).toBe(2 * workers);
    expect(load.sessions.saved, report).toBe(2 * workers);
    expect(load.sessions.reviews, report).toBe(workers);
    expect(load.sessions.changes, report).toBe(workers);
    expect(load.sessions.cutAtDeadline, report).toBe(0);
    expect(load.attempts.filter((a) => a.acked).length, report).toBeGreaterThan(2 * workers);
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
  }, 600_000);
});
