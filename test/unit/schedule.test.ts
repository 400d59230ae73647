import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TZDate } from '@date-fns/tz';
import { DEFAULT_POLICY, isQuietHour, messageId, outOfQuietHours, policyProblems, promptDue, reminderAllowed } from '../../functions/core/schedule/policy.js';

const localHour = (d: Date, tz: string) => new TZDate(d.getTime(), tz).getHours();
const localDay = (d: Date, tz: string) => ((new TZDate(d.getTime(), tz).getDay() + 6) % 7) + 1;

describe('when messages may go out', () => {
  it('knows quiet hours, also when they wrap midnight', () => {
    expect([20, 21, 23, 0, 7, 8].map((h) => isQuietHour(h, { start: 21, end: 8 }))).toEqual([false, true, true, true, true, false]);
    expect([12, 13, 14].map((h) => isQuietHour(h, { start: 13, end: 14 }))).toEqual([false, true, false]);
  });

  it('moves an instant to the first allowed local hour, also across a DST fall-back', () => {
    // Found by the campaign property test: the night US clocks fall back (5 Nov 2028), 01:00
    // happens twice; stepping by `startOfHour` looped back to the first 01:00 and gave up there.
    const quiet = { start: 3, end: 2 }; // only 02:00-02:59 is allowed
    const at = outOfQuietHours(new Date('2028-11-04T07:00:00Z'), 'America/New_York', quiet); // Sat 03:00 EDT
    expect(at.toISOString()).toBe('2028-11-05T07:00:00.000Z'); // Sun 02:00 EST
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Asia/Dhaka'),
        fc.record({ start: fc.integer({ min: 0, max: 23 }), end: fc.integer({ min: 0, max: 23 }) }).filter((q) => q.start !== q.end),
        (from, tz, q) => {
          const out = outOfQuietHours(from, tz, q);
          expect(isQuietHour(localHour(out, tz), q)).toBe(false);
          expect(out.getTime()).toBeGreaterThanOrEqual(from.getTime());
          // The first allowed instant: every earlier whole minute in between is quiet.
          for (let t = out.getTime() - 60_000; t >= from.getTime() && t > out.getTime() - 26 * 3_600_000; t -= 15 * 60_000) {
            expect(isQuietHour(localHour(new Date(t), tz), q)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sends the weekly prompt at the local day and hour, in each study zone', () => {
    const week = new Date('2026-11-25T12:00:00Z');
    const nairobi = promptDue(week, 'Africa/Nairobi', DEFAULT_POLICY);
    expect(nairobi.toISOString()).toBe('2026-11-27T15:00:00.000Z'); // Friday 18:00 in Nairobi (UTC+3)
    const dhaka = promptDue(week, 'Asia/Dhaka', DEFAULT_POLICY);
    expect(dhaka.toISOString()).toBe('2026-11-27T12:00:00.000Z'); // Friday 18:00 in Dhaka (UTC+6)
    expect(promptDue(week, 'Africa/Nairobi', DEFAULT_POLICY, { day: 1, hour: 7 }).toISOString()).toBe('2026-11-23T05:00:00.000Z'); // 07:00 is quiet: 08:00
  });

  it('never schedules a prompt in quiet hours, and keeps it in the chosen day when it can', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }),
        fc.constantFrom('Africa/Nairobi', 'Asia/Dhaka', 'Europe/London'),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 23 }),
        (week, tz, day, hour) => {
          const due = promptDue(week, tz, DEFAULT_POLICY, { day, hour });
          expect(isQuietHour(localHour(due, tz), DEFAULT_POLICY.quiet)).toBe(false);
          if (!isQuietHour(hour, DEFAULT_POLICY.quiet)) expect([localDay(due, tz), localHour(due, tz)]).toEqual([day, hour]);
        },
      ),
    );
  });

  it('reminds only non-responders, within the cap, apart, outside quiet hours', () => {
    const now = new Date('2026-11-27T16:00:00Z'); // 19:00 in Nairobi
    const base = { diaryComplete: false, remindersThisWeek: 0 };
    expect(reminderAllowed(now, 'Africa/Nairobi', DEFAULT_POLICY, base)).toBe(true);
    expect(reminderAllowed(now, 'Africa/Nairobi', DEFAULT_POLICY, { ...base, diaryComplete: true })).toBe(false);
    expect(reminderAllowed(now, 'Africa/Nairobi', DEFAULT_POLICY, { ...base, remindersThisWeek: 1 })).toBe(false);
    expect(reminderAllowed(now, 'Africa/Nairobi', DEFAULT_POLICY, { ...base, lastSentAt: new Date(now.getTime() - 3_600_000) })).toBe(false);
    expect(reminderAllowed(new Date('2026-11-27T19:00:00Z'), 'Africa/Nairobi', DEFAULT_POLICY, base)).toBe(false); // 22:00
  });

  it('refuses a policy that could never send, and names message ids by what they are for', () => {
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
    expect(policyProblems({ ...DEFAULT_POLICY, promptDay: 8, quiet: { start: 5, end: 5 } })).toHaveLength(2);
    const p = { studyId: 'athi-river-2026', participantId: 'p_1' };
    expect(messageId(p, 'prompt', '2026-W48')).toBe('prompt#athi-river-2026#2026-W48#p_1#0');
    expect(messageId(p, 'prompt', '2026-W48')).not.toBe(messageId({ ...p, studyId: 'dhaka-2026' }, 'prompt', '2026-W48'));
  });
});
