import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../functions/core/model.js';
import { DEFAULT_POLICY, type SchedulePolicy } from '../../functions/core/schedule/policy.js';
import { type DueMessage, planDue, type WeekActivity } from '../../functions/core/schedule/plan.js';
import { diaryWeek } from '../../functions/core/time/week.js';
import { participant } from '../support/fixtures.js';

/**
 * The calendar edges a real study crosses: ISO week 53 (2026 has one, Monday 28 December to
 * Sunday 3 January), the year change in Dhaka and Nairobi, and daylight saving (Europe/London,
 * for a diaspora study) in March and October. The dispatcher's planner is run every 15
 * minutes over each span, remembering what it sent as the store would: every prompt goes at
 * the local day and hour, once a week, none twice and none skipped.
 */
const TICK_MS = 15 * 60_000;

interface Sent extends DueMessage {
  /** The tick that sent it. */
  at: Date;
}

function runTicks(o: { timeZone: string; from: string; to: string; people: Participant[]; policy?: SchedulePolicy; studyStart?: string }): Sent[] {
  const policy = o.policy ?? DEFAULT_POLICY;
  const studyStart = new Date(o.studyStart ?? '2026-11-02T00:00:00Z');
  const activity = new Map<string, WeekActivity>(); // by participant and week
  const sent: Sent[] = [];
  const ids = new Set<string>();
  for (let t = Date.parse(o.from); t <= Date.parse(o.to); t += TICK_MS) {
    const now = new Date(t);
    const week = diaryWeek(now, o.timeZone, studyStart).id;
    const mine = new Map(o.people.map((p) => [p.participantId, activity.get(`${p.participantId}|${week}`) ?? { diaryComplete: false, promptSent: false, remindersSent: 0 }]));
    for (const m of planDue({ timeZone: o.timeZone, studyStart, policy, reminderAfterHours: 24, now, participants: o.people, activity: mine })) {
      // A conditional create: an id planned again is not sent again (invariant 4).
      if (ids.has(m.messageId)) continue;
      ids.add(m.messageId);
      sent.push({ ...m, at: now });
      const key = `${m.participantId}|${m.period}`;
      const a = activity.get(key) ?? { diaryComplete: false, promptSent: false, remindersSent: 0 };
      activity.set(key, m.purpose === 'prompt' ? { ...a, promptSent: true, lastSentAt: now } : { ...a, remindersSent: a.remindersSent + 1, lastSentAt: now });
    }
  }
  return sent;
}

const local = (d: Date, timeZone: string) => {
  const z = new TZDate(d.getTime(), timeZone);
  return { day: z.getDay() === 0 ? 7 : z.getDay(), hour: z.getHours(), minute: z.getMinutes(), date: `${z.getFullYear()}-${String(z.getMonth() + 1).padStart(2, '0')}-${String(z.getDate()).padStart(2, '0')}` };
};
const person = (id: string, extra: Partial<Participant> = {}) => participant({ participantId: id, phone: `+2547110${id.padStart(5, '0')}`, channel: 'sms', ...extra });
const prompts = (sent: Sent[], id: string) => sent.filter((m) => m.purpose === 'prompt' && m.participantId === id);

