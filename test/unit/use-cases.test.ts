import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { Participant } from '../../functions/core/model.js';
import { RandomizationError } from '../../functions/core/randomize/rng.js';
import { randomizeStudy } from '../../functions/core/randomize/study.js';
import { dispatchTick } from '../../functions/core/schedule/dispatch-tick.js';
import type { DispatchPorts, StoredMessage } from '../../functions/core/schedule/dispatch.js';
import type { ForgetJob } from '../../functions/core/ports/forget.js';
import { runForget } from '../../functions/core/privacy/run-forget.js';
import { receiveSms } from '../../functions/core/sms/receive-sms.js';
import { sendBatch } from '../../functions/core/sms/send-batch.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import { DEMO_PARTICIPANTS, DEMO_SERVICE_CODE, DEMO_SMS_SHORT_CODE, demoParticipants, demoStudy } from '../../infra/local/demo.js';
import { memoryPorts, ScriptedGateway } from '../support/memory-ports.js';

/** The core's use cases on in-memory ports (test/support/memory-ports.ts): no DynamoDB, milliseconds each. */

const created = new Date('2026-11-23T09:00:00Z');
const kenya = { ...demoStudy(DEMO_SERVICE_CODE, created), smsShortCode: DEMO_SMS_SHORT_CODE };
const people = demoParticipants(kenya, created);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clockAt = (iso: string) => ({ now: () => new Date(iso) });

function dispatchPortsOf(ports: ReturnType<typeof memoryPorts>): DispatchPorts {
  return {
    participantsPage: (studyId, cursor) => ports.participants.page(studyId, cursor, 10),
    diaryComplete: (studyId, phones, week) => ports.ussd.answeredAmong(studyId, phones, week),
    recorded: async (ids) => (await ports.messages.getMany(ids)) as unknown as StoredMessage[],
    createMany: (ms) => ports.messages.createMany(ms),
    enqueue: (ms) => ports.queue.enqueue(ms),
  };
}

describe('the dispatcher tick over all studies', () => {
  it('records and queues one prompt per participant on the prompt hour, and nothing more on a second tick', async () => {
    const ports = memoryPorts([kenya], people);
    const deps = { studies: ports.studies, campaigns: ports.campaigns, dispatch: dispatchPortsOf(ports), retention: { store: ports.retention, once: ports.once } };
    const now = new Date('2026-12-11T15:00:00Z'); // a Friday, 18:00 in Nairobi
    const first = await dispatchTick(deps, content, now);
    expect(first.studies[kenya.studyId]).toEqual({ created: DEMO_PARTICIPANTS, enqueued: DEMO_PARTICIPANTS });
    expect(new Set(ports.queue.sent.map((m) => m.phone)).size).toBe(DEMO_PARTICIPANTS);
    expect([...ports.messages.byId.values()].every((m) => m.status === 'queued' && m.purpose === 'prompt')).toBe(true);
    const again = await dispatchTick(deps, content, now);
    expect(again.studies[kenya.studyId]).toEqual({ created: 0, enqueued: 0 });
    expect(ports.queue.sent).toHaveLength(DEMO_PARTICIPANTS);
    expect(again.retention).toBeUndefined();
  });

  it('reports a failing study and still serves the others', async () => {
    const ports = memoryPorts([kenya, { ...kenya, studyId: 'broken' }], people);
    const campaigns = { list: async (id: string) => (id === 'broken' ? Promise.reject(new Error('throttled')) : ports.campaigns.list(id)) };
    const deps = { studies: ports.studies, campaigns, dispatch: dispatchPortsOf(ports), retention: { store: ports.retention, once: ports.once } };
    const result = await dispatchTick(deps, content, new Date('2026-12-11T15:00:00Z'));
    expect(result.studies.broken).toEqual({ error: 'throttled' });
    expect(result.studies[kenya.studyId]).toEqual({ created: DEMO_PARTICIPANTS, enqueued: DEMO_PARTICIPANTS });
  });
});

