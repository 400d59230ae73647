import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { advance, begin, type FlowContext, view } from '../../functions/core/ussd/flow.js';
import { fitsUssd } from '../../functions/core/ussd/limits.js';
import type { UssdState } from '../../functions/core/ussd/session.js';
import { enrolmentInputs } from '../support/ussd.js';
import { runKeys } from '../support/flow.js';
import { participant, study } from '../support/fixtures.js';

const run = runKeys;

const newcomer: FlowContext = { study: study(), content };

describe('USSD enrolment dialogue', () => {
  it('asks a new number for its language first, in both languages', () => {
    expect(view(begin(newcomer), newcomer)).toBe(
      'CON Welcome to Sauti. Choose language / Chagua lugha:\n1. English\n2. Kiswahili',
    );
  });

  it('enrols after consent and the baseline, keeping the answers by choice name', () => {
    const { screen, effects, state } = run(newcomer, enrolmentInputs(1, ['3', '1', '30']));
    expect(screen.startsWith('END Thank you, you have joined Sauti.')).toBe(true);
    expect(state).toMatchObject({ at: 'ended', message: 'enrolled' });
    expect(effects).toEqual([{ type: 'enrol', lang: 'en', answers: { pay_method: 'mobile_money', own_account: 'yes', age: 30 } }]);
  });

  it('speaks Kiswahili all the way when chosen', () => {
    const { screen, effects } = run(newcomer, enrolmentInputs(2, ['1', '2', '45']));
    expect(screen).toMatch(/^END Asante, umejiunga na Sauti/);
    expect(effects[0]).toMatchObject({ type: 'enrol', lang: 'sw', answers: { pay_method: 'cash', own_account: 'no', age: 45 } });
  });

  it('pages the consent forward and back', () => {
    const one = run(newcomer, ['1']).screen;
    expect(one).toContain('98. More');
    expect(one).not.toContain('0. Back');
    const two = run(newcomer, ['1', '98']).screen;
    expect(two).toContain('0. Back');
    expect(run(newcomer, ['1', '98', '0']).screen).toBe(one);
  });

  it('re-asks a bad choice with a message in the chosen language, changing nothing', () => {
    const before = run(newcomer, ['2', '98']);
    const after = run(newcomer, ['2', '98', '7']);
    expect(after.state).toEqual(before.state);
    expect(after.screen).toMatch(/^CON Tafadhali jibu kwa mojawapo ya namba zilizoonyeshwa\.\n/);
    expect(after.screen).toContain('98. Zaidi\n0. Rudi');
  });

  it('shows every language\'s error notice on every screen where a bad key is possible', () => {
    for (const lang of ['en', 'sw']) {
      const notice = content.strings[lang]?.invalidChoice as string;
      const langKey = String(content.languages.indexOf(lang) + 1);
      const consentSteps = enrolmentInputs(Number(langKey), []);
      for (let i = 1; i <= consentSteps.length; i += 1) {
        expect(run(newcomer, [...consentSteps.slice(0, i), '7']).screen).toContain(notice);
      }
    }
  });

  it('refuses an age outside the constraint with its own message', () => {
    const inputs = enrolmentInputs(2, ['1', '1']);
    expect(run(newcomer, [...inputs, '12']).screen).toMatch(/^CON Tafadhali andika umri kati ya 16 na 80\./);
    expect(run(newcomer, [...inputs, 'thirty']).screen).toMatch(/^CON Tafadhali jibu kwa namba kamili\./);
    expect(run(newcomer, [...inputs, '12']).effects).toEqual([]);
  });

  it('goes back to the previous baseline question with 0', () => {
    const inputs = enrolmentInputs(1, ['2']);
    const { state } = run(newcomer, [...inputs, '0']);
    expect(state).toMatchObject({ at: 'baseline', index: 0, answers: { pay_method: 'bank' } });
  });

  it('ends politely on decline and records it', () => {
    const pages = content.consent.pages.en?.length ?? 1;
    const { screen, effects } = run(newcomer, ['1', ...Array(pages - 1).fill('98'), '2']);
    expect(screen).toMatch(/^END Thank you\. We will not contact you/);
    expect(effects).toEqual([{ type: 'decline', lang: 'en' }]);
  });

  it('offers someone who declined to hear about the study again, in their language', () => {
    const ctx: FlowContext = { ...newcomer, participant: participant({ consent: { state: 'declined' }, lang: 'sw' }) };
    expect(run(ctx, []).screen).toMatch(/^CON Ulikataa/);
    expect(run(ctx, ['1']).state).toEqual({ at: 'consent', lang: 'sw', page: 0 });
    expect(run(ctx, ['2']).screen).toBe('END Asante. Kwaheri.');
  });

  it('skips the baseline for someone rejoining after withdrawing (their first answers stand)', () => {
    const ctx: FlowContext = { ...newcomer, participant: participant({ consent: { state: 'withdrawn' } }) };
    const pages = content.consent.pages.en?.length ?? 1;
    const { effects } = run(ctx, ['1', ...Array(pages - 1).fill('98'), '1']);
    expect(effects).toEqual([{ type: 'enrol', lang: 'en', answers: {} }]);
  });

  it('gives a consented participant the main menu in their language', () => {
    const ctx: FlowContext = { ...newcomer, participant: participant({ armId: 'treatment', lang: 'en' }) };
    expect(run(ctx, []).screen).toBe(
      "CON Sauti\n1. This week's diary\n2. Lessons\n3. My summary\n4. Report a problem\n5. Settings",
    );
    // A first-timer goes straight into the first lesson of the sequence.
    expect(run(ctx, ['2']).state).toEqual({ at: 'lesson', lang: 'en', lessonKey: 'digital_wage_account/what_the_account_is', page: 0 });
    expect(run(ctx, ['2']).screen).toMatch(/\n98\. More$/);
    expect(run(ctx, ['2', '0']).state).toEqual({ at: 'lessonsMenu', lang: 'en' });
    expect(run(ctx, ['2', '0', '0']).state).toEqual({ at: 'menu', lang: 'en', page: 0 });
  });
});

