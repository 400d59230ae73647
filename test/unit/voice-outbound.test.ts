/**
 * The weekly call plan (core/voice/outbound.ts): invariant 4 at call time (no attempt id twice,
 * never more than 1 + maxPerWeek attempts a week), never in quiet hours, never to a responder,
 * retries at least minHoursApart after the last attempt. And the research side of the voice
 * mode: the week's channel and the impact report's response rate by mode and arm.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TZDate } from '@date-fns/tz';
import { CHANNEL_VALUES, weekChannel } from '../../functions/core/export/diary.js';
import { contactMode, responseRatesByMode } from '../../functions/core/impact/response-rates.js';
import type { Unit } from '../../functions/core/impact/sample.js';
import type { AnswerChannel, Participant, Study } from '../../functions/core/model.js';
import type { CallAttempt } from '../../functions/core/ports/voice.js';
import { isQuietHour, studySchedule } from '../../functions/core/schedule/policy.js';
import { studyWeekAt } from '../../functions/core/time/study-calendar.js';
import { callAttemptId, planCalls, voiceRetries } from '../../functions/core/voice/outbound.js';

const study: Study = {
  studyId: 's1', name: 'S', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['sw'], serviceCode: '*1#', contact: 'x',
  arms: [{ armId: 't', name: 'T', ratio: 1, treatment: true }, { armId: 'c', name: 'C', ratio: 1, treatment: false }],
  providers: [], startsOn: '2026-11-02', createdAt: '2026-11-01T00:00:00Z', voice: { from: '+254711082000' },
};
const person = (i: number, channel: Participant['channel']): Participant => ({
  studyId: 's1', participantId: `p${i}`, phone: `+2547000001${String(i).padStart(2, '0')}`, consent: { state: 'consented' }, channel,
  reminder: { day: 3, hour: 10 }, armId: i % 2 ? 't' : 'c', source: 'seed', createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z',
});

describe('planCalls', () => {
  it('never repeats an attempt id, caps the week, keeps quiet hours and the gap, and calls no responder', () => {
    const weekStart = Date.parse('2026-11-30T00:00:00+03:00');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }), { minLength: 1, maxLength: 40 }),
        fc.subarray([0, 1, 2, 3]),
        fc.record({ maxPerWeek: fc.integer({ min: 0, max: 3 }), minHoursApart: fc.integer({ min: 0, max: 8 }) }),
        (minutes, responders, retries) => {
          const s: Study = { ...study, voice: { from: '+254711082000', retries } };
          const people = [0, 1, 2, 3].map((i) => person(i, i === 3 ? 'sms' : 'voice'));
          const attempts: CallAttempt[] = [];
          const done = new Set(responders.map((i) => people[i]!.phone));
          for (const m of [...minutes].sort((a, b) => a - b)) {
            const now = new Date(weekStart + m * 60_000);
            const due = planCalls({ study: s, now, participants: people, attempts, diaryComplete: done });
            if (due.length > 0) expect(isQuietHour(new TZDate(now.getTime(), s.timeZone).getHours(), studySchedule(s).quiet)).toBe(false);
            for (const d of due) {
              expect(attempts.some((a) => a.attemptId === d.attemptId)).toBe(false);
              expect(done.has(d.participant.phone)).toBe(false);
              expect(d.participant.channel).toBe('voice');
              const last = attempts.filter((a) => a.participantId === d.participant.participantId).map((a) => Date.parse(a.createdAt)).sort().at(-1);
              if (last !== undefined) expect(now.getTime() - last).toBeGreaterThanOrEqual(retries.minHoursApart * 3_600_000);
              expect(d.attemptId).toBe(callAttemptId(d.participant, studyWeekAt(s, now).id, d.seq));
              attempts.push({ attemptId: d.attemptId, studyId: 's1', participantId: d.participant.participantId, period: d.period, seq: d.seq, status: 'queued', createdAt: now.toISOString() });
            }
          }
          for (const p of people) expect(attempts.filter((a) => a.participantId === p.participantId).length).toBeLessThanOrEqual(1 + voiceRetries(s).maxPerWeek);
        },
      ),
    );
  });

  it('defaults to two retries a week, four hours apart', () => {
    expect(voiceRetries({})).toEqual({ maxPerWeek: 2, minHoursApart: 4 });
  });
});

describe('the mode of answers in research outputs', () => {
  const week = (...channels: AnswerChannel[]) => ({ answers: Object.fromEntries(channels.map((c, i) => [`q${i}`, { value: 1, at: 'x', channel: c }])) });

  it('names a week answered by voice, or by a mix, and the codebook labels every value it can take', () => {
    expect(weekChannel(week('voice', 'voice'))).toBe('voice');
    expect(weekChannel(week('voice', 'ussd'))).toBe('ussd+voice');
    expect(weekChannel(week('sms', 'voice', 'ussd'))).toBe('ussd+sms+voice');
    const codes = new Set(CHANNEL_VALUES.map((v) => v.code));
    for (const mix of [['ussd'], ['sms'], ['voice'], ['ussd', 'sms'], ['ussd', 'voice'], ['sms', 'voice'], ['ussd', 'sms', 'voice']] as AnswerChannel[][]) {
      expect(codes.has(weekChannel(week(...mix)) as string)).toBe(true);
    }
    // Every non-empty mix of the four modes (ussd, sms, voice, enumerator).
    expect(codes.size).toBe(15);
  });

  it('the impact report counts response by contact mode and arm over person-weeks', () => {
    const calendar = [0, 1].map((n) => ({ studyWeek: n, id: `2026-W0${n + 1}` })) as unknown as Parameters<typeof responseRatesByMode>[0];
    const unit = (i: number, channel: Participant['channel'], answered: [number, AnswerChannel][]): Unit => {
      const p = person(i, channel);
      return { participant: p, armId: p.armId!, control: p.armId === 'c', entryWeek: 0, weeks: answered.map(([studyWeek, c]) => ({ studyWeek, ...week(c) })) } as unknown as Unit;
    };
    const rows = responseRatesByMode(calendar, study, [unit(1, 'voice', [[0, 'voice'], [1, 'ussd']]), unit(3, 'voice', []), unit(2, 'voice', [[0, 'voice']]), unit(4, undefined, [[1, 'sms']])]);
    expect(rows.map((r) => r.mode)).toEqual(['sms', 'voice']);
    const voiceT = rows.find((r) => r.mode === 'voice')!.arms.find((a) => a.armId === 't')!;
    expect(voiceT).toMatchObject({ participants: 2, personWeeks: 4, responded: 2, rate: 0.5, answeredBy: { ussd: 1, sms: 0, voice: 1 } });
    const voiceC = rows.find((r) => r.mode === 'voice')!.arms.find((a) => a.armId === 'c')!;
    expect(voiceC).toMatchObject({ participants: 1, personWeeks: 2, responded: 1, rate: 0.5 });
    expect(contactMode({ channel: 'ussd' })).toBe('ussd');
    expect(contactMode({})).toBe('sms');
  });
});
