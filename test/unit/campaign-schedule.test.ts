import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { Campaign } from '../../functions/core/campaign/model.js';
import { campaignLessons, campaignMessages, lessonDue, lessonSendAt } from '../../functions/core/campaign/schedule.js';
import type { Study } from '../../functions/core/model.js';
import { isQuietHour, studySchedule } from '../../functions/core/schedule/policy.js';

const nairobi: Study = {
  studyId: 'ke', name: 'Kenya wages', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['sw', 'en'], serviceCode: '*384*1#',
  contact: '0700 000 000', providers: [], createdAt: '2026-11-01T00:00:00Z',
  arms: [{ armId: 'treat', name: 'Treatment', ratio: 1, treatment: true }, { armId: 'ctrl', name: 'Control', ratio: 1, treatment: false }],
};
const dhaka: Study = { ...nairobi, studyId: 'bd', country: 'BD', timeZone: 'Asia/Dhaka', languages: ['bn', 'en'], serviceCode: '*213*7#' };
const london: Study = { ...nairobi, studyId: 'uk', country: 'GB', timeZone: 'Europe/London', languages: ['en'] };

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  campaignId: 'c1', studyId: 'ke', name: 'Safety first', modules: ['pin_fraud_safety'], targetArms: ['treat'], startsOn: '2026-12-01',
  everyWeeks: 1, day: 5, hour: 18, channel: 'sms', status: 'scheduled', shiftPeriods: 0,
  createdAt: '2026-11-20T00:00:00Z', updatedAt: '2026-11-20T00:00:00Z', ...over,
});

const local = (d: Date, tz: string) => new TZDate(d.getTime(), tz);
const isoDay = (d: Date, tz: string) => ((local(d, tz).getDay() + 6) % 7) + 1;
const moduleOf = (id: string) => {
  const m = content.modules?.find((x) => x.id === id);
  if (!m) throw new Error(`no module ${id}`);
  return m;
};
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

describe('campaign lessons', () => {
  it('lists lessons by the campaign module order, then content order, and skips unknown modules', () => {
    const lessons = campaignLessons({ modules: ['cashing_out', 'no_such_module', 'digital_wage_account'] }, content);
    const expected = [...moduleOf('cashing_out').lessons.map((l) => ['cashing_out', l.id]), ...moduleOf('digital_wage_account').lessons.map((l) => ['digital_wage_account', l.id])];
    expect(lessons.map((l) => [l.moduleId, l.lessonId])).toEqual(expected);
    expect(lessons.map((l) => l.index)).toEqual(expected.map((_, i) => i));
    // cashing_out comes second in content order; the campaign's order wins.
    expect(moduleOf('cashing_out').order).toBeGreaterThan(moduleOf('digital_wage_account').order);
    expect(lessons[0]?.title).toEqual(moduleOf('cashing_out').lessons[0]?.title);
  });
});