describe('dialogue invariants under any key sequence', () => {
  const keys = fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '9', '98', '99', '00', '', ' 1', 'abc', '30', '16', '81', '#', '1*2');
  const who = fc.constantFrom<FlowContext['participant']>(
    undefined,
    participant({ consent: { state: 'pending' }, lang: undefined }),
    participant({ consent: { state: 'declined' } }),
    participant({ armId: 'control' }),
    participant({ armId: 'treatment', lang: 'en' }),
    participant({ armId: undefined }),
  );

  it('renders every screen within the USSD limit and never throws', () => {
    fc.assert(
      fc.property(who, fc.array(keys, { maxLength: 25 }), (p, inputs) => {
        const ctx: FlowContext = { study: study(), content, ...(p ? { participant: p } : {}) };
        let state: UssdState = begin(ctx);
        for (const input of inputs) {
          const step = advance(state, input, ctx);
          state = step.state;
          expect(fitsUssd(view(state, ctx, step.notice))).toBe(true);
        }
      }),
    );
  });

  it('never shows or reaches lessons for a control participant', () => {
    const lessonLabels = content.languages.map((l) => content.strings[l]?.menuLessons as string);
    fc.assert(
      fc.property(fc.constantFrom('en', 'sw'), fc.array(keys, { maxLength: 25 }), (lang, inputs) => {
        const ctx: FlowContext = { study: study(), content, participant: participant({ armId: 'control', lang }) };
        let state: UssdState = begin(ctx);
        for (const input of inputs) {
          state = advance(state, input, ctx).state;
          expect(state).not.toMatchObject({ item: 'lessons' });
          const screen = view(state, ctx);
          for (const label of lessonLabels) expect(screen).not.toContain(label);
        }
      }),
      { numRuns: 300 },
    );
  });
});
