import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { dynamoDispatchPorts } from '../../functions/adapters/dynamo/dispatch-ports.js';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoOutboxGateway } from '../../functions/adapters/dynamo/outbox-gateway.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import type { Study } from '../../functions/core/model.js';
import { type DispatchInput, dispatchStudy } from '../../functions/core/schedule/dispatch.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import { DEMO_PARTICIPANTS } from '../../infra/local/demo.js';
import { LocalQueue } from '../../infra/local/queue.js';
import { seedDemos } from '../../infra/local/seed.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * The dispatcher over the demo studies, through the local queue and the real sender into the
 * outbox: each participant gets each message once, whatever is run twice, at once, or crashes.
 */
let t: TestTable;
let kenya: Study;
let dhaka: Study;
let queue: LocalQueue;
let outbox: DynamoOutboxGateway;
let now = Date.parse('2026-11-27T15:00:00Z'); // Friday 18:00 in Nairobi
const clock = { now: () => new Date(now) };

beforeAll(async () => {
  t = await createTestTable();
  const [k, d] = await seedDemos(t.doc, t.tableName, '*384*123#', new Date('2026-11-02T08:00:00Z'));
  kenya = k?.study as Study;
  dhaka = d?.study as Study;
  // The sender reads its configuration at import: no AT credentials, so the outbox.
  Object.assign(process.env, { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, AT_USERNAME: '', AT_API_KEY: '' });
  // The sender runs on the test's clock: a system-clock sender made this test a time bomb
  // (its "sent at" fell after the test's dates once the real date passed them), and it
  // checks quiet hours at send time.
  outbox = new DynamoOutboxGateway(t.doc, t.tableName, clock.now);
  const sender = (await import('../../functions/sms-send/handler.js')).createSendHandler({ gateway: outbox, clock }) as (e: SQSEvent) => Promise<SQSBatchResponse>;
  queue = new LocalQueue(sender, { now: () => now });
});

const input = (study: Study): DispatchInput => ({ study, content, now: new Date(now) });
const ports = () => dynamoDispatchPorts(t.doc, t.tableName, queue);

async function drain() {
  for (let i = 0; i < 5 && queue.size > 0; i += 1) {
    await queue.poll();
    now += 2000;
  }
}

