import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { campaignProblems, type CampaignInput } from '../../functions/core/campaign/check.js';
import { previewCampaign, type AudienceRow, type CampaignPreview } from '../../functions/core/campaign/preview.js';
import type { Study } from '../../functions/core/model.js';
import { smsSize } from '../../functions/core/text/segments.js';

const nairobi: Study = {
  studyId: 'ke', name: 'Kenya wages', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['sw', 'en'], serviceCode: '*384*1#',
  contact: '0700 000 000', providers: [], createdAt: '2026-11-01T00:00:00Z', smsCost: { perSegment: 0.8, currency: 'KES' },
  arms: [
    { armId: 'edu', name: 'Education', ratio: 1, treatment: true },
    { armId: 'edu_plus', name: 'Education plus', ratio: 1, treatment: true },
    { armId: 'ctrl', name: 'Control', ratio: 1, treatment: false },
  ],
};
const dhaka: Study = { ...nairobi, studyId: 'bd', country: 'BD', timeZone: 'Asia/Dhaka', languages: ['bn', 'en'], serviceCode: '*213*7#', smsCost: { perSegment: 0.35, currency: 'BDT' } };

const input: CampaignInput = {
  name: 'Safety first', modules: ['pin_fraud_safety'], targetArms: ['edu'], startsOn: '2026-12-01', everyWeeks: 1, day: 5, hour: 18, channel: 'sms',
};
const NOW = new Date('2026-11-25T09:00:00Z');

const preview = (...args: Parameters<typeof previewCampaign>): CampaignPreview => {
  const r = previewCampaign(...args);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.preview;
};
const lessonOf = (moduleId: string, lessonId: string) => {
  const l = content.modules?.find((m) => m.id === moduleId)?.lessons.find((x) => x.id === lessonId);
  if (!l) throw new Error(`no lesson ${moduleId}/${lessonId}`);
  return l;
};

describe('checking a campaign', () => {
  const fields = (c: CampaignInput, study = nairobi) => campaignProblems(c, study, content).map((p) => p.field);

  it('accepts a complete campaign for treatment arms', () => {
    expect(campaignProblems(input, nairobi, content)).toEqual([]);
    expect(campaignProblems({ ...input, modules: ['cashing_out', 'pin_fraud_safety'], targetArms: ['edu', 'edu_plus'], channel: 'both', everyWeeks: 8, day: 7, hour: 8 }, nairobi, content)).toEqual([]);
  });

  it('refuses a control arm by name, and explains why', () => {
    const problems = campaignProblems({ ...input, targetArms: ['edu', 'ctrl'] }, nairobi, content);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe('targetArms');
    expect(problems[0]?.message).toContain('Control');
    expect(problems[0]?.message).toMatch(/control arm/i);
    expect(problems[0]?.message).toMatch(/treatment/i);
  });

  it('names each missing or impossible field', () => {
    expect(fields({ ...input, name: '   ' })).toEqual(['name']);
    expect(fields({ ...input, modules: [] })).toEqual(['modules']);
    expect(fields({ ...input, modules: ['pin_fraud_safety', 'astrology'] })).toEqual(['modules']);
    expect(fields({ ...input, modules: ['pin_fraud_safety', 'pin_fraud_safety'] })).toEqual(['modules']);
    expect(fields({ ...input, targetArms: [] })).toEqual(['targetArms']);
    expect(fields({ ...input, targetArms: ['nobody'] })).toEqual(['targetArms']);
    for (const startsOn of ['2026-02-30', '2026-13-01', '1/12/2026', '2026-12-1', '']) expect(fields({ ...input, startsOn })).toEqual(['startsOn']);
    expect(fields({ ...input, startsOn: '2028-02-29' })).toEqual([]);
    for (const everyWeeks of [0, 9, 1.5, Number.NaN]) expect(fields({ ...input, everyWeeks })).toEqual(['everyWeeks']);
    for (const day of [0, 8, 2.5]) expect(fields({ ...input, day })).toEqual(['day']);
    for (const hour of [-1, 24, 9.5]) expect(fields({ ...input, hour })).toEqual(['hour']);
    expect(fields({ ...input, channel: 'fax' as CampaignInput['channel'] })).toEqual(['channel']);
    const messages = campaignProblems({ ...input, name: '', modules: [], targetArms: [] }, nairobi, content).map((p) => p.message);
    for (const m of messages) expect(m).toMatch(/^[A-Z].*\.$/);
  });

  it('refuses an hour in the study quiet hours and says which hours are quiet', () => {
    const [late] = campaignProblems({ ...input, hour: 22 }, nairobi, content);
    expect(late?.field).toBe('hour');
    expect(late?.message).toContain('21:00 to 08:00');
    expect(late?.message).toContain('08:00 to 20:00');
    // The study's own quiet hours, not the default ones.
    const early: Study = { ...nairobi, schedule: { quiet: { start: 20, end: 6 } } };
    expect(fields({ ...input, hour: 7 }, early)).toEqual([]);
    expect(campaignProblems({ ...input, hour: 20 }, early, content)[0]?.message).toContain('20:00 to 06:00');
  });
});

