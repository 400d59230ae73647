import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../functions/core/model.js';
import { DEFAULT_POLICY } from '../../functions/core/schedule/policy.js';
import { type DueMessage, type PlanInput, planDue, type WeekActivity } from '../../functions/core/schedule/plan.js';
import { participant } from '../support/fixtures.js';

const base = (participants: Participant[], _previousTick: string, now: string, activity = new Map<string, WeekActivity>()): PlanInput => ({
  timeZone: 'Africa/Nairobi', studyStart: new Date('2026-11-02T00:00:00+03:00'), policy: DEFAULT_POLICY, reminderAfterHours: 24,
  now: new Date(now), participants, activity,
});
const p = (id: string, extra: Partial<Participant> = {}) => participant({ participantId: id, phone: `+25471100${id.padStart(4, '0')}`, ...extra });

describe('planning what is due', () => {
  it('prompts at the study hour (Friday 18:00 Nairobi), once, and not to USSD-only or stopped people', () => {
    const people = [p('1'), p('2', { channel: 'ussd' }), p('3', { consent: { state: 'withdrawn' } }), p('4', { reminder: { day: 1, hour: 9 } })];
    // Before 18:00 on Friday only the participant whose own time (Monday 09:00) has passed is due.
    const before = planDue(base(people, '2026-11-27T14:45:00Z', '2026-11-27T14:59:59Z'));
    expect(before.map((m) => m.participantId)).toEqual(['4']);
    // The participant who chose Monday 09:00 gets it then, and only they.
    expect(planDue(base(people, '2026-11-23T05:45:00Z', '2026-11-23T06:00:00Z')).map((m) => m.participantId)).toEqual(['4']);
    const at = planDue(base(people, '2026-11-27T14:45:00Z', '2026-11-27T15:00:00Z', new Map([['4', { diaryComplete: false, promptSent: true, remindersSent: 1 }]])));
    expect(at.map((m) => [m.participantId, m.purpose, m.messageId])).toEqual([['1', 'prompt', `prompt#${p('1').studyId}#2026-W48#1#0`]]);
    // A prompt missed by downtime goes at the next tick, but not in quiet hours.
    expect(planDue(base(people, '-', '2026-11-27T17:30:00Z')).map((m) => m.participantId)).toEqual(['1', '4']);
    expect(planDue(base(people, '-', '2026-11-27T19:30:00Z'))).toEqual([]);
  });

  it('reminds only those who did not answer, a day later, never in quiet hours', () => {
    const activity = new Map<string, WeekActivity>([
      ['1', { diaryComplete: false, promptSent: true, remindersSent: 0, lastSentAt: new Date('2026-11-27T15:00:00Z') }],
      ['5', { diaryComplete: true, promptSent: true, remindersSent: 0, lastSentAt: new Date('2026-11-27T15:00:00Z') }],
    ]);
    const people = [p('1'), p('5')];
    expect(planDue(base(people, '2026-11-28T14:45:00Z', '2026-11-28T15:00:00Z', activity)).map((m) => [m.participantId, m.messageId])).toEqual([['1', `reminder#${p('1').studyId}#2026-W48#1#1`]]);
    expect(planDue(base(people, '2026-11-28T18:45:00Z', '2026-11-28T19:00:00Z', activity))).toEqual([]); // 22:00 local
  });

  it('plans each message once over any sequence of ticks, and twice-run ticks plan the same ids', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 180 }), { minLength: 1, maxLength: 80 }), (steps) => {
        const people = [p('1'), p('2', { reminder: { day: 6, hour: 20 } })];
        const activity = new Map<string, WeekActivity>();
        const planned: DueMessage[] = [];
        let since = new Date('2026-11-23T00:00:00Z');
        for (const minutes of steps) {
          const now = new Date(since.getTime() + minutes * 60_000 * 3);
          const input = base(people, since.toISOString(), now.toISOString(), activity);
          const due = planDue(input);
          expect(planDue(input)).toEqual(due); // a second run of the same tick
          for (const m of due) {
            planned.push(m);
            const a = activity.get(m.participantId) ?? { diaryComplete: false, promptSent: false, remindersSent: 0 };
            activity.set(m.participantId, m.purpose === 'prompt' ? { ...a, promptSent: true, lastSentAt: now } : { ...a, remindersSent: a.remindersSent + 1, lastSentAt: now });
          }
          since = now;
        }
        const ids = planned.map((m) => m.messageId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ['1', '2']) expect(planned.filter((m) => m.participantId === id && m.purpose === 'reminder').length).toBeLessThanOrEqual(DEFAULT_POLICY.reminders.maxPerWeek);
      }),
    );
  });
});
