import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../functions/core/model.js';
import type { RecipientOutcome, SmsBatch, SmsGateway } from '../../functions/core/ports/sms.js';
import { type OutboundMessage, sendMessages } from '../../functions/core/sms/send.js';
import { participant, study } from '../support/fixtures.js';

/** A gateway that records batches and answers as scripted per number (default: accepted). */
function recordingGateway(script: Record<string, RecipientOutcome> = {}) {
  const batches: SmsBatch[] = [];
  const gateway: SmsGateway = {
    async sendBulk(batch) {
      batches.push(batch);
      return new Map(batch.to.map((to, i) => [to, script[to] ?? { status: 'accepted', providerId: `ATXid_${batches.length}_${i}` }]));
    },
  };
  return { gateway, batches };
}

/** Friday 10:00 in Nairobi, the demo study's zone: outside quiet hours (21:00-08:00). */
const DAYTIME = new Date('2026-11-27T07:00:00Z');

const people: Participant[] = [
  participant({ phone: '+254711000001', participantId: 'a', armId: 'treatment' }),
  participant({ phone: '+254711000002', participantId: 'b', armId: 'control' }),
  participant({ phone: '+254711000003', participantId: 'c', armId: 'treatment', consent: { state: 'withdrawn' } }),
  participant({ phone: '+254711000004', participantId: 'd', armId: 'treatment' }),
];
const deps = (gateway: SmsGateway) => ({
  gateway,
  participants: { getMany: async () => people },
  studies: { getStudy: async () => study() },
  batchSize: 2,
  now: DAYTIME,
});
const msg = (p: Participant, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: `${text}#${p.participantId}`, studyId: p.studyId, participantId: p.participantId, phone: p.phone, text, treatmentOnly: false, ...extra,
});

describe('sending SMS', () => {
  it('re-checks at send time: no lesson to the control arm, nothing after STOP but its confirmation', async () => {
    const { gateway, batches } = recordingGateway();
    const [a, b, c] = people as [Participant, Participant, Participant];
    const results = await sendMessages(
      [msg(a, 'Lesson 1', { treatmentOnly: true }), msg(b, 'Lesson 1', { treatmentOnly: true }), msg(c, 'Diary?'), msg(c, 'You have stopped', { stopConfirmation: true })],
      deps(gateway),
    );
    expect(results.get('Lesson 1#b')).toEqual({ status: 'skipped', reason: 'control-arm' });
    expect(results.get('Diary?#c')).toEqual({ status: 'skipped', reason: 'not-opted-in' });
    expect(results.get('Lesson 1#a')?.status).toBe('sent');
    expect(results.get('You have stopped#c')?.status).toBe('sent');
    expect(batches.flatMap((x) => x.to).sort()).toEqual(['+254711000001', '+254711000003']);
  });

  it('answers someone who wrote in, even before they joined, but not after STOP; treatment content never', async () => {
    const { gateway, batches } = recordingGateway();
    const [, , c] = people as [Participant, Participant, Participant];
    const stranger = participant({ phone: '+254711000099', participantId: '-' });
    const pending = participant({ phone: '+254711000005', participantId: 'e', consent: { state: 'pending' } });
    const withPending = { ...deps(gateway), participants: { getMany: async () => [...people, pending] } };
    const results = await sendMessages(
      [msg(stranger, 'How to join', { reply: true }), msg(pending, 'Help', { reply: true }), msg(c, 'Help', { reply: true }), msg(stranger, 'Lesson', { reply: true, treatmentOnly: true })],
      withPending,
    );
    expect(results.get('How to join#-')?.status).toBe('sent');
    expect(results.get('Help#e')?.status).toBe('sent');
    expect(results.get('Help#c')).toEqual({ status: 'skipped', reason: 'not-opted-in' });
    expect(results.get('Lesson#-')).toEqual({ status: 'skipped', reason: 'control-arm' });
    expect(batches.flatMap((x) => x.to).sort()).toEqual(['+254711000005', '+254711000099']);
  });

  it('sends identical texts as bulk requests of at most the batch size', async () => {
    const { gateway, batches } = recordingGateway();
    const [a, , , d] = people as [Participant, Participant, Participant, Participant];
    await sendMessages([msg(a, 'Prompt'), msg(d, 'Prompt'), msg(a, 'Other')], deps(gateway));
    expect(batches.map((x) => [x.text, x.to.length])).toEqual([['Prompt', 2], ['Other', 1]]);
  });

  it('maps every outcome, and never sends treatment content to a control participant, for any mix', async () => {
    const outcome = fc.constantFrom<RecipientOutcome>(
      { status: 'accepted', providerId: 'x' },
      { status: 'permanent', reason: 'UserInBlacklist', optedOut: true },
      { status: 'retry', reason: 'InternalServerError' },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.constantFrom('A', 'B')), { maxLength: 12 }), fc.array(outcome, { minLength: 4, maxLength: 4 }), async (plan, outs) => {
        const script = Object.fromEntries(people.map((p, i) => [p.phone, outs[i] as RecipientOutcome]));
        const { gateway, batches } = recordingGateway(script);
        const messages = plan.map(([who, treatmentOnly, text], i) => ({ ...msg(people[who] as Participant, text, { treatmentOnly }), messageId: `m${i}` }));
        const results = await sendMessages(messages, deps(gateway));
        expect(results.size).toBe(messages.length);
        const control = '+254711000002';
        const withdrawn = '+254711000003';
        const category = { accepted: 'sent', permanent: 'failed', retry: 'retry' } as const;
        for (const m of messages) {
          const r = results.get(m.messageId);
          if (m.treatmentOnly && m.phone === control) expect(r).toEqual({ status: 'skipped', reason: 'control-arm' });
          else if (m.phone === withdrawn) expect(r).toEqual({ status: 'skipped', reason: 'not-opted-in' });
          else expect(r?.status).toBe(category[(script[m.phone] as RecipientOutcome).status]);
        }
        // Every number in a bulk request had a message of that text it was allowed to get.
        for (const b of batches) {
          for (const to of b.to) {
            expect(to).not.toBe(withdrawn);
            expect(messages.some((m) => m.text === b.text && m.phone === to && !(m.treatmentOnly && to === control))).toBe(true);
          }
        }
      }),
    );
  });