describe('previewing a campaign', () => {
  const audience: AudienceRow[] = [
    { armId: 'edu', lang: 'en', count: 100 },
    { armId: 'edu', lang: 'sw', count: 50 },
    { armId: 'ctrl', lang: 'sw', count: 1000 },
    { armId: 'edu_plus', lang: 'sw', count: 70 }, // not targeted by this campaign
  ];

  it('lists each lesson with its local send time, ISO week, audience, segments and cost', () => {
    const p = preview(input, nairobi, content, audience, NOW);
    const source = content.modules?.find((m) => m.id === 'pin_fraud_safety');
    expect(p.weeks.map((w) => w.lessonId)).toEqual(source?.lessons.map((l) => l.id));
    expect([p.timeZone, p.currency, p.costPerSegment, p.costConfigured]).toEqual(['Africa/Nairobi', 'KES', 0.8, true]);
    const [first, second] = p.weeks;
    expect(first).toMatchObject({ index: 0, sendAt: '2026-12-04T15:00:00.000Z', localTime: '2026-12-04 18:00 Africa/Nairobi', week: '2026-W49', moduleId: 'pin_fraud_safety', past: false, recipients: 150 });
    expect(second).toMatchObject({ localTime: '2026-12-11 18:00 Africa/Nairobi', week: '2026-W50' });
    // The title in the study's first language (Swahili here).
    expect(first?.title).toBe(source?.lessons[0]?.title.sw);
    // One message per language, sized from the lesson text the participants get.
    const lesson = lessonOf('pin_fraud_safety', first?.lessonId ?? '');
    for (const [lang, recipients] of [['en', 100], ['sw', 50]] as const) {
      const m = first?.messages.find((x) => x.lang === lang);
      const size = smsSize(lesson.sms[lang] ?? '');
      expect(m).toEqual({ lang, kind: 'lesson', recipients, chars: size.length, encoding: 'GSM-7', segments: size.segments, segmentsTotal: size.segments * recipients });
      // Lessons are written for a few SMS parts, not one.
      expect(size.segments).toBeGreaterThan(1);
      expect(size.segments).toBeLessThanOrEqual(4);
    }
    expect(first?.messages).toHaveLength(2);
    const segments = first?.messages.reduce((n, m) => n + m.segmentsTotal, 0) ?? 0;
    expect(first?.segments).toBe(segments);
    expect(first?.cost).toBeCloseTo(segments * 0.8, 6);
    // Totals: the same 150 people every week; every lesson's messages, segments and cost.
    expect(p.totals.recipients).toBe(150);
    expect(p.totals.messages).toBe(150 * p.weeks.length);
    expect(p.totals.segments).toBe(p.weeks.reduce((n, w) => n + w.segments, 0));
    expect(p.totals.cost).toBeCloseTo(p.totals.segments * 0.8, 6);
    expect(p.upcoming).toEqual(p.totals);
  });

  it('lists ignored audience rows with the reason, and counts none of them', () => {
    const p = preview(input, nairobi, content, [...audience, { armId: 'ghost', lang: 'en', count: 5 }, { armId: 'edu', lang: 'en', count: -3 }], NOW);
    expect(p.audience.counted).toEqual([{ armId: 'edu', lang: 'en', count: 100 }, { armId: 'edu', lang: 'sw', count: 50 }]);
    expect(p.audience.ignored.map((r) => r.armId)).toEqual(['ctrl', 'edu_plus', 'ghost', 'edu']);
    expect(p.audience.ignored[0]?.reason).toMatch(/control/i);
    expect(p.weeks[0]?.recipients).toBe(150);
  });

  it('counts Bengali as UCS-2 and sends the lesson and the invitation for "both" (Dhaka)', () => {
    const p = preview({ ...input, channel: 'both' }, dhaka, content, [{ armId: 'edu', lang: 'bn', count: 40 }], NOW);
    expect(p.weeks[0]).toMatchObject({ sendAt: '2026-12-04T12:00:00.000Z', localTime: '2026-12-04 18:00 Asia/Dhaka' });
    const messages = p.weeks[0]?.messages ?? [];
    expect(messages.map((m) => [m.lang, m.kind, m.encoding])).toEqual([['bn', 'lesson', 'UCS-2'], ['bn', 'invite', 'UCS-2']]);
    const bn = lessonOf('pin_fraud_safety', p.weeks[0]?.lessonId ?? '').sms.bn ?? '';
    // UCS-2 parts hold 67 characters: a Bengali lesson costs more parts than its length in GSM-7 would.
    expect(messages[0]?.segments).toBe(Math.ceil(bn.length / 67));
    expect(messages[0]?.chars).toBe(bn.length);
    expect(p.weeks[0]?.cost).toBeCloseTo(((messages[0]?.segments ?? 0) + (messages[1]?.segments ?? 0)) * 40 * 0.35, 6);
    expect(p.totals.messages).toBe(2 * 40 * p.weeks.length);
    // Bangladesh sends through SSL Wireless: cost in its currency, and what it cannot do said.
    expect(p).toMatchObject({ provider: 'sslwireless', currency: 'BDT' });
    expect(p.warnings).toEqual([expect.stringContaining('sends no delivery reports')]);
  });

  it('warns that a one-way route cannot carry SMS replies; says nothing for a USSD-only campaign there, nor for Kenya', () => {
    const withCode = { ...dhaka, smsShortCode: '26880' };
    expect(preview({ ...input, channel: 'sms' }, withCode, content, [{ armId: 'edu', lang: 'bn', count: 4 }], NOW).warnings).toEqual([
      expect.stringContaining('one-way'), expect.stringContaining('no delivery reports'),
    ]);
    expect(preview({ ...input, channel: 'ussd' }, dhaka, content, [{ armId: 'edu', lang: 'bn', count: 4 }], NOW).warnings).toEqual([]);
    expect(preview(input, nairobi, content, audience, NOW).warnings).toEqual([]);
  });

  it('says when the SMS cost is not configured, and then costs nothing', () => {
    const { smsCost: _cost, ...noCost } = nairobi;
    const p = preview(input, noCost, content, audience, NOW);
    expect([p.currency, p.costPerSegment, p.costConfigured, p.totals.cost]).toEqual(['USD', 0, false, 0]);
    expect(p.totals.segments).toBeGreaterThan(0);
  });

  it('marks lessons already past but lists them, and applies a shift', () => {
    const p = preview({ ...input, everyWeeks: 2 }, nairobi, content, audience, new Date('2026-12-20T00:00:00Z'));
    expect(p.weeks.map((w) => w.past)).toEqual([true, true, false, false]);
    expect(p.upcoming.segments).toBe((p.weeks[2]?.segments ?? 0) + (p.weeks[3]?.segments ?? 0));
    expect(p.upcoming.recipients).toBe(150);
    const shifted = preview({ ...input, everyWeeks: 2, shiftPeriods: 1 }, nairobi, content, audience, NOW);
    expect(shifted.weeks[0]?.sendAt).toBe(p.weeks[1]?.sendAt);
  });

  it('returns the problems instead of a preview for an invalid campaign', () => {
    const r = previewCampaign({ ...input, targetArms: ['ctrl'] }, nairobi, content, audience, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((x) => x.field)).toEqual(['targetArms']);
  });

  it('never counts a control-arm audience row', () => {
    const arms = nairobi.arms.map((a) => a.armId);
    const row = fc.record({ armId: fc.constantFrom(...arms), lang: fc.constantFrom('en', 'sw', 'bn'), count: fc.integer({ min: 0, max: 5000 }) });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 8 }),
        fc.array(fc.record({ lang: fc.constantFrom('en', 'sw', 'bn', 'fr'), count: fc.integer({ min: 1, max: 1_000_000 }) }), { minLength: 1, maxLength: 4 }),
        fc.subarray(['edu', 'edu_plus'], { minLength: 1 }),
        fc.constantFrom('sms', 'ussd', 'both') as fc.Arbitrary<CampaignInput['channel']>,
        (rows, controlRows, targetArms, channel) => {
          const c = { ...input, targetArms, channel };
          const without = preview(c, nairobi, content, rows, NOW);
          const withControl = preview(c, nairobi, content, [...controlRows.map((r) => ({ ...r, armId: 'ctrl' })), ...rows], NOW);
          expect(withControl.weeks).toEqual(without.weeks);
          expect(withControl.totals).toEqual(without.totals);
          expect(withControl.audience.counted.some((r) => r.armId === 'ctrl')).toBe(false);
          // Recipients are exactly the targeted treatment rows.
          const expected = rows.filter((r) => targetArms.includes(r.armId)).reduce((n, r) => n + r.count, 0);
          expect(withControl.totals.recipients).toBe(expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});