describe('the dispatcher', () => {
  it('prompts every participant at the local hour, once, however often it runs', async () => {
    const first = await dispatchStudy(input(kenya), ports());
    expect(first).toEqual({ created: DEMO_PARTICIPANTS, enqueued: DEMO_PARTICIPANTS });
    expect(await dispatchStudy(input(kenya), ports())).toEqual({ created: 0, enqueued: 0 });
    await drain();
    const inbox = await outbox.list({ to: '+254700000001' });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.text).toBe(content.sms?.prompt.sw?.replace('{code}', '*384*123#'));
    expect(queue.deadLetters).toEqual([]);
  });

  it('two dispatchers at once create each message once', async () => {
    now = Date.parse('2026-11-27T12:00:00Z'); // Friday 18:00 in Dhaka
    const both = await Promise.all([dispatchStudy(input(dhaka), ports()), dispatchStudy(input(dhaka), ports())]);
    expect(both[0].created + both[1].created).toBe(DEMO_PARTICIPANTS);
    await drain();
    expect(await outbox.list({ to: '+8801700000001' })).toHaveLength(1);
  });

  it('reminds a day later only those who have not answered', async () => {
    // One Kenyan participant saves this week's diary.
    const store = new DynamoUssdStore(t.doc, t.tableName);
    const when = new Date(Date.parse('2026-11-28T09:00:00Z'));
    const hop = await store.loadHop('-', kenya.studyId, '+254700000002', '2026-W48', when);
    await store.saveWeek({
      studyId: kenya.studyId, participantId: hop.participant?.participantId ?? '', phone: '+254700000002', week: '2026-W48', studyWeek: 3,
      questionnaireId: 'diary', questionnaireVersion: 1, answers: {}, complete: true, version: 1, createdAt: when.toISOString(), updatedAt: when.toISOString(),
    }, undefined);
    now = Date.parse('2026-11-28T15:00:00Z'); // Saturday 18:00 in Nairobi
    const r = await dispatchStudy(input(kenya), ports());
    expect(r.created).toBe(DEMO_PARTICIPANTS - 1);
    await drain();
    expect(await outbox.list({ to: '+254700000002' })).toHaveLength(1);
    expect(await outbox.list({ to: '+254700000001' })).toHaveLength(2);
  });

  it('loses nothing when it crashes between recording and enqueueing', async () => {
    now = Date.parse('2026-12-04T15:00:00Z'); // next Friday
    const phones = ['+254700000001', '+254700000015', '+254700000036'];
    const before = await Promise.all(phones.map(async (to) => (await outbox.list({ to })).length));
    let enqueues = 0;
    // Records the messages, then crashes before they reach the queue.
    const crashing = dynamoDispatchPorts(t.doc, t.tableName, {
      enqueue: async (ms: readonly OutboundMessage[]) => {
        if ((enqueues += ms.length) > 10) throw new Error('crash');
        await queue.enqueue(ms);
      },
    });
    await expect(dispatchStudy(input(kenya), crashing)).rejects.toThrow('crash');
    now += 11 * 60_000; // the next tick, with the recorded messages now stale
    const after = await dispatchStudy(input(kenya), ports());
    expect(after.enqueued).toBeGreaterThan(0);
    await drain();
    // Each got exactly one more message: this week's prompt.
    const after2 = await Promise.all(phones.map(async (to) => (await outbox.list({ to })).length));
    expect(after2).toEqual(before.map((n) => n + 1));
  });

  it('leaves a message the sender already tried to the queue and its DLQ, not to a re-enqueue', async () => {
    now = Date.parse('2026-12-11T15:00:00Z'); // a Friday, 18:00 in Nairobi
    const sent: OutboundMessage[] = [];
    const recording = dynamoDispatchPorts(t.doc, t.tableName, { enqueue: async (ms: readonly OutboundMessage[]) => void sent.push(...ms) });
    expect((await dispatchStudy(input(kenya), recording)).created).toBe(DEMO_PARTICIPANTS);
    // The sender tried one and gave it back for a retry; the others were never picked up.
    const messages = new DynamoMessageStore(t.doc, t.tableName);
    const tried = sent[0] as OutboundMessage;
    expect(await messages.claim(tried.messageId, new Date(now))).toBe(true);
    await messages.release(tried.messageId, new Date(now), 'AT 500');
    now += 11 * 60_000;
    sent.length = 0;
    const again = await dispatchStudy(input(kenya), recording);
    expect(again).toEqual({ created: 0, enqueued: DEMO_PARTICIPANTS - 1 });
    expect(sent.map((m) => m.messageId)).not.toContain(tried.messageId);
  });

  it('holds a queue that backed up past 21:00 until the morning: nothing lands in quiet hours, nothing twice', async () => {
    now = Date.parse('2026-12-18T12:00:00Z'); // Friday 18:00 in Dhaka: prompts planned in time
    expect((await dispatchStudy(input(dhaka), ports())).created).toBe(DEMO_PARTICIPANTS);
    const phones = ['+8801700000001', '+8801700000036'];
    const before = await Promise.all(phones.map(async (to) => (await outbox.list({ to })).length));
    // The queue is held back (a provider outage, a busy machine) until 21:37 in Dhaka.
    now = Date.parse('2026-12-18T15:37:00Z');
    await drain();
    expect(await Promise.all(phones.map(async (to) => (await outbox.list({ to })).length))).toEqual(before);
    const messages = new DynamoMessageStore(t.doc, t.tableName);
    const [prompt] = await messages.getMany(['prompt#dhaka-2026#2026-W51#dhaka-001#0']);
    expect(prompt).toMatchObject({ status: 'queued', notBefore: '2026-12-19T02:00:00.000Z' }); // Saturday 08:00 in Dhaka

    // Ticks through the night re-enqueue nothing; the first at 08:00 sends each prompt once.
    now = Date.parse('2026-12-19T01:45:00Z');
    expect((await dispatchStudy(input(dhaka), ports())).enqueued).toBe(0);
    now = Date.parse('2026-12-19T02:00:00Z');
    expect(await dispatchStudy(input(dhaka), ports())).toEqual({ created: 0, enqueued: DEMO_PARTICIPANTS });
    await drain();
    expect(await Promise.all(phones.map(async (to) => (await outbox.list({ to })).length))).toEqual(before.map((n) => n + 1));
    const [sent] = await messages.getMany(['prompt#dhaka-2026#2026-W51#dhaka-001#0']);
    expect(sent?.status).toBe('accepted');
    expect(Date.parse(sent?.sentAt ?? '')).toBeGreaterThanOrEqual(Date.parse('2026-12-19T02:00:00Z'));
    expect(queue.deadLetters).toEqual([]);
  });
});