describe('when campaign lessons go out', () => {
  it('sends the first lesson at the first chosen day and hour on or after the start date, local time', () => {
    // 2026-12-01 is a Tuesday: the first Friday is 4 December; 18:00 EAT is 15:00 UTC.
    expect(lessonSendAt(campaign(), nairobi, 0).toISOString()).toBe('2026-12-04T15:00:00.000Z');
    // The same wall-clock time in Dhaka (UTC+6).
    expect(lessonSendAt(campaign(), dhaka, 0).toISOString()).toBe('2026-12-04T12:00:00.000Z');
    // Starting on the chosen day itself counts (the hour is after local midnight).
    expect(lessonSendAt(campaign({ startsOn: '2026-12-04', hour: 8 }), nairobi, 0).toISOString()).toBe('2026-12-04T05:00:00.000Z');
    // Starting the day after the chosen weekday waits almost a week.
    expect(lessonSendAt(campaign({ startsOn: '2026-12-05' }), nairobi, 0).toISOString()).toBe('2026-12-11T15:00:00.000Z');
  });

  it('spaces lessons every N weeks and shifts them by whole periods', () => {
    const c = campaign({ everyWeeks: 2 });
    expect(lessonSendAt(c, nairobi, 1).toISOString()).toBe('2026-12-18T15:00:00.000Z');
    expect(lessonSendAt(c, nairobi, 3).toISOString()).toBe('2027-01-15T15:00:00.000Z');
    // A shift of one period puts lesson 0 where lesson 1 was: the grid of send times stays.
    expect(lessonSendAt({ ...c, shiftPeriods: 1 }, nairobi, 0)).toEqual(lessonSendAt(c, nairobi, 1));
  });

  it('moves a lesson out of quiet hours the study set after the campaign was planned', () => {
    const quietEvening: Study = { ...nairobi, schedule: { quiet: { start: 17, end: 9 } } };
    const at = lessonSendAt(campaign(), quietEvening, 0); // Friday 18:00 is now quiet: Saturday 09:00
    expect(at.toISOString()).toBe('2026-12-05T06:00:00.000Z');
  });

  it('keeps the local wall-clock time across daylight-saving changes (Europe/London)', () => {
    // Mondays 09:00 from 2 March 2026: BST starts 29 March, ends 25 October.
    const c = campaign({ startsOn: '2026-03-02', day: 1, hour: 9, modules: ['digital_wage_account', 'cashing_out', 'pin_fraud_safety', 'saving_in_account', 'rights_complaints', 'choosing_provider'] });
    const times = Array.from({ length: 40 }, (_, i) => lessonSendAt(c, london, i));
    for (const t of times) expect([isoDay(t, 'Europe/London'), local(t, 'Europe/London').getHours(), local(t, 'Europe/London').getMinutes()]).toEqual([1, 9, 0]);
    expect(times[3]?.toISOString()).toBe('2026-03-23T09:00:00.000Z'); // GMT
    expect(times[4]?.toISOString()).toBe('2026-03-30T08:00:00.000Z'); // BST: an hour earlier in UTC
    expect(times[34]?.toISOString()).toBe('2026-10-26T09:00:00.000Z'); // GMT again
    // So consecutive lessons are not always exactly 168 hours apart.
    const gaps = new Set(times.slice(1).map((t, i) => (t.getTime() - (times[i]?.getTime() ?? 0)) / HOUR));
    expect(gaps).toEqual(new Set([167, 168, 169]));
  });

  it('never schedules a lesson in quiet hours, and keeps the chosen day and hour when they are allowed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Africa/Nairobi', 'Asia/Dhaka', 'Europe/London', 'America/New_York', 'Asia/Kathmandu'),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 30 }),
        fc.record({ start: fc.integer({ min: 0, max: 23 }), end: fc.integer({ min: 0, max: 23 }) }).filter((q) => q.start !== q.end),
        (timeZone, start, day, hour, everyWeeks, shiftPeriods, index, quiet) => {
          const study: Study = { ...nairobi, timeZone, schedule: { quiet } };
          const startsOn = start.toISOString().slice(0, 10);
          const c = campaign({ startsOn, day, hour, everyWeeks, shiftPeriods });
          const at = lessonSendAt(c, study, index);
          const there = local(at, timeZone);
          expect(isQuietHour(there.getHours(), quiet)).toBe(false);
          // Never before the start date (local midnight).
          expect(there.toISOString().slice(0, 10) >= startsOn).toBe(true);
          // DST gaps (01:00-02:59 on a Sunday) may not exist locally; otherwise the wall clock holds.
          if (!isQuietHour(hour, quiet) && !(day === 7 && (hour === 1 || hour === 2))) {
            expect([isoDay(at, timeZone), there.getHours()]).toEqual([day, hour]);
          }
          const next = lessonSendAt(c, study, index + 1);
          expect(next.getTime() - at.getTime()).toBeGreaterThan(everyWeeks * WEEK - 25 * HOUR);
          expect(next.getTime() - at.getTime()).toBeLessThan(everyWeeks * WEEK + 25 * HOUR);
        },
      ),
    );
  });
});

