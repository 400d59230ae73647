import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { studyWeekIndexer, studyWeekOf, studyWeeks } from '../../functions/core/time/study-calendar.js';

/** The study's diary weeks, as the diary reader queries them: every ISO week from the first to now, once. */
describe('study weeks', () => {
  it('lists every ISO week from the start to now, numbered from 0', () => {
    const weeks = studyWeeks({ startsOn: '2026-10-05', createdAt: '2026-09-01T00:00:00Z', timeZone: 'Africa/Nairobi' }, new Date('2026-11-24T09:00:00Z'));
    expect(weeks.map((w) => w.id)).toEqual(['2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    expect(weeks.map((w) => w.studyWeek)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('neither skips nor repeats a week across daylight saving and the year end', () => {
    for (const timeZone of ['Europe/London', 'America/Santiago', 'Asia/Dhaka']) {
      const study = { startsOn: '2026-03-01', createdAt: '2026-01-01T00:00:00Z', timeZone };
      const weeks = studyWeeks(study, new Date('2027-04-15T12:00:00Z'));
      expect(weeks.map((w) => w.studyWeek)).toEqual(weeks.map((_, k) => k));
      expect(new Set(weeks.map((w) => w.id)).size).toBe(weeks.length);
      expect(weeks.some((w) => w.id === '2026-W53')).toBe(true);
      expect(studyWeekOf(study, new Date('2027-04-15T12:00:00Z'))).toBe(weeks.length - 1);
    }
  });

  it('counts from the creation day without a start date, and gives week 0 before the start', () => {
    const study = { createdAt: '2026-11-18T08:00:00Z', timeZone: 'Africa/Nairobi' };
    expect(studyWeeks(study, new Date('2026-11-24T09:00:00Z')).map((w) => w.id)).toEqual(['2026-W47', '2026-W48']);
    expect(studyWeeks(study, new Date('2026-11-01T09:00:00Z')).map((w) => w.studyWeek)).toEqual([0]);
  });

  it('the week indexer agrees with studyWeekOf for any instant, before, during and after the listed weeks', () => {
    const zones = ['Africa/Nairobi', 'Asia/Dhaka', 'Europe/London', 'America/Santiago', 'Pacific/Kiritimati'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
        fc.integer({ min: Date.UTC(2025, 10, 1), max: Date.UTC(2028, 5, 1) }),
        (timeZone, nowMs, atMs) => {
          const study = { startsOn: '2026-03-04', createdAt: '2026-01-01T00:00:00Z', timeZone };
          const weekOf = studyWeekIndexer(study, studyWeeks(study, new Date(nowMs)));
          expect(weekOf(new Date(atMs))).toBe(studyWeekOf(study, new Date(atMs)));
        },
      ),
      { numRuns: 80 },
    );
  });
});
