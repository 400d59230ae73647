import fc from 'fast-check';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalQueue } from '../../infra/local/queue.js';

describe('the local queue (SQS semantics)', () => {
  it('delivers in batches with the SQS event shape and removes what succeeded', async () => {
    const events: SQSEvent[] = [];
    const q = new LocalQueue(async (e) => {
      events.push(e);
      return { batchItemFailures: [] };
    }, { batchSize: 2 });
    for (const n of [1, 2, 3]) q.send({ n });
    expect(await q.poll()).toBe(3);
    expect(events.map((e) => e.Records.length)).toEqual([2, 1]);
    expect(JSON.parse(events[0]?.Records[0]?.body ?? '{}')).toEqual({ n: 1 });
    expect(events[0]?.Records[0]?.eventSource).toBe('aws:sqs');
    expect(q.size).toBe(0);
  });

  it('redelivers only the reported failures, after the backoff, and dead-letters after max receives', async () => {
    let now = 0;
    const q = new LocalQueue(async (e) => ({ batchItemFailures: e.Records.filter((r) => JSON.parse(r.body).fail).map((r) => ({ itemIdentifier: r.messageId })) }), {
      maxReceives: 3, backoffMs: () => 1000, now: () => now,
    });
    q.send({ fail: true });
    q.send({ fail: false });
    await q.poll();
    expect(q.size).toBe(1);
    expect(await q.poll()).toBe(0); // not visible yet
    now += 1000;
    await q.poll();
    now += 1000;
    await q.poll();
    expect(q.size).toBe(0);
    expect(q.deadLetters).toMatchObject([{ receives: 3, reason: 'reported as failed by the handler' }]);
  });

  it('fails the whole batch when the handler throws, and loses nothing for any failure pattern', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 20 }), fc.boolean(), async (failTimes, crash) => {
        let now = 0;
        const seen = new Map<number, number>();
        const done = new Set<number>();
        const q = new LocalQueue(async (e) => {
          if (crash && e.Records.some((r) => (seen.get(JSON.parse(r.body).i) ?? 0) === 0 && JSON.parse(r.body).i === 0)) {
            for (const r of e.Records) seen.set(JSON.parse(r.body).i, (seen.get(JSON.parse(r.body).i) ?? 0) + 1);
            throw new Error('crash');
          }
          const failures = [];
          for (const r of e.Records) {
            const { i } = JSON.parse(r.body) as { i: number };
            const n = (seen.get(i) ?? 0) + 1;
            seen.set(i, n);
            if (n <= (failTimes[i] ?? 0)) failures.push({ itemIdentifier: r.messageId });
            else done.add(i);
          }
          return { batchItemFailures: failures };
        }, { maxReceives: 3, backoffMs: () => 10, now: () => now, batchSize: 4 });
        failTimes.forEach((_, i) => q.send({ i }));
        for (let round = 0; round < 10 && q.size > 0; round += 1) {
          await q.poll();
          now += 10;
        }
        // Every message either succeeded or is dead-lettered, never both, never lost.
        const dead = q.deadLetters.map((d) => (JSON.parse(d.body) as { i: number }).i);
        expect(q.size).toBe(0);
        for (let i = 0; i < failTimes.length; i += 1) expect(done.has(i) !== dead.includes(i)).toBe(true);
      }),
    );
  });
});
