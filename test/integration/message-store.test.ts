import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import { DELIVERY_STATUSES, type DeliveryStatus, isFinal, statusRank } from '../../functions/core/sms/delivery.js';
import { createTestTable } from '../support/dynamo.js';

let store: DynamoMessageStore;
let n = 0;
const newMessage = () => {
  n += 1;
  return { messageId: `prompt#2026-W48#p${n}#0`, studyId: 's', participantId: `p${n}`, purpose: 'prompt', period: '2026-W48', createdAt: '2026-11-27T15:00:00Z' };
};

beforeAll(async () => {
  const t = await createTestTable();
  store = new DynamoMessageStore(t.doc, t.tableName);
});

describe('outbound messages and delivery reports', () => {
  it('creates a message once, however many dispatchers try at the same time', async () => {
    const m = newMessage();
    const created = await Promise.all(Array.from({ length: 5 }, () => store.create(m)));
    expect(created.filter(Boolean)).toHaveLength(1);
    expect((await store.get(m.messageId))?.status).toBe('queued');
  });

  it('moves only forward: a late Sent never overwrites Success, a resent report changes nothing', async () => {
    const m = newMessage();
    await store.create(m);
    await store.accepted(m.messageId, `ATXid_${n}`, '2026-11-27T15:00:01Z');
    expect(await store.report(`ATXid_${n}`, 'Success', undefined, '2026-11-27T15:00:05Z')).toBe(true);
    expect(await store.report(`ATXid_${n}`, 'Sent', undefined, '2026-11-27T15:00:06Z')).toBe(false);
    expect(await store.report(`ATXid_${n}`, 'Success', undefined, '2026-11-27T15:00:07Z')).toBe(false);
    expect(await store.get(m.messageId)).toMatchObject({ status: 'Success', providerId: `ATXid_${n}` });
    expect(await store.report('ATXid_unknown', 'Success', undefined, '2026-11-27T15:00:05Z')).toBe(false);
  });

  it('ends at the most advanced status reported, in any order, duplicates included', async () => {
    const status = fc.constantFrom<DeliveryStatus>(...DELIVERY_STATUSES);
    await fc.assert(
      fc.asyncProperty(fc.array(status, { minLength: 1, maxLength: 6 }), async (reports) => {
        const m = newMessage();
        await store.create(m);
        await store.accepted(m.messageId, `ATXid_${n}`, '2026-11-27T15:00:01Z');
        for (const s of reports) await store.report(`ATXid_${n}`, s, s === 'Failed' ? 'UserInBlacklist' : undefined, '2026-11-27T15:01:00Z');
        const stored = await store.get(m.messageId);
        const top = Math.max(...reports.map(statusRank));
        expect(stored?.rank).toBe(top);
        // The first report of the top rank stands; a final status is never replaced.
        expect(stored?.status).toBe(reports.find((s) => statusRank(s) === top));
        if (reports.some(isFinal)) expect(isFinal(stored?.status ?? 'queued')).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});

describe('claiming a message for sending', () => {
  it('lets one sender claim it, gives it back on retry, and takes over a stale claim', async () => {
    const m = newMessage();
    await store.create(m);
    const t0 = new Date('2026-11-27T15:00:00Z');
    const claims = await Promise.all(Array.from({ length: 4 }, () => store.claim(m.messageId, t0)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claim(m.messageId, new Date(t0.getTime() + 60_000))).toBe(false);
    await store.release(m.messageId, t0, 'AT 500');
    expect(await store.claim(m.messageId, t0)).toBe(true);
    // The sender holding it crashed: after the lease, another may take it.
    expect(await store.claim(m.messageId, new Date(t0.getTime() + 6 * 60_000))).toBe(true);
    await store.accepted(m.messageId, `ATXid_claim_${n}`, t0.toISOString());
    expect(await store.claim(m.messageId, new Date(t0.getTime() + 60 * 60_000))).toBe(false);
  });
});
