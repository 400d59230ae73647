import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diaryWeek } from '../../functions/core/time/week.js';

const start = new Date('2026-11-02T00:00:00+03:00'); // a Monday in Nairobi

describe('diary weeks in the study time zone', () => {
  it('puts Sunday late evening in Nairobi in that week, even when it is already Monday elsewhere', () => {
    // Sunday 29 Nov 2026, 23:30 in Nairobi = 20:30 UTC.
    const sunday = diaryWeek(new Date('2026-11-29T20:30:00Z'), 'Africa/Nairobi', start);
    expect(sunday.id).toBe('2026-W48');
    expect(sunday.closesAt.toISOString()).toBe('2026-11-29T20:59:59.999Z');
    // Monday 00:30 in Nairobi = Sunday 21:30 UTC: already next week.
    expect(diaryWeek(new Date('2026-11-29T21:30:00Z'), 'Africa/Nairobi', start).id).toBe('2026-W49');
    expect(diaryWeek(new Date('2026-11-29T21:30:00Z'), 'Asia/Dhaka', start).id).toBe('2026-W49');
    expect(diaryWeek(new Date('2026-11-29T17:30:00Z'), 'Asia/Dhaka', start).id).toBe('2026-W48');
  });

  it('counts study weeks from the start, across the year end', () => {
    expect(diaryWeek(new Date('2026-11-03T09:00:00Z'), 'Africa/Nairobi', start).studyWeek).toBe(0);
    expect(diaryWeek(new Date('2026-11-10T09:00:00Z'), 'Africa/Nairobi', start).studyWeek).toBe(1);
    const jan = diaryWeek(new Date('2027-01-04T09:00:00Z'), 'Africa/Nairobi', start);
    expect([jan.id, jan.studyWeek]).toEqual(['2027-W01', 9]);
  });

  it('closes each week after every instant in it, within 7 days', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2026-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), fc.constantFrom('Africa/Nairobi', 'Asia/Dhaka', 'UTC'), (now, tz) => {
        const w = diaryWeek(now, tz, start);
        const left = w.closesAt.getTime() - now.getTime();
        return left >= 0 && left < 7 * 24 * 3600 * 1000 && diaryWeek(new Date(w.closesAt.getTime() + 1), tz, start).id !== w.id;
      }),
    );
  });
});

describe('the week cache', () => {
  it('gives the same answers as computing afresh, across week ends, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 * 24 * 21 }), { minLength: 1, maxLength: 40 }), (minutes) => {
        for (const m of minutes) {
          const now = new Date(Date.parse('2026-11-20T00:00:00Z') + m * 60_000);
          const cached = diaryWeek(now, 'Africa/Nairobi', start);
          // A different study start bypasses the cache entry of the first.
          const fresh = diaryWeek(now, 'Africa/Nairobi', new Date(start.getTime() + 1 + m));
          expect(cached.id).toBe(fresh.id);
          expect(cached.closesAt).toEqual(fresh.closesAt);
        }
      }),
    );
  });
});