describe('calendar edges', () => {
  it('ISO week 53 and the year change in Nairobi: one prompt a week, Friday 18:00 local, labelled 2026-W53 then 2027-W01', () => {
    const tz = 'Africa/Nairobi';
    const sent = runTicks({ timeZone: tz, from: '2026-12-21T00:00:00Z', to: '2027-01-17T00:00:00Z', people: [person('1')] });
    const p = prompts(sent, '1');
    expect(p.map((m) => m.period)).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(p.map((m) => local(m.at, tz).date)).toEqual(['2026-12-25', '2027-01-01', '2027-01-08', '2027-01-15']);
    for (const m of p) expect([local(m.at, tz).day, local(m.at, tz).hour, local(m.at, tz).minute]).toEqual([5, 18, 0]);
    // Study weeks count on through week 53 without a jump or a repeat.
    const studyStart = new Date('2026-11-02T00:00:00Z');
    expect(p.map((m) => diaryWeek(m.at, tz, studyStart).studyWeek)).toEqual([7, 8, 9, 10]);
  });

  it('the year change in Dhaka: the Friday 1 January prompt belongs to 2026-W53, and each week has exactly one reminder at most', () => {
    const tz = 'Asia/Dhaka';
    const people = [person('1'), person('2', { reminder: { day: 7, hour: 20 } })];
    // From Monday 28 December 00:00 in Dhaka (UTC+6), the first day of week 53.
    const sent = runTicks({ timeZone: tz, from: '2026-12-27T18:00:00Z', to: '2027-01-11T00:00:00Z', people });
    const p1 = prompts(sent, '1');
    expect(p1.map((m) => [m.period, local(m.at, tz).date, local(m.at, tz).hour])).toEqual([
      ['2026-W53', '2027-01-01', 18],
      ['2027-W01', '2027-01-08', 18],
    ]);
    // Sunday 20:00 local: 3 January is still in week 53, 10 January in week 1.
    expect(prompts(sent, '2').map((m) => [m.period, local(m.at, tz).date, local(m.at, tz).hour])).toEqual([
      ['2026-W53', '2027-01-03', 20],
      ['2027-W01', '2027-01-10', 20],
    ]);
    for (const id of ['1', '2']) {
      for (const week of ['2026-W53', '2027-W01']) {
        const reminders = sent.filter((m) => m.participantId === id && m.period === week && m.purpose === 'reminder');
        expect(reminders.length).toBeLessThanOrEqual(DEFAULT_POLICY.reminders.maxPerWeek);
        for (const r of reminders) expect(DEFAULT_POLICY.quiet.start > local(r.at, tz).hour && local(r.at, tz).hour >= DEFAULT_POLICY.quiet.end).toBe(true);
      }
    }
  });

  it('daylight saving in Europe/London: the prompt keeps its local hour across the March and October changes', () => {
    const tz = 'Europe/London';
    for (const [from, to] of [
      ['2026-03-16T00:00:00Z', '2026-04-06T00:00:00Z'],
      ['2026-10-12T00:00:00Z', '2026-11-02T00:00:00Z'],
    ] as const) {
      const p = prompts(runTicks({ timeZone: tz, from, to, people: [person('1')], studyStart: '2026-01-05T00:00:00Z' }), '1');
      expect(p).toHaveLength(3);
      for (const m of p) expect([local(m.at, tz).day, local(m.at, tz).hour, local(m.at, tz).minute]).toEqual([5, 18, 0]);
      // The UTC time moves by the hour the clocks moved: 18:00 GMT and 17:00 UTC in summer time.
      expect(new Set(p.map((m) => m.at.getUTCHours())).size).toBe(2);
    }
  });

  it('daylight saving nights: a prompt chosen for Sunday 01:00 is sent once when that hour is skipped (March) and once when it happens twice (October)', () => {
    const tz = 'Europe/London';
    // Quiet hours elsewhere, so that 01:00 itself may be used.
    const policy: SchedulePolicy = { ...DEFAULT_POLICY, quiet: { start: 3, end: 6 } };
    const night = person('1', { reminder: { day: 7, hour: 1 } });
    const march = prompts(runTicks({ timeZone: tz, from: '2026-03-23T00:00:00Z', to: '2026-03-30T12:00:00Z', people: [night], policy, studyStart: '2026-01-05T00:00:00Z' }), '1');
    // 01:00 does not exist on 29 March 2026 (01:00 GMT becomes 02:00 BST): sent at 02:00 BST, not skipped.
    expect(march.map((m) => [m.period, m.at.toISOString()])).toEqual([['2026-W13', '2026-03-29T01:00:00.000Z']]);
    const october = prompts(runTicks({ timeZone: tz, from: '2026-10-19T00:00:00Z', to: '2026-10-26T12:00:00Z', people: [night], policy, studyStart: '2026-01-05T00:00:00Z' }), '1');
    // 01:00 happens twice on 25 October 2026 (00:00 UTC in BST, then 01:00 UTC in GMT): sent once.
    expect(october.map((m) => [m.period, local(m.at, tz).hour])).toEqual([['2026-W43', 1]]);
    expect(['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z']).toContain(october[0]?.at.toISOString());
  });
});
