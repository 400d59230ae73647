import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { type CaseStepDeps, stepCase } from '../../functions/core/cases/act.js';
import type { CaseActor } from '../../functions/core/cases/model.js';
import type { Participant } from '../../functions/core/model.js';
import { receiveSms } from '../../functions/core/sms/receive-sms.js';
import { smsText } from '../../functions/core/sms/text.js';
import { complaintRef } from '../../functions/core/ussd/problem-flow.js';
import { DEMO_SERVICE_CODE, DEMO_SMS_SHORT_CODE, demoParticipants, demoStudy } from '../../infra/local/demo.js';
import { memoryPorts } from '../support/memory-ports.js';

/** The participant's side of a case on in-memory ports: SMS complaint, notices, `P <ref>`, the solved answer, kudos. */

const created = new Date('2026-11-23T09:00:00Z');
const kenya = { ...demoStudy(DEMO_SERVICE_CODE, created), smsShortCode: DEMO_SMS_SHORT_CODE };
const people = demoParticipants(kenya, created);
const [alice, bob] = people as [Participant, Participant];
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ngo: CaseActor = { id: 'ngo-1', label: 'ngo@example.org', role: 'ngo' };
let clock = new Date('2026-12-01T10:00:00Z');

function world() {
  const ports = memoryPorts([kenya], people);
  const sms = (id: string, from: Participant, text: string) => receiveSms({ id, from: from.phone, text }, DEMO_SMS_SHORT_CODE, {
    study: kenya, store: ports.ussd, content, clock: { now: () => clock }, log: quiet, once: ports.once, cases: ports.ussd.cases,
    messages: ports.messages, queue: ports.queue, forgets: { enqueue: async () => undefined },
  });
  const step: CaseStepDeps = {
    cases: ports.ussd.cases, phones: { phoneOf: async (_s, id) => people.find((p) => p.participantId === id)?.phone }, participants: ports.participants,
    messages: ports.messages, queue: ports.queue, content, now: () => clock,
  };
  const texts = (p: Participant) => ports.queue.sent.filter((m) => m.phone === p.phone).map((m) => m.text);
  return { ports, sms, step, texts };
}
const say = (key: Parameters<typeof smsText>[1], vars: Record<string, string>, to = alice) => smsText(content, key, to.lang ?? 'en', { code: kenya.serviceCode, ...vars });

describe('a complaint by SMS, as the participant lives it', () => {
  it('opens a case, answers P <ref> only from the sender, notifies each owed step, and a "No" reopens', async () => {
    const { ports, sms, step, texts } = world();
    // An id whose reference has a digit: `P <ref>` is then certainly a query (status.ts).
    const id = Array.from({ length: 50 }, (_, i) => `at-c${i}`).find((x) => /\d/.test(complaintRef(x))) ?? 'at-c1';
    await sms(id, alice, 'P agent refused my withdrawal');
    const ref = complaintRef(id);
    expect((await ports.ussd.cases.getCase(kenya.studyId, ref))).toMatchObject({ state: 'new', channel: 'sms', shareNumber: false, participantId: alice.participantId });

    await sms('at-s1', alice, `P ${ref}`);
    expect(texts(alice).at(-1)).toBe(say('caseStatusOpen', { ref }));
    // Someone else's reference and a made-up one get the same answer.
    await sms('at-s2', bob, `P ${ref}`);
    await sms('at-s3', bob, 'P 9ZZZZ9');
    expect(texts(bob)).toEqual([say('caseNotFound', { ref }, bob), say('caseNotFound', { ref: '9ZZZZ9' }, bob)]);
    expect(ports.ussd.cases.all()).toHaveLength(1);

    clock = new Date('2026-12-01T11:00:00Z');
    expect((await stepCase(step, kenya, { ref, action: { type: 'acknowledge' }, actor: ngo })).ok).toBe(true);
    expect(texts(alice).at(-1)).toBe(say('caseAcknowledged', { ref }));
    await stepCase(step, kenya, { ref, action: { type: 'triage', provider: 'mpesa', category: 'agent' }, actor: ngo });
    await stepCase(step, kenya, { ref, action: { type: 'refer' }, actor: ngo });
    const sentBefore = ports.queue.sent.length;
    await stepCase(step, kenya, { ref, action: { type: 'resolve' }, actor: ngo });
    expect(ports.queue.sent.length).toBe(sentBefore + 1);
    expect(texts(alice).at(-1)).toBe(say('caseResolved', { ref }));

    await sms('at-a1', alice, '2');
    expect((await ports.ussd.cases.getCase(kenya.studyId, ref))?.state).toBe('unresolved');
    expect(texts(alice).at(-1)).toBe(say('caseAnswerNo', { ref }));
    // A bare "1" with no resolved case is not an answer: the help reply (once a day).
    await sms('at-a2', alice, '1');
    expect((await ports.ussd.cases.getCase(kenya.studyId, ref))?.state).toBe('unresolved');
  });

  it('after STOP a step is still recorded but no SMS is sent', async () => {
    const { ports, sms, step } = world();
    await sms('at-c2', alice, 'P fees too high at the agent');
    await sms('at-stop', alice, 'STOP');
    const before = ports.queue.sent.length;
    const done = await stepCase(step, kenya, { ref: complaintRef('at-c2'), action: { type: 'acknowledge' }, actor: ngo });
    expect(done.ok).toBe(true);
    expect(ports.queue.sent.length).toBe(before);
  });

  it('kudos are counted as kudos and open no case', async () => {
    const { ports, sms, texts } = world();
    await sms('at-k1', alice, `K ${kenya.providers[0]?.name ?? ''} agent was very helpful`);
    expect(ports.ussd.cases.all()).toHaveLength(0);
    expect([...ports.ussd.complaints.values()]).toMatchObject([{ kind: 'kudos', provider: kenya.providers[0]?.id }]);
    expect(texts(alice).at(-1)).toBe(say('kudosReceived', {}));
  });
});
