import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import { LocalQueue } from '../../infra/local/queue.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { type FakeAt, startFakeAt } from '../support/fake-at-server.js';
import { addConsented } from '../support/members.js';
import { ussdService } from '../support/ussd-service.js';

/**
 * The sender Lambda end to end, locally: messages on the in-process queue (SQS semantics),
 * the real handler, the official SDK, and the fake Africa's Talking server; DynamoDB Local.
 */
let t: TestTable;
let at: FakeAt;
let svc: Awaited<ReturnType<typeof ussdService>>;
let handler: (e: SQSEvent) => Promise<SQSBatchResponse>;
let messages: DynamoMessageStore;
let now = 0;
// The sender's clock: a weekday morning in Nairobi plus the queue's simulated time, so quiet
// hours (checked at send time) never depend on when the suite runs.
const daytime = { now: () => new Date(Date.parse('2026-11-27T06:00:00Z') + now) };
let n = 0;

beforeAll(async () => {
  t = await createTestTable();
  svc = await ussdService(t);
  at = await startFakeAt({ apiKey: 'test-key' });
  Object.assign(process.env, { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, AT_USERNAME: 'sauti-test', AT_API_KEY: 'test-key', AT_BASE_URL: at.url, SAUTI_MAX_RECEIVES: '3' });
  const { createSendHandler, gatewayFromEnv } = await import('../../functions/sms-send/handler.js');
  handler = createSendHandler({ gateway: () => gatewayFromEnv(process.env, daytime), clock: daytime });
  messages = new DynamoMessageStore(t.doc, t.tableName);
});

afterAll(async () => {
  await at?.close();
});

async function queued(phone: string, text: string, treatmentOnly = false): Promise<OutboundMessage> {
  const p = await svc.participants.getByPhone(svc.study.studyId, phone);
  const m: OutboundMessage = { messageId: `prompt#2026-W48#${p?.participantId}#${(n += 1)}`, studyId: svc.study.studyId, participantId: p?.participantId ?? '?', phone, text, treatmentOnly };
  await messages.create({ messageId: m.messageId, studyId: m.studyId, participantId: m.participantId, purpose: 'prompt', period: '2026-W48', createdAt: '2026-11-27T15:00:00.000Z' });
  return m;
}

function queue() {
  return new LocalQueue(handler, { maxReceives: 3, backoffMs: () => 1000, now: () => now });
}

describe('the sender, locally end to end', () => {
  it('sends identical texts in one AT request, records providers, and never sends a lesson to control', async () => {
    at.reset();
    const [a, b, c] = [await addConsented(svc.participants, svc.study.studyId, 'en', 'treatment'), await addConsented(svc.participants, svc.study.studyId, 'en', 'treatment'), await addConsented(svc.participants, svc.study.studyId, 'en', 'control')];
    const q = queue();
    const sent = [await queued(a, 'Lesson: fees'), await queued(b, 'Lesson: fees'), await queued(c, 'Lesson: fees', true)];
    for (const m of sent) q.send(m);
    await q.poll();
    expect(at.requests).toHaveLength(1);
    expect(at.requests[0]?.to.sort()).toEqual([a, b].sort());
    expect((await messages.get(sent[0]?.messageId ?? ''))?.status).toBe('accepted');
    expect(await messages.get(sent[2]?.messageId ?? '')).toMatchObject({ status: 'skipped', failureReason: 'control-arm' });
    expect(q.size).toBe(0);
  });

  it('retries what AT could not take, then succeeds; a 406 opts the number out for good', async () => {
    at.reset();
    const flaky = await addConsented(svc.participants, svc.study.studyId, 'sw', 'control');
    const blocked = await addConsented(svc.participants, svc.study.studyId, 'sw', 'control');
    at.script({ number: flaky, statusCode: 500, times: 1 }, { number: blocked, statusCode: 406 });
    const q = queue();
    const [m1, m2] = [await queued(flaky, 'Shajara'), await queued(blocked, 'Shajara')];
    q.send(m1);
    q.send(m2);
    await q.poll();
    expect(q.size).toBe(1);
    now += 1000;
    await q.poll();
    expect(q.size).toBe(0);
    expect((await messages.get(m1.messageId))?.status).toBe('accepted');
    expect(await messages.get(m2.messageId)).toMatchObject({ status: 'failed' });
    expect((await svc.participants.getByPhone(svc.study.studyId, blocked))?.consent).toMatchObject({ state: 'withdrawn', channel: 'provider' });
    // Nothing more goes to that number.
    const later = await queued(blocked, 'Reminder');
    const before = at.requests.length;
    q.send(later);
    await q.poll();
    expect(at.requests.length).toBe(before);
    expect(await messages.get(later.messageId)).toMatchObject({ status: 'skipped', failureReason: 'not-opted-in' });
  });

  it('puts a message AT never takes, and a malformed one, in the dead letters after the last attempt', async () => {
    at.reset();
    at.script({ httpStatus: 503, times: 10 });
    const phone = await addConsented(svc.participants, svc.study.studyId, 'en', 'control');
    const q = queue();
    const m = await queued(phone, 'Prompt');
    q.send(m);
    q.send({ not: 'a message' });
    await q.poll();
    // Between attempts the record keeps the attempt and why (so the dispatcher leaves it to the queue).
    expect(await messages.get(m.messageId)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringMatching(/503/) });
    for (let i = 0; i < 2; i += 1) {
      now += 1000;
      await q.poll();
    }
    expect(q.size).toBe(0);
    expect(q.deadLetters).toHaveLength(2);
    // On the last attempt the record says it failed, and why.
    expect(await messages.get(m.messageId)).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/^gave up after 3 attempts: .*503/) });
  });
});

