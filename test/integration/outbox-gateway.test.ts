import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoOutboxGateway } from '../../functions/adapters/dynamo/outbox-gateway.js';
import { createTestTable } from '../support/dynamo.js';

let outbox: DynamoOutboxGateway;
let tick = 0;

beforeAll(async () => {
  const t = await createTestTable();
  outbox = new DynamoOutboxGateway(t.doc, t.tableName, () => new Date(Date.parse('2026-11-27T15:00:00Z') + (tick += 1) * 1000));
});

describe('the local outbox gateway', () => {
  it('accepts every recipient of a bulk send, more than one write batch of them, and keeps each message', async () => {
    const to = Array.from({ length: 60 }, (_, i) => `+2547120${String(i).padStart(5, '0')}`);
    const outcomes = await outbox.sendBulk({ text: 'Sauti: time for this week\'s diary.', to: [...to, to[0] as string] });
    expect(outcomes.size).toBe(60);
    expect([...outcomes.values()].every((o) => o.status === 'accepted')).toBe(true);
    expect(await outbox.list({ to: to[7] })).toMatchObject([{ to: to[7], text: "Sauti: time for this week's diary." }]);
  });

  it('lists newest first, per number and for everyone, with Unicode intact', async () => {
    await outbox.sendBulk({ text: 'প্রথম', to: ['+8801700000001'] });
    await outbox.sendBulk({ text: 'দ্বিতীয়', to: ['+8801700000001'] });
    expect((await outbox.list({ to: '+8801700000001' })).map((e) => e.text)).toEqual(['দ্বিতীয়', 'প্রথম']);
    expect((await outbox.list({ limit: 1 }))[0]?.text).toBe('দ্বিতীয়');
  });

  it('stamps a batch with the instant the sender decided it, not when its write ended', async () => {
    await outbox.sendBulk({ text: 'decided', to: ['+254712999001'], decidedAt: '2026-11-27T17:59:59.000Z' });
    expect((await outbox.list({ to: '+254712999001' }))[0]?.at).toBe('2026-11-27T17:59:59.000Z');
  });
});
