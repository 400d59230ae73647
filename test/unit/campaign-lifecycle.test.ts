import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { CampaignInput } from '../../functions/core/campaign/check.js';
import { CampaignStateError, cancelCampaign, newCampaign, pauseCampaign, resumeCampaign } from '../../functions/core/campaign/lifecycle.js';
import type { Campaign } from '../../functions/core/campaign/model.js';
import { campaignLessons, lessonDue, lessonSendAt } from '../../functions/core/campaign/schedule.js';
import type { Study } from '../../functions/core/model.js';

const nairobi: Study = {
  studyId: 'ke', name: 'Kenya wages', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['sw', 'en'], serviceCode: '*384*1#',
  contact: '0700 000 000', providers: [], createdAt: '2026-11-01T00:00:00Z',
  arms: [{ armId: 'treat', name: 'Treatment', ratio: 1, treatment: true }, { armId: 'ctrl', name: 'Control', ratio: 1, treatment: false }],
};
const dhaka: Study = { ...nairobi, studyId: 'bd', timeZone: 'Asia/Dhaka', languages: ['bn', 'en'] };
const london: Study = { ...nairobi, studyId: 'uk', timeZone: 'Europe/London', languages: ['en'] };

const input: CampaignInput = {
  name: '  Safety first ', modules: ['pin_fraud_safety'], targetArms: ['treat'], startsOn: '2026-12-01', everyWeeks: 1, day: 5, hour: 18, channel: 'sms',
};
const created = new Date('2026-11-20T10:00:00Z');
const fresh = () => newCampaign(input, { campaignId: 'c1', studyId: 'ke', createdBy: 'officer@ngo.org', now: created });
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

describe('a new campaign', () => {
  it('is scheduled, unshifted, and keeps only the fields staff provide', () => {
    const c = newCampaign({ ...input, status: 'cancelled', shiftPeriods: 9 } as CampaignInput, { campaignId: 'c1', studyId: 'ke', now: created });
    expect(c).toEqual({
      ...input, name: 'Safety first', campaignId: 'c1', studyId: 'ke', status: 'scheduled', shiftPeriods: 0,
      createdAt: created.toISOString(), updatedAt: created.toISOString(),
    });
    expect(fresh().createdBy).toBe('officer@ngo.org');
    // The campaign does not share arrays with the request it came from.
    const mods = [...input.modules];
    const own = newCampaign({ ...input, modules: mods }, { campaignId: 'c2', studyId: 'ke', now: created });
    mods.push('cashing_out');
    expect(own.modules).toEqual(['pin_fraud_safety']);
  });
});