describe('duplicate queue entries', () => {
  it('sends a message once even when it was enqueued twice', async () => {
    at.reset();
    const phone = await addConsented(svc.participants, svc.study.studyId, 'en', 'control');
    const m = await queued(phone, 'Twice enqueued');
    const q = queue();
    q.send(m);
    q.send(m);
    await q.poll();
    expect(at.requests.flatMap((r) => r.to)).toEqual([phone]);
    expect(q.size).toBe(0);
  });
});

describe('a sender that dies between two bulk requests', () => {
  it('has stored what the first request sent, so a redelivery sends only the rest', async () => {
    const { createSendHandler } = await import('../../functions/sms-send/handler.js');
    const [a, b] = [await addConsented(svc.participants, svc.study.studyId, 'en', 'control'), await addConsented(svc.participants, svc.study.studyId, 'en', 'control')];
    const first = await queued(a, 'Two texts, two requests: one');
    const second = await queued(b, 'Two texts, two requests: two');
    const sentTo: string[] = [];
    let dies = true;
    const gateway = {
      async sendBulk(batch: { to: string[] }) {
        // The second request of the first delivery never returns: the Lambda is killed.
        if (dies && sentTo.length > 0) throw new Error('killed');
        sentTo.push(...batch.to);
        return new Map(batch.to.map((to) => [to, { status: 'accepted' as const, providerId: `AT-${to}` }]));
      },
    };
    const send = createSendHandler({ gateway, clock: daytime });
    const event = (ms: OutboundMessage[], receive: number): SQSEvent => ({
      Records: ms.map((m) => ({ messageId: `sqs-${m.messageId}`, body: JSON.stringify(m), attributes: { ApproximateReceiveCount: String(receive) } })) as unknown as SQSEvent['Records'],
    });
    await expect(send(event([first, second], 1))).rejects.toThrow('killed');
    expect(await messages.get(first.messageId)).toMatchObject({ status: 'accepted', providerId: `AT-${a}` });
    expect((await messages.get(second.messageId))?.status).not.toBe('accepted');

    // SQS redelivers both after the visibility timeout (the claim of the second has lapsed).
    dies = false;
    now += 10 * 60_000;
    await messages.release(second.messageId, new Date(0), 'killed');
    await send(event([first, second], 2));
    expect(sentTo).toEqual([a, b]);
    expect((await messages.get(second.messageId))?.status).toBe('accepted');
  });
});