describe('an incoming SMS', () => {
  const p = people[0] as Participant;
  const deps = (ports: ReturnType<typeof memoryPorts>, iso: string) => ({
    study: kenya, store: ports.ussd, content, clock: clockAt(iso), log: quiet, once: ports.once, cases: ports.ussd.cases,
    messages: ports.messages, queue: ports.queue, forgets: { enqueue: async (job: ForgetJob) => void jobs.push(job) },
  });
  const jobs: ForgetJob[] = [];

  it('STOP withdraws the participant, records and queues one confirmation, then silence', async () => {
    const ports = memoryPorts([kenya], people);
    await receiveSms({ id: 'at-1', from: p.phone, text: 'STOP' }, DEMO_SMS_SHORT_CODE, deps(ports, '2026-12-01T10:00:00Z'));
    expect((await ports.participants.getByPhone(kenya.studyId, p.phone))?.consent).toMatchObject({ state: 'withdrawn', channel: 'sms', sessionId: 'at-1', at: '2026-12-01T10:00:00.000Z' });
    expect(ports.queue.sent).toHaveLength(1);
    expect(ports.queue.sent[0]).toMatchObject({ phone: p.phone, stopConfirmation: true, from: DEMO_SMS_SHORT_CODE });
    expect(await ports.messages.get(ports.queue.sent[0]?.messageId ?? '')).toMatchObject({ purpose: 'reply', period: 'at-1', status: 'queued' });
    await receiveSms({ id: 'at-2', from: p.phone, text: 'STOP' }, DEMO_SMS_SHORT_CODE, deps(ports, '2026-12-01T10:05:00Z'));
    expect(ports.queue.sent).toHaveLength(1);
  });

  it('queues the forget of a participant who confirms, and sends "forgotten" only after it has run', async () => {
    const ports = memoryPorts([kenya], people);
    jobs.length = 0;
    await receiveSms({ id: 'at-3', from: p.phone, text: 'FORGET' }, DEMO_SMS_SHORT_CODE, deps(ports, '2026-12-01T10:00:00Z'));
    expect(jobs).toHaveLength(0);
    await receiveSms({ id: 'at-4', from: p.phone, text: 'YES FORGET' }, DEMO_SMS_SHORT_CODE, deps(ports, '2026-12-01T10:10:00Z'));
    // Recorded, not yet sent: the confirmation rides with the job.
    expect(ports.forget.forgotten).toHaveLength(0);
    expect(ports.queue.sent).toHaveLength(1);
    expect(jobs).toEqual([expect.objectContaining({ studyId: kenya.studyId, participantId: p.participantId, by: 'participant', confirmation: expect.objectContaining({ phone: p.phone, stopConfirmation: true }) })]);
    expect(await ports.messages.get(jobs[0]?.confirmation?.messageId ?? '')).toMatchObject({ purpose: 'reply', status: 'queued' });
    const run = { forget: ports.forget, queue: ports.queue, clock: clockAt('2026-12-01T10:11:00Z'), log: quiet, pseudonyms: { exportIdOf: async () => 'pid-1' } };
    // The worker: the forget first, then the confirmation; a redelivered job confirms again under the same message id.
    await runForget(jobs[0] as ForgetJob, { ...run, queue: { enqueue: async (ms) => {
      expect(ports.forget.forgotten.map((f) => f.participantId)).toEqual([p.participantId]);
      await ports.queue.enqueue(ms);
    } } });
    expect(ports.queue.sent).toHaveLength(2);
    expect(await runForget(jobs[0] as ForgetJob, run)).toBeUndefined();
    expect(ports.forget.forgotten).toHaveLength(1);
    expect(ports.queue.sent.slice(1).map((m) => m.messageId)).toEqual([jobs[0]?.confirmation?.messageId, jobs[0]?.confirmation?.messageId]);
  });
});

describe('randomizing a study', () => {
  it('gives every consented participant an arm once, and refuses a second initial run', async () => {
    const unassigned = people.map(({ armId: _arm, ...rest }) => rest);
    const ports = memoryPorts([kenya], unassigned);
    const now = new Date('2026-11-30T09:00:00Z');
    const outcome = await randomizeStudy(kenya, { method: 'complete', seed: 7, by: 'test', now }, ports.randomization);
    expect(outcome.assigned).toBe(DEMO_PARTICIPANTS);
    const after = await ports.participants.listByStudy(kenya.studyId);
    expect(after.every((x) => kenya.arms.some((a) => a.armId === x.armId) && x.assignment?.randomizationId === outcome.run.randomizationId)).toBe(true);
    await expect(randomizeStudy(kenya, { method: 'complete', seed: 8, by: 'test', now }, ports.randomization)).rejects.toThrow(RandomizationError);
    expect((await ports.participants.listByStudy(kenya.studyId)).map((x) => x.armId)).toEqual(after.map((x) => x.armId));
  });
});

describe('sending a batch', () => {
  const [a, b, c, d] = people as [Participant, Participant, Participant, Participant];
  const msg = (p: Participant): OutboundMessage => ({ messageId: `prompt#${p.participantId}`, studyId: kenya.studyId, participantId: p.participantId, phone: p.phone, text: 'Hello', treatmentOnly: false });

  it('stores acceptances, gives back retries until the last attempt, and opts out a number the provider says refused us', async () => {
    const ports = memoryPorts([kenya], people);
    for (const p of [a, b, c, d]) await ports.messages.create({ ...msg(p), purpose: 'prompt', period: '2026-W49', createdAt: '2026-12-11T08:00:00.000Z' });
    const gateway = new ScriptedGateway((to) =>
      to === b.phone ? { status: 'permanent', reason: 'blacklisted', optedOut: true } : to === a.phone ? { status: 'accepted', providerId: 'at-a' } : { status: 'retry', reason: 'provider busy' });
    const result = await sendBatch(
      [
        { queueId: 'q-a', receives: 1, message: msg(a) },
        { queueId: 'q-a-again', receives: 1, message: msg(a) }, // a duplicate delivery: its claim fails
        { queueId: 'q-b', receives: 1, message: msg(b) },
        { queueId: 'q-c', receives: 3, message: msg(c) },
        { queueId: 'q-d', receives: 1, message: msg(d) },
      ],
      { messages: ports.messages, participants: ports.participants, studies: ports.studies, gateway, clock: clockAt('2026-12-11T09:00:00Z'), batchSize: 100, maxReceives: 3 },
    );
    expect(result.handled).toBe(4);
    expect(result.retry.sort()).toEqual(['q-c', 'q-d']);
    expect(result.retryReasons).toEqual({ 'provider busy': 2 });
    expect(gateway.batches.flatMap((x) => x.to).sort()).toEqual([a, b, c, d].map((p) => p.phone).sort());
    expect(await ports.messages.get(msg(a).messageId)).toMatchObject({ status: 'accepted', providerId: 'at-a' });
    expect(await ports.messages.get(msg(b).messageId)).toMatchObject({ status: 'failed', failureReason: 'blacklisted' });
    expect((await ports.participants.getByPhone(kenya.studyId, b.phone))?.consent).toMatchObject({ state: 'withdrawn', channel: 'provider' });
    expect(await ports.messages.get(msg(c).messageId)).toMatchObject({ status: 'failed', failureReason: 'gave up after 3 attempts: provider busy' });
    expect(await ports.messages.get(msg(d).messageId)).toMatchObject({ status: 'queued', attempts: 1, lastError: 'provider busy' });
  });
});