describe('which lesson is due', () => {
  const c = campaign(); // Fridays 18:00 Nairobi from 4 December
  const lessons = campaignLessons(c, content);
  const at = (iso: string) => new Date(iso);

  it('is nothing before the first send time, then each lesson in its own week', () => {
    expect(lessonDue(c, nairobi, lessons, at('2026-12-04T14:59:59Z'))).toBeUndefined();
    const first = lessonDue(c, nairobi, lessons, at('2026-12-04T15:00:00Z'));
    expect(first).toEqual({ index: 0, lesson: lessons[0], dueAt: at('2026-12-04T15:00:00Z'), period: 'c1:0' });
    // A missed tick catches up later in the same week (Monday 10:00 local).
    expect(lessonDue(c, nairobi, lessons, at('2026-12-07T07:00:00Z'))?.index).toBe(0);
    expect(lessonDue(c, nairobi, lessons, at('2026-12-11T14:59:00Z'))?.index).toBe(0);
    expect(lessonDue(c, nairobi, lessons, at('2026-12-11T15:00:00Z'))?.period).toBe('c1:1');
  });

  it('sends nothing in quiet hours, while paused or cancelled, or after the last period', () => {
    expect(lessonDue(c, nairobi, lessons, at('2026-12-04T19:00:00Z'))).toBeUndefined(); // 22:00 local
    expect(lessonDue(c, nairobi, lessons, at('2026-12-05T05:00:00Z'))?.index).toBe(0); // 08:00 local
    expect(lessonDue({ ...c, status: 'paused', pausedAt: '2026-12-01T00:00:00Z' }, nairobi, lessons, at('2026-12-05T05:00:00Z'))).toBeUndefined();
    expect(lessonDue({ ...c, status: 'cancelled' }, nairobi, lessons, at('2026-12-05T05:00:00Z'))).toBeUndefined();
    const last = lessons.length - 1;
    const lastAt = lessonSendAt(c, nairobi, last);
    expect(lessonDue(c, nairobi, lessons, new Date(lastAt.getTime() + WEEK - HOUR))?.index).toBe(last);
    expect(lessonDue(c, nairobi, lessons, new Date(lastAt.getTime() + WEEK))).toBeUndefined();
    expect(lessonDue(c, nairobi, [], lastAt)).toBeUndefined();
  });

  it('never returns a lesson before its send time, and each lesson in one unbroken window only', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(nairobi, dhaka, london),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 8, max: 20 }),
        fc.integer({ min: 1, max: 3 }),
        fc.subarray(['digital_wage_account', 'cashing_out', 'pin_fraud_safety'], { minLength: 1 }),
        fc.array(fc.integer({ min: 0, max: 30 * 7 * 24 * 60 }), { minLength: 1, maxLength: 200 }),
        (study, day, hour, everyWeeks, modules, minutes) => {
          const cc = campaign({ startsOn: '2027-03-10', day, hour, everyWeeks, modules });
          const ls = campaignLessons(cc, content);
          const origin = new Date('2027-03-01T00:00:00Z').getTime();
          const seen: number[] = [];
          for (const m of [...minutes].sort((a, b) => a - b)) {
            const now = new Date(origin + m * 60_000);
            const due = lessonDue(cc, study, ls, now);
            if (!due) continue;
            expect(due.dueAt.getTime()).toBeLessThanOrEqual(now.getTime());
            expect(due.dueAt).toEqual(lessonSendAt(cc, study, due.index));
            expect(now.getTime()).toBeLessThan(lessonSendAt(cc, study, due.index + 1).getTime());
            expect(due.period).toBe(`c1:${due.index}`);
            expect(due.lesson).toBe(ls[due.index]);
            expect(isQuietHour(local(now, study.timeZone).getHours(), studySchedule(study).quiet)).toBe(false);
            seen.push(due.index);
          }
          // Indices never go back: once the next lesson is due, an earlier one is never due again.
          expect(seen).toEqual([...seen].sort((a, b) => a - b));
          // And at each send time exactly that lesson is due.
          for (const l of ls) expect(lessonDue(cc, study, ls, lessonSendAt(cc, study, l.index))?.index).toBe(l.index);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('campaign messages', () => {
  const lesson = campaignLessons(campaign(), content)[1];
  if (!lesson) throw new Error('no lesson');
  const source = moduleOf(lesson.moduleId).lessons.find((l) => l.id === lesson.lessonId);

  it('pushes the lesson text in the participant language (sms)', () => {
    const [m, ...rest] = campaignMessages({ channel: 'sms' }, nairobi, content, lesson, 'en');
    expect(rest).toEqual([]);
    expect(m).toEqual({ seq: 0, kind: 'lesson', text: source?.sms.en });
  });

  it('invites to the lesson on USSD with its title and the study code (ussd)', () => {
    const [m, ...rest] = campaignMessages({ channel: 'ussd' }, nairobi, content, lesson, 'sw');
    expect(rest).toEqual([]);
    expect(m?.kind).toBe('invite');
    expect(m?.text).toContain(`"${source?.title.sw}"`);
    expect(m?.text).toContain('*384*1#');
    expect(m?.text).not.toMatch(/\{\w+\}/);
    expect(m?.text.startsWith(content.sms?.lessonInvite.sw?.split('{')[0] ?? '?')).toBe(true);
  });

  it('sends both, lesson first, with distinct sequence numbers; falls back to the study language, then English', () => {
    const both = campaignMessages({ channel: 'both' }, dhaka, content, lesson, 'bn');
    expect(both.map((m) => m.kind)).toEqual(['lesson', 'invite']);
    expect(new Set(both.map((m) => m.seq)).size).toBe(2);
    expect(both[0]?.text).toBe(source?.sms.bn);
    expect(both[1]?.text).toContain(source?.title.bn ?? '?');
    expect(both[1]?.text).toContain('*213*7#');
    // French is not in the content: the Dhaka study's first language (Bengali) is used.
    expect(campaignMessages({ channel: 'both' }, dhaka, content, lesson, 'fr')).toEqual(both);
    // A study whose first language the content lacks falls back to English.
    const zulu: Study = { ...nairobi, languages: ['zu'] };
    expect(campaignMessages({ channel: 'sms' }, zulu, content, lesson, 'fr')[0]?.text).toBe(source?.sms.en);
  });

  it('refuses a lesson the content does not have', () => {
    expect(() => campaignMessages({ channel: 'sms' }, nairobi, content, { moduleId: 'gone', lessonId: 'gone' }, 'en')).toThrow(/gone/);
  });
});
