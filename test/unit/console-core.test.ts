import fc from 'fast-check';
import { getISODay, getISOWeek, getISOWeekYear } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { smsScreen, ussdScreen } from '../../functions/core/console/content-preview.js';
import { deliveryBucket, studyOverview } from '../../functions/core/console/overview.js';
import { withoutPhoneNumbers } from '../../functions/core/console/timeline.js';
import { isoWeekMonday } from '../../functions/core/console/weeks.js';
import { studyWeeks } from '../../functions/core/time/study-calendar.js';
import type { Study } from '../../functions/core/model.js';
import { DELIVERY_STATUSES } from '../../functions/core/sms/delivery.js';
import { encodedLength } from '../../functions/core/text/gsm7.js';
import { smsSize } from '../../functions/core/text/segments.js';
import { ScreenTooLongError } from '../../functions/core/ussd/limits.js';

/** The console's pure parts: week starts, phone scrubbing, SMS measuring, delivery buckets, response counting. */

describe('isoWeekMonday', () => {
  it('is the Monday of the ISO week the label names, for any day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        // date-fns reads local time; build the same calendar day at local noon.
        const day = new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 12);
        const label = `${getISOWeekYear(day)}-W${String(getISOWeek(day)).padStart(2, '0')}`;
        const monday = isoWeekMonday(label);
        const [y, m, dd] = monday.split('-').map(Number) as [number, number, number];
        const mondayLocal = new Date(y, m - 1, dd, 12);
        expect(getISODay(mondayLocal)).toBe(1);
        const diff = Math.round((day.getTime() - mondayLocal.getTime()) / 86_400_000);
        expect(diff).toBeGreaterThanOrEqual(0);
        expect(diff).toBeLessThanOrEqual(6);
      }),
    );
  });

  it('knows week 53 and the first week of a year that starts mid-week', () => {
    expect(isoWeekMonday('2026-W53')).toBe('2026-12-28');
    expect(isoWeekMonday('2027-W01')).toBe('2027-01-04');
    expect(isoWeekMonday('2025-W01')).toBe('2024-12-30');
    expect(() => isoWeekMonday('2026-48')).toThrow(/ISO week label/);
  });
});

describe('withoutPhoneNumbers', () => {
  const phone = fc.tuple(fc.constantFrom('+254', '0', '+880', ''), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 11 }), fc.constantFrom(' ', '-', ''));
  it('removes any phone number, however it is spaced, and keeps the words around it', () => {
    fc.assert(
      fc.property(phone, fc.string({ unit: fc.constantFrom(...'abc xyz.,!'.split('')) }), ([prefix, digits, sep], words) => {
        const number = `${prefix}${digits.slice(0, 3).join('')}${sep}${digits.slice(3, 6).join('')}${sep}${digits.slice(6).join('')}`;
        const out = withoutPhoneNumbers(`${words} call ${number} ${words}`);
        expect(out).not.toMatch(/\d{3}/);
        expect(out).toContain('[number removed]');
        expect(out.startsWith(words)).toBe(true);
      }),
    );
  });

  it('keeps amounts, dates and references', () => {
    expect(withoutPhoneNumbers('fee 500, paid 12,000 on 2026-11-03 ref ABC123')).toBe('fee 500, paid 12,000 on 2026-11-03 ref ABC123');
    // Shaped like a date at first, but it goes on: a number.
    expect(withoutPhoneNumbers('call 2012-10-11-78 now')).toBe('call [number removed] now');
  });
});

describe('measuring a screen', () => {
  it('counts SMS parts and characters exactly as smsSize, and warns only over the budget', () => {
    const chars = fc.constantFrom(...'abcdefghij XYZ0123.,{}[]€^~ৰকখ’😀'.split(''), '😀');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 500 }), fc.integer({ min: 1, max: 4 }), (text, budget) => {
        const s = smsScreen('x', 'diary', 'en', text, budget);
        const size = smsSize(text);
        expect([s.segments, s.chars, s.encoding]).toEqual([size.segments, size.length, size.encoding]);
        expect(s.warnings.some((w) => w.startsWith('SMS of'))).toBe(size.segments > budget);
      }),
    );
  });

  it('shows a USSD screen the renderer refused, flagged over its limit', () => {
    const long = `CON ${'a'.repeat(170)}`;
    const s = ussdScreen('x', 'diary', 'en', () => {
      throw new ScreenTooLongError(long, 170 + 4, 160);
    });
    expect(s).toMatchObject({ text: long, chars: 174, segments: 1, encoding: 'GSM-7', limit: 160 });
    expect(s.warnings).toContain('USSD screen of 174 characters, limit 160');
    expect(ussdScreen('y', 'diary', 'en', () => 'CON Hello').warnings).toEqual([]);
  });

  it('points at a few stray characters that force UCS-2, and at unfilled blanks', () => {
    const s = smsScreen('x', 'system', 'en', 'Don’t forget your diary: dial {code}', 1);
    expect(s.encoding).toBe('UCS-2');
    expect(s.warnings.join('\n')).toMatch(/UCS-2 only because of "’"/);
    expect(s.warnings.join('\n')).toMatch(/Unfilled blank \{code\}/);
    // A script that is UCS-2 throughout is not a stray.
    expect(smsScreen('y', 'system', 'bn', 'আপনার সাপ্তাহিক ডায়েরি', 1).warnings).toEqual([]);
    expect(encodedLength('ডায়েরি').encoding).toBe('UCS-2');
  });
});