describe('pausing, resuming and cancelling', () => {
  it('allows scheduled → paused → scheduled → cancelled, stamping each change', () => {
    const paused = pauseCampaign(fresh(), at('2026-12-02T08:00:00Z'));
    expect([paused.status, paused.pausedAt, paused.updatedAt]).toEqual(['paused', '2026-12-02T08:00:00.000Z', '2026-12-02T08:00:00.000Z']);
    const resumed = resumeCampaign(paused, at('2026-12-03T08:00:00Z'), nairobi);
    expect([resumed.status, resumed.pausedAt, resumed.updatedAt]).toEqual(['scheduled', undefined, '2026-12-03T08:00:00.000Z']);
    expect('pausedAt' in resumed).toBe(false);
    const cancelled = cancelCampaign(resumed, at('2026-12-04T08:00:00Z'));
    expect([cancelled.status, cancelled.updatedAt]).toEqual(['cancelled', '2026-12-04T08:00:00.000Z']);
    // A paused campaign can be cancelled directly, and does not stay marked paused.
    const stopped = cancelCampaign(paused, at('2026-12-04T08:00:00Z'));
    expect([stopped.status, 'pausedAt' in stopped]).toEqual(['cancelled', false]);
    // The input campaign is left untouched.
    expect(paused.status).toBe('paused');
  });

  it('refuses every other change with a clear CampaignStateError', () => {
    const now = at('2026-12-05T08:00:00Z');
    const scheduled = fresh();
    const paused = pauseCampaign(scheduled, now);
    const cancelled = cancelCampaign(scheduled, now);
    const refusals: [() => Campaign, RegExp][] = [
      [() => resumeCampaign(scheduled, now, nairobi), /not paused/],
      [() => pauseCampaign(paused, now), /already paused/],
      [() => pauseCampaign(cancelled, now), /cancelled; it cannot be paused/],
      [() => resumeCampaign(cancelled, now, nairobi), /^This campaign is cancelled; it cannot be resumed\.$/],
      [() => cancelCampaign(cancelled, now), /already cancelled/],
    ];
    for (const [change, message] of refusals) {
      expect(change).toThrow(CampaignStateError);
      expect(change).toThrow(message);
    }
    try {
      resumeCampaign(cancelled, now, nairobi);
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect(e).toMatchObject({ name: 'CampaignStateError', status: 'cancelled', action: 'resume' });
    }
  });

  it('resumes at the next period boundary without skipping the lessons the pause covered', () => {
    const c = fresh(); // Fridays 18:00 Nairobi (15:00 UTC) from 4 December
    const lessons = campaignLessons(c, content);
    // Lesson 0 went on 4 December; paused on the 5th; 11 and 18 December pass; resumed Sunday 20th.
    const paused = pauseCampaign(c, at('2026-12-05T09:00:00Z'));
    const resumed = resumeCampaign(paused, at('2026-12-20T09:00:00Z'), nairobi);
    expect(resumed.shiftPeriods).toBe(2);
    // Lesson 1 (due on the 11th while paused) goes on the first Friday after resuming.
    expect(lessonSendAt(resumed, nairobi, 1).toISOString()).toBe('2026-12-25T15:00:00.000Z');
    // Until then only lesson 0's period is open again: its message ids make a second send nothing.
    expect(lessonDue(resumed, nairobi, lessons, at('2026-12-20T09:00:00Z'))?.period).toBe('c1:0');
    expect(lessonDue(resumed, nairobi, lessons, at('2026-12-25T15:00:00Z'))?.period).toBe('c1:1');
    // A pause that covers no send time moves nothing.
    const short = resumeCampaign(pauseCampaign(c, at('2026-12-05T09:00:00Z')), at('2026-12-10T09:00:00Z'), nairobi);
    expect(short.shiftPeriods).toBe(0);
    // Shifts add up over pauses.
    const again = resumeCampaign(pauseCampaign(resumed, at('2026-12-26T09:00:00Z')), at('2027-01-02T09:00:00Z'), nairobi);
    expect(again.shiftPeriods).toBe(3);
    expect(lessonSendAt(again, nairobi, 2).toISOString()).toBe('2027-01-08T15:00:00.000Z');
  });

  it('keeps fortnightly lessons on their original grid after a pause', () => {
    const c = { ...fresh(), everyWeeks: 2 };
    const grid = (k: number) => lessonSendAt(c, nairobi, k).getTime();
    // Paused before lesson 0 (4 Dec) and resumed on 10 Dec: lesson 0 moves to 18 Dec, a grid point.
    const resumed = resumeCampaign(pauseCampaign(c, at('2026-12-01T09:00:00Z')), at('2026-12-10T09:00:00Z'), nairobi);
    expect(resumed.shiftPeriods).toBe(1);
    expect(lessonSendAt(resumed, nairobi, 0).getTime()).toBe(grid(1));
    expect((lessonSendAt(resumed, nairobi, 3).getTime() - grid(0)) % (2 * WEEK)).toBe(0);
  });

  it('never skips or repeats a lesson over any sequence of pauses and resumes', () => {
    const studies = [nairobi, dhaka, london];
    fc.assert(
      fc.property(
        fc.constantFrom(...studies),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 8, max: 20 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom(['pin_fraud_safety'], ['cashing_out', 'saving_in_account']).map((m) => [...m]),
        // Hours between staff actions (pause, resume, pause, ...) and the minute within the hour.
        fc.array(fc.record({ afterHours: fc.integer({ min: 0, max: 24 * 14 }), minute: fc.integer({ min: 1, max: 59 }) }), { maxLength: 5 }),
        fc.boolean(),
        (study, day, hour, everyWeeks, modules, actions, cancelAtEnd) => {
          let c: Campaign = { ...fresh(), startsOn: '2027-03-15', day, hour, everyWeeks, modules };
          const lessons = campaignLessons(c, content);
          // Staff actions happen between dispatcher ticks, which run on every whole hour.
          let t = new Date('2027-03-15T00:00:00Z').getTime();
          const events: number[] = [];
          for (const a of actions) {
            t += a.afterHours * HOUR;
            events.push(t + a.minute * 60_000);
          }
          const end = Math.max(t, new Date('2027-03-15T00:00:00Z').getTime()) + (lessons.length + 2) * everyWeeks * WEEK + 24 * HOUR;
          const offered: number[] = [];
          const sent = new Set<string>();
          let e = 0;
          for (let tick = new Date('2027-03-14T00:00:00Z').getTime(); tick <= end; tick += HOUR) {
            for (; e < events.length && (events[e] ?? Infinity) < tick; e += 1) {
              const when = new Date(events[e] ?? 0);
              c = c.status === 'scheduled' ? pauseCampaign(c, when) : resumeCampaign(c, when, study);
            }
            const due = lessonDue(c, study, lessons, new Date(tick));
            if (!due) continue;
            expect(due.dueAt.getTime()).toBeLessThanOrEqual(tick);
            if (offered.at(-1) !== due.index) offered.push(due.index);
            sent.add(due.period);
          }
          if (c.status === 'paused') {
            // Still paused at the end: nothing went after the pause, and resuming later still sends the rest.
            const resumeAt = end + 3 * WEEK;
            c = resumeCampaign(c, new Date(resumeAt), study);
            for (let tick = resumeAt; tick <= resumeAt + (lessons.length + 2) * everyWeeks * WEEK; tick += HOUR) {
              const due = lessonDue(c, study, lessons, new Date(tick));
              if (due && offered.at(-1) !== due.index) offered.push(due.index);
              if (due) sent.add(due.period);
            }
          }
          // Each lesson is offered in one run, in order: none skipped, none back after a later one.
          expect(offered).toEqual(lessons.map((l) => l.index));
          expect(sent).toEqual(new Set(lessons.map((l) => `c1:${l.index}`)));
          if (cancelAtEnd) expect(lessonDue(cancelCampaign(c, new Date(end)), study, lessons, new Date(end))).toBeUndefined();
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000); // hourly ticks over months: a few seconds, more on a busy machine
});