describe('quiet hours, checked again at send time', () => {
  // Planned at 17:55, but the queue was held back: the sender runs at 21:37 in Nairobi.
  const night = new Date('2026-11-27T18:37:00Z');
  const [a, b] = people as [Participant, Participant];

  it('holds a prompt or a lesson until 08:00, drops a reminder, and still answers a text at once', async () => {
    const { gateway, batches } = recordingGateway();
    const prompt = msg(a, 'Diary?', { messageId: 'prompt#athi-river-2026#2026-W48#a#0' });
    const lesson = msg(a, 'Lesson 1', { messageId: 'lesson#athi-river-2026#c1-1#a#0', treatmentOnly: true });
    const reminder = msg(b, 'Reminder', { messageId: 'reminder#athi-river-2026#2026-W48#b#1' });
    const reply = msg(b, 'Help', { messageId: 'reply#athi-river-2026#SMS1#b#0', reply: true });
    const results = await sendMessages([prompt, lesson, reminder, reply], { ...deps(gateway), now: night });
    const morning = new Date('2026-11-28T05:00:00Z'); // Saturday 08:00 in Nairobi
    expect(results.get(prompt.messageId)).toEqual({ status: 'deferred', until: morning });
    expect(results.get(lesson.messageId)).toEqual({ status: 'deferred', until: morning });
    expect(results.get(reminder.messageId)).toEqual({ status: 'skipped', reason: 'quiet-hours' });
    expect(results.get(reply.messageId)?.status).toBe('sent');
    expect(batches.flatMap((x) => x.to)).toEqual([b.phone]);
  });

  it("uses the study's own quiet hours and zone", async () => {
    const { gateway, batches } = recordingGateway();
    const prompt = msg(a, 'Diary?', { messageId: 'prompt#athi-river-2026#2026-W48#a#0' });
    // 21:37 in Nairobi, but this study is quiet only from 23:00.
    const late = { ...deps(gateway), now: night, studies: { getStudy: async () => study({ schedule: { quiet: { start: 23, end: 6 } } }) } };
    expect((await sendMessages([prompt], late)).get(prompt.messageId)?.status).toBe('sent');
    expect(batches).toHaveLength(1);
  });
});
});
