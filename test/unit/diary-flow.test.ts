import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { AnswerValue } from '../../functions/core/model.js';
import type { DiaryView } from '../../functions/core/ussd/diary-flow.js';
import { advance, begin, type FlowContext, view } from '../../functions/core/ussd/flow.js';
import { fitsUssd } from '../../functions/core/ussd/limits.js';
import type { UssdState } from '../../functions/core/ussd/session.js';
import { participant, study } from '../support/fixtures.js';

/** Runs a consented participant's keys, storing diary answers as the service does. */
function run(inputs: readonly string[], opts: { lang?: string; studyWeek?: number; answers?: Record<string, AnswerValue | null>; complete?: boolean } = {}) {
  const diary: DiaryView = { studyWeek: opts.studyWeek ?? 0, answers: { ...(opts.answers ?? {}) }, complete: opts.complete ?? false };
  const ctx = (): FlowContext => ({ study: study(), content, participant: participant({ lang: opts.lang ?? 'en', armId: 'control' }), diary });
  let state: UssdState = begin(ctx());
  let screen = view(state, ctx());
  for (const input of inputs) {
    const step = advance(state, input, ctx());
    state = step.state;
    if (step.effect?.type === 'answer') (diary.answers as Record<string, AnswerValue | null>)[step.effect.questionId] = step.effect.value;
    if (step.effect?.type === 'complete') diary.complete = true;
    screen = view(state, ctx(), step.notice);
  }
  return { state, screen, diary };
}

describe('weekly diary over USSD', () => {
  it('walks a payday diary with skip logic, thousands separators and a multiple choice, then saves', () => {
    // 1 diary · yes · mobile money · "5,000" · fee yes · "50" · trouble 2 and 3 · saved "1 000" · in account · no borrowing · food · respected
    const { screen, diary } = run(['1', '1', '3', '5,000', '1', '50', '2 3', '1 000', '1', '2', '1', '1']);
    expect(screen).toMatch(/^CON Your answers this week:\n1\. Save\n2\. Change an answer/);
    expect(diary.answers).toEqual({
      wage_received: 'yes', wage_how: 'mobile_money', wage_amount: 5000, fee_paid: 'yes', fee_amount: 50,
      trouble: ['agent_no_cash', 'network_down'], saved_amount: 1000, saved_where: 'account', borrowed: 'no',
      main_spending: 'food', respect: 'yes',
    });
    const saved = run(['1', '1', '3', '5,000', '1', '50', '2 3', '1 000', '1', '2', '1', '1', '1']);
    expect(saved.screen).toBe('END Thank you! Your diary for this week is saved.');
    expect(saved.diary.complete).toBe(true);
  });

  it('asks 5 questions in a week without wages, savings or borrowing, and rotates the last item', () => {
    const week0 = run(['1', '2', '0', '2', '3', '1']).diary.answers;
    expect(Object.keys(week0)).toEqual(['wage_received', 'saved_amount', 'borrowed', 'main_spending', 'respect']);
    const week1 = run(['1', '2', '0', '2', '3', '1'], { studyWeek: 1 }).diary.answers;
    expect(Object.keys(week1)).toContain('choice');
    expect(Object.keys(week1)).not.toContain('respect');
  });

  it('re-asks an amount out of range with its range, in Kiswahili, storing nothing', () => {
    const { screen, diary } = run(['1', '1', '2', '2000000'], { lang: 'sw' });
    expect(screen.split('\n')[0]).toMatch(/1,?000,?000/);
    expect(diary.answers.wage_amount).toBeUndefined();
  });

  it('offers to continue a diary started earlier, at the first unanswered question', () => {
    const started = { wage_received: 'yes', wage_how: 'bank', wage_amount: 12000 };
    const resume = run(['1'], { answers: started });
    expect(resume.screen).toBe("CON You started this week's diary.\n1. Continue\n2. Main menu");
    expect(run(['1', '1'], { answers: started }).state).toMatchObject({ at: 'diaryQuestion', index: 3 });
    expect(run(['1', '2'], { answers: started }).state).toMatchObject({ at: 'menu' });
  });

  it('lets an answer be changed from the review, asking what the change makes relevant', () => {
    const done = { wage_received: 'no', saved_amount: 0, borrowed: 'no', main_spending: 'food', respect: 'yes' };
    const review = run(['1'], { answers: done, complete: true });
    expect(review.screen).toMatch(/^CON This week's diary is saved/);
    const pick = run(['1', '2'], { answers: done, complete: true });
    expect(pick.screen).toContain('1. ');
    // Change "received wages" to yes: the wage questions become relevant and are asked next.
    const changed = run(['1', '2', '1', '1'], { answers: done, complete: true });
    expect(changed.state).toMatchObject({ at: 'diaryQuestion', index: 1, review: true });
    expect(changed.diary.answers.wage_received).toBe('yes');
  });

  it('renders every diary screen within the limit in every language, whatever keys are pressed', () => {
    const keys = fc.constantFrom('0', '1', '2', '3', '4', '7', '98', '99', '1 3', '5,000', '100', 'abc', '', '#', '*', 'x'.repeat(300));
    fc.assert(
      fc.property(fc.constantFrom(...content.languages), fc.integer({ min: 0, max: 7 }), fc.array(keys, { maxLength: 30 }), (lang, studyWeek, inputs) => {
        const diary: DiaryView = { studyWeek, answers: {}, complete: false };
        const ctx = (): FlowContext => ({ study: study(), content, participant: participant({ lang, armId: 'treatment' }), diary });
        let state: UssdState = begin(ctx());
        for (const input of ['1', ...inputs]) {
          const step = advance(state, input, ctx());
          state = step.state;
          if (step.effect?.type === 'answer') (diary.answers as Record<string, AnswerValue | null>)[step.effect.questionId] = step.effect.value;
          expect(fitsUssd(view(state, ctx(), step.notice))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('choices that exclude the others', () => {
  it('refuses "no trouble" together with a trouble, and accepts each alone', () => {
    const toTrouble = ['1', '1', '3', '5,000', '2'];
    const both = run([...toTrouble, '1 3']);
    expect(both.diary.answers.trouble).toBeUndefined();
    expect(both.screen.split('\n')[0]).toBe(`CON ${content.strings.en?.chooseSeveral}`);
    expect(run([...toTrouble, '1']).diary.answers.trouble).toEqual(['none']);
    expect(run([...toTrouble, '2 3']).diary.answers.trouble).toEqual(['agent_no_cash', 'network_down']);
  });
});
