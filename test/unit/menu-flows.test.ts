import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { Participant } from '../../functions/core/model.js';
import { advance, begin, type FlowContext, view } from '../../functions/core/ussd/flow.js';
import { lessonSequence } from '../../functions/core/ussd/lessons-flow.js';
import { fitsUssd } from '../../functions/core/ussd/limits.js';
import { complaintRef } from '../../functions/core/ussd/problem-flow.js';
import type { UssdState } from '../../functions/core/ussd/session.js';
import { runKeys } from '../support/flow.js';
import { participant, study } from '../support/fixtures.js';

function run(p: Participant, inputs: readonly string[], extra: Partial<FlowContext> = {}) {
  return runKeys({ study: study(), content, participant: p, diary: { studyWeek: 0, answers: {}, complete: false }, sessionId: 'ATUid_1', ...extra }, inputs);
}

const treated = participant({ armId: 'treatment', lang: 'en' });
const first = lessonSequence(content)[0];

describe('lessons (treatment arm)', () => {
  it('takes the first lesson page by page, then the quiz, with feedback that ends the session', () => {
    const pages = first?.lesson.ussd.en?.length ?? 0;
    const toQuiz = ['2', ...Array(pages).fill('98')];
    expect(run(treated, toQuiz).state).toMatchObject({ at: 'quiz' });
    const correct = (first?.lesson.quiz.choices.findIndex((c) => c.name === first.lesson.quiz.correct) ?? 0) + 1;
    const done = run(treated, [...toQuiz, String(correct)]);
    expect(done.screen).toBe(`END ${first?.lesson.quiz.choices[correct - 1]?.feedback.en}`);
    expect(done.effects).toEqual([{ type: 'lessonDone', lessonKey: first?.key, choice: first?.lesson.quiz.correct, correct: true }]);
  });

  it('offers the next lesson and a repeat of the last one after a lesson is done', () => {
    const p = participant({ armId: 'treatment', lang: 'en', lessons: { [first?.key ?? '']: { choice: 'x', correct: false, at: '2026-11-20T10:00:00Z', sessionId: 's' } } });
    const menu = run(p, ['2']);
    expect(menu.state).toEqual({ at: 'lessonsMenu', lang: 'en' });
    expect(menu.screen).toContain('1. Next lesson\n2. Repeat last lesson');
    expect(run(p, ['2', '1']).state).toMatchObject({ at: 'lesson', lessonKey: lessonSequence(content)[1]?.key });
    expect(run(p, ['2', '2']).state).toMatchObject({ at: 'lesson', lessonKey: first?.key });
  });

  it('never lets a control participant see or reach a lesson, even from a stored lesson state', () => {
    const control = participant({ armId: 'control', lang: 'en' });
    const keys = fc.constantFrom('0', '1', '2', '3', '4', '5', '98', '99');
    fc.assert(
      fc.property(fc.array(keys, { maxLength: 30 }), (inputs) => {
        const { state } = run(control, inputs);
        expect(['lessonsMenu', 'lesson', 'quiz', 'feedback']).not.toContain(state.at);
      }),
      { numRuns: 300 },
    );
    // A conversation left in a lesson (e.g. the arm was corrected) falls back to the menu.
    const ctx: FlowContext = { study: study(), content, participant: control };
    const stored: UssdState = { at: 'lesson', lang: 'en', lessonKey: first?.key ?? '', page: 0 };
    expect(view(stored, ctx)).toMatch(/^CON Sauti\n/);
    expect(advance(stored, '98', ctx).state).toEqual({ at: 'menu', lang: 'en', page: 0 });
  });
});

describe('report a problem, settings, summary', () => {
  it('records a complaint with provider, category and words, and gives a stable reference', () => {
    const menuIndex = 3; // diary, summary, problem (control arm: no lessons)
    const control = participant({ armId: 'control', lang: 'en' });
    const share = content.strings.en?.problemShare ?? '';
    expect(run(control, [String(menuIndex), '1', '2', 'Agent said no cash']).screen).toBe(`CON ${share}`);
    const wrong = run(control, [String(menuIndex), '1', '2', 'Agent said no cash', '3']);
    expect(wrong.screen).toContain(content.strings.en?.invalidChoice ?? '-');
    expect(wrong.screen).toContain(share);
    expect(wrong.effects).toEqual([]);
    const { screen, effects } = run(control, [String(menuIndex), '1', '2', 'Agent said no cash', '2']);
    const ref = complaintRef('ATUid_1');
    expect(ref).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(screen).toBe(`END Thank you. We have your report. Its number is ${ref}.`);
    expect(effects).toEqual([{ type: 'complaint', ref, provider: 'mpesa', category: content.complaints?.categories[1]?.name, text: 'Agent said no cash', shareNumber: false }]);
    const shared = run(control, ['3', '1', '2', '0', '1']).effects[0];
    expect(shared).not.toHaveProperty('text');
    expect(shared).toMatchObject({ shareNumber: true });
  });

  it('changes the language at once, and the confirmation is in the new language', () => {
    const control = participant({ armId: 'control', lang: 'en' });
    const { screen, effects } = run(control, ['4', '1', '2']);
    expect(effects).toEqual([{ type: 'settings', patch: { lang: 'sw' } }]);
    expect(screen).toBe(`END ${content.strings.sw?.settingsSaved}`);
  });

  it('sets a reminder day and hour within 6 to 20, and stops only after confirmation', () => {
    const control = participant({ armId: 'control', lang: 'en' });
    expect(run(control, ['4', '2', '5', '21']).effects).toEqual([]);
    expect(run(control, ['4', '2', '5', '18']).effects).toEqual([{ type: 'settings', patch: { reminder: { day: 5, hour: 18 } } }]);
    expect(run(control, ['4', '3', '2']).effects).toEqual([{ type: 'settings', patch: { channel: 'sms' } }]);
    expect(run(control, ['4', '4', '2']).state).toEqual({ at: 'settings', lang: 'en', page: 0 });
    const stopped = run(control, ['4', '4', '1']);
    expect(stopped.effects).toEqual([{ type: 'settings', patch: { stop: true } }]);
    expect(stopped.screen).toMatch(/^END You have stopped taking part/);
  });

  it('shows this month and last month from the diary, or says there is nothing yet', () => {
    const control = participant({ armId: 'control', lang: 'en' });
    expect(run(control, ['2']).screen).toMatch(/^CON No diary answers yet/);
    const summary = [{ month: '2026-11', received: 12000, fees: 150, saved: 2500 }, { month: '2026-10', received: 11000, fees: 90, saved: 0 }];
    expect(run(control, ['2'], { summary }).screen).toBe('CON Your money\nNov: got 12,000, fees 150, saved 2,500\nOct: got 11,000, fees 90, saved 0\n0. Back');
  });

  it('keeps every screen of every menu within the limit, in every language, for any keys', () => {
    const keys = fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '98', '99', '18', 'words', '', 'x'.repeat(200));
    fc.assert(
      fc.property(fc.constantFrom(...content.languages), fc.constantFrom('treatment', 'control'), fc.array(keys, { maxLength: 25 }), (lang, armId, inputs) => {
        const ctx: FlowContext = { study: study(), content, participant: participant({ armId, lang }), diary: { studyWeek: 0, answers: {}, complete: false }, sessionId: 's' };
        let state: UssdState = begin(ctx);
        for (const input of inputs) {
          const step = advance(state, input, ctx);
          state = step.state;
          expect(fitsUssd(view(state, ctx, step.notice))).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