describe('the overview', () => {
  it('puts every message status in exactly one bucket', () => {
    const all = ['queued', 'sending', 'accepted', 'failed', 'skipped', ...DELIVERY_STATUSES] as const;
    expect(Object.fromEntries(all.map((s) => [s, deliveryBucket(s)]))).toEqual({
      queued: 'queued', sending: 'queued', accepted: 'sent', failed: 'failed', skipped: 'skipped',
      Sent: 'sent', Submitted: 'sent', Buffered: 'sent', Rejected: 'failed', Success: 'delivered', Failed: 'failed', AbsentSubscriber: 'failed', Expired: 'failed',
    });
  });

  const study: Study = {
    studyId: 's', name: 'S', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['en'], serviceCode: '*1#', contact: 'x',
    arms: [{ armId: 't', name: 'T', ratio: 1, treatment: true }, { armId: 'c', name: 'C', ratio: 1, treatment: false }],
    providers: [], startsOn: '2026-10-05', createdAt: '2026-10-01T00:00:00Z',
  };
  const calendar = studyWeeks(study, new Date('2026-10-28T09:00:00Z'));

  it('counts late joiners from the week they were assigned or first kept a diary, and a week with only skipped questions as unanswered', () => {
    const person = (id: string, armId: string, rid: string, at: string) => ({
      studyId: 's', participantId: id, armId, consent: { state: 'consented' as const }, assignment: { randomizationId: rid, at }, source: 'import' as const, createdAt: at, updatedAt: at,
    });
    // `late` was assigned in week 2; `early` in week 3, but kept a diary from week 1.
    const participants = [
      person('a', 't', 'r1', '2026-10-20T00:00:00Z'), person('b', 'c', 'r1', '2026-10-20T00:00:00Z'),
      person('late', 't', 'r2', '2026-10-21T10:00:00Z'), person('early', 'c', 'r3', '2026-10-27T10:00:00Z'),
    ];
    const week = (participantId: string, w: number, value: unknown) => ({ participantId, week: calendar[w]?.id as string, studyWeek: w, answers: { q: { value } }, complete: value !== null });
    const o = studyOverview({
      study, calendar, participants, messages: [], complaints: [], campaigns: [], content: { modules: [] }, lang: 'en', initialRandomizationId: 'r1',
      weeks: [week('a', 0, 'yes'), week('a', 1, null), week('late', 2, 'yes'), week('b', 3, 5), week('early', 1, null), week('early', 3, 'yes')],
    });
    expect(o.weeks.map((w) => w.byArm.map((a) => [a.expected, a.answered]))).toEqual([
      [[1, 1], [1, 0]],
      [[1, 0], [2, 0]],
      [[2, 1], [2, 0]],
      [[2, 0], [2, 2]],
    ]);
    expect(o.weeks[2]?.byArm[0]?.rate).toBe(0.5);
    expect(o.enrolment).toEqual({ enrolled: 4, consented: 4, declined: 0, optedOut: 0, pending: 0 });
  });

  it('marks the weeks before the first prompt as not prompted, and the current week as partial', () => {
    const message = (period: string) => ({ participantId: 'a', purpose: 'prompt', period, status: 'accepted' as const, createdAt: '2026-10-16T15:00:00Z' });
    const o = studyOverview({ study, calendar, participants: [], weeks: [], messages: [message(calendar[1]?.id as string)], complaints: [], campaigns: [], content: { modules: [] }, lang: 'en' });
    expect(o.weeks.map((w) => [w.studyWeek, w.prompted, w.partial])).toEqual([[0, false, false], [1, true, false], [2, false, false], [3, false, true]]);
  });

  it('says when the provider sends no delivery reports: an SSL Wireless message stays sent, never failed', () => {
    const messages = ['a', 'b'].map((participantId) => ({ participantId, purpose: 'prompt', period: '2026-W44', createdAt: '2026-10-30T15:00:00Z', status: 'accepted' as const }));
    const base = { calendar, participants: [], weeks: [], complaints: [], campaigns: [], content: { modules: [] }, lang: 'en' };
    const bd = studyOverview({ ...base, study: { ...study, country: 'BD', messaging: { provider: 'sslwireless' } }, messages });
    expect(bd.delivery).toMatchObject({ sent: 2, failed: 0, provider: 'SSL Wireless', reports: false });
    expect(studyOverview({ ...base, study, messages }).delivery).toMatchObject({ provider: "Africa's Talking", reports: true });
  });
});
