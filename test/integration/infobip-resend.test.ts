/**
 * Infobip and a resend after a crash: the provider accepted, the sender died before recording.
 * Infobip does not deduplicate our `messageId` (the fake counts repeats), so the redelivered
 * message is looked up in Infobip's message logs first and recorded as sent, not sent again.
 * The sender core (sendBatch) on in-memory ports, the real adapter against the fake.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InfobipSmsGateway } from '../../functions/adapters/infobip/sms-gateway.js';
import type { Participant } from '../../functions/core/model.js';
import type { SmsGateway } from '../../functions/core/ports/sms.js';
import { providerKey } from '../../functions/core/sms/idempotency.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import { type QueuedMessage, sendBatch } from '../../functions/core/sms/send-batch.js';
import { DEMO_SERVICE_CODE, demoParticipants, demoStudy } from '../../infra/local/demo.js';
import { type FakeInfobip, startFakeInfobip } from '../support/fake-infobip-server.js';
import { memoryPorts } from '../support/memory-ports.js';

const created = new Date('2026-11-23T09:00:00Z');
const study = { ...demoStudy(DEMO_SERVICE_CODE, created), messaging: { provider: 'infobip' as const } };
const people = demoParticipants(study, created).slice(0, 4) as Participant[];
const FRIDAY_NOON = Date.parse('2026-12-11T09:00:00Z'); // 12:00 in Nairobi
const msg = (p: Participant): OutboundMessage => ({ messageId: `prompt#${study.studyId}#2026-W50#${p.participantId}`, studyId: study.studyId, participantId: p.participantId, phone: p.phone, text: 'Sauti: dial *384*123#', treatmentOnly: false });

let fake: FakeInfobip;
beforeAll(async () => {
  fake = await startFakeInfobip({ apiKey: 'k' });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function crashThenRedeliver(gateway: (crash: boolean) => SmsGateway, redeliveredReceives: number) {
  const ports = memoryPorts([study], people);
  // Fresh message ids per run: the fake, like Infobip, keeps its logs across tests.
  const tag = Math.random().toString(36).slice(2, 8);
  const messages = people.map((p) => ({ ...msg(p), messageId: `${msg(p).messageId}#${tag}` }));
  for (const m of messages) await ports.messages.create({ ...m, purpose: 'prompt', period: '2026-W50', createdAt: created.toISOString() });
  const deps = (crash: boolean, at: number) => ({ messages: ports.messages, participants: ports.participants, studies: ports.studies, gateway: gateway(crash), clock: { now: () => new Date(at) }, batchSize: 100, maxReceives: 5 });
  const queued = (receives: number): QueuedMessage[] => messages.map((m, i) => ({ queueId: `q${i}`, receives, message: m }));
  await expect(sendBatch(queued(1), deps(true, FRIDAY_NOON))).rejects.toThrow(/killed/);
  // The queue redelivers after its visibility timeout, past the claim lease.
  const second = await sendBatch(queued(redeliveredReceives), deps(false, FRIDAY_NOON + 13 * 60_000));
  return { ports, messages, second };
}

describe('Infobip: a resend after the sender died between acceptance and record', () => {
  const infobip = () => new InfobipSmsGateway({ apiKey: 'k', baseUrl: fake.url });
  const killing = (crash: boolean): SmsGateway => ({
    async sendBulk(batch) {
      const out = await infobip().sendBulk(batch);
      if (crash && [...out.values()].some((o) => o.status === 'accepted')) throw new Error('sender killed (simulated) after Infobip accepted, before recording');
      return out;
    },
  });

  it('is found in the message logs and recorded as sent, not sent twice', async () => {
    const { ports, messages, second } = await crashThenRedeliver(killing, 2);
    expect(second).toMatchObject({ handled: 4, retry: [] });
    expect(fake.repeats).toEqual([]);
    expect(fake.delivered).toHaveLength(4);
    expect(fake.requests.map((r) => r.path)).toEqual(['/sms/3/messages', '/sms/3/logs']);
    for (const m of messages) expect(await ports.messages.get(m.messageId)).toMatchObject({ status: 'accepted', providerId: providerKey(m.messageId) });
  });

  it('without the redelivery mark it would have gone twice (what the look-up prevents)', async () => {
    const { second } = await crashThenRedeliver(killing, 1);
    expect(second.handled).toBe(4);
    expect(fake.repeats).toHaveLength(4);
  });

  it('an answer lost to a timeout after acceptance: the redelivery finds it too', async () => {
    fake.script({ respondAfterMs: 1500 });
    const slow = new InfobipSmsGateway({ apiKey: 'k', baseUrl: fake.url, timeoutMs: 300 });
    const b = { text: 'x', to: [people[0]!.phone], messageIds: { [people[0]!.phone]: `lost#${Math.random()}` } };
    expect((await slow.sendBulk(b)).get(people[0]!.phone)).toMatchObject({ status: 'retry', reason: 'timeout after 300 ms' });
    expect((await slow.sendBulk({ ...b, mayHaveGone: b.to })).get(people[0]!.phone)).toMatchObject({ status: 'accepted' });
    expect(fake.delivered).toHaveLength(1);
    expect(fake.repeats).toEqual([]);
  });

  it('a failed look-up sends nothing and retries; a number not in the logs is sent', async () => {
    const phone = people[1]!.phone;
    const b = { text: 'x', to: [phone], messageIds: { [phone]: `fresh#${Math.random()}` }, mayHaveGone: [phone] };
    fake.script({ httpStatus: 503 });
    expect((await infobip().sendBulk(b)).get(phone)).toEqual({ status: 'retry', reason: 'log look-up: HTTP 503' });
    expect(fake.delivered).toEqual([]);
    expect((await infobip().sendBulk(b)).get(phone)).toMatchObject({ status: 'accepted' });
    expect(fake.delivered).toHaveLength(1);
  });
});
