import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { Questionnaire } from '../../functions/core/content/schema.js';
import { completedModules, weekCompleted } from '../../functions/core/payouts/completed.js';
import { weekWith } from '../support/payouts.js';

const diary = content.diary as Questionnaire;
/** Study week 1 asks the rotating `choice` item; week 3 the optional `control` item. */
const noWages = { wage_received: 'no', saved_amount: 0, borrowed: 'no', main_spending: 'food' };

describe('a completed diary week: every required question on the path answered, by any mode', () => {
  it('is completed when the path through the skip logic is fully answered', () => {
    expect(weekCompleted(weekWith(1, { ...noWages, choice: 'yes' }), diary)).toBe(true);
  });

  it('is not completed with one required question on the path unanswered', () => {
    expect(weekCompleted(weekWith(1, { ...noWages }), diary)).toBe(false);
    expect(weekCompleted(weekWith(1, { ...noWages, choice: 'yes', main_spending: null }), diary)).toBe(false);
    expect(weekCompleted(weekWith(1, {}), diary)).toBe(false);
  });

  it('follows the skip logic: with wages, the wage questions become required', () => {
    const withWages = { ...noWages, choice: 'yes', wage_received: 'yes' };
    expect(weekCompleted(weekWith(1, withWages), diary)).toBe(false);
    const full = { ...withWages, wage_how: 'cash', wage_amount: 8000 };
    expect(weekCompleted(weekWith(1, full), diary)).toBe(true);
    // Mobile money asks about the fee and trouble too.
    expect(weekCompleted(weekWith(1, { ...full, wage_how: 'mobile_money' }), diary)).toBe(false);
    expect(weekCompleted(weekWith(1, { ...full, wage_how: 'mobile_money', fee_paid: 'no', trouble: ['none'] }), diary)).toBe(true);
  });

  it('follows the rotation: the week decides which rotating item is required', () => {
    const base = { ...noWages };
    expect(weekCompleted(weekWith(0, { ...base, respect: 'yes' }), diary)).toBe(true);
    expect(weekCompleted(weekWith(1, { ...base, respect: 'yes' }), diary)).toBe(false);
  });

  it('counts an optional question skipped (null) as done, a required one skipped as not', () => {
    expect(weekCompleted(weekWith(3, { ...noWages, control: null }), diary)).toBe(true);
    expect(weekCompleted(weekWith(3, { ...noWages }), diary)).toBe(true);
  });

  it('counts answers of every mode: an SMS diary reply completed on USSD', () => {
    const mixed = weekWith(1, { wage_received: ['yes', 'sms'], wage_how: ['cash', 'sms'], wage_amount: [8000, 'sms'], saved_amount: [0, 'sms'], borrowed: 'no', main_spending: 'rent', choice: 'no' });
    expect(weekCompleted(mixed, diary)).toBe(true);
  });

  it('does not need the USSD "save": the flag alone neither makes nor breaks it', () => {
    const unsaved = { ...weekWith(1, { ...noWages, choice: 'yes' }), complete: false };
    const savedShort = { ...weekWith(1, { ...noWages }), complete: true };
    expect(weekCompleted(unsaved, diary)).toBe(true);
    expect(weekCompleted(savedShort, diary)).toBe(false);
  });
});

describe('completed lesson modules', () => {
  const modules = content.modules ?? [];
  it('are those with every lesson finished', () => {
    const [first, second] = modules;
    expect(first && second).toBeTruthy();
    const done = (m: NonNullable<typeof first>) => Object.fromEntries(m.lessons.map((l) => [`${m.id}/${l.id}`, { choice: '1', correct: true, at: 'x', sessionId: 's' }]));
    const lessons = { ...done(first!), [`${second!.id}/${second!.lessons[0]!.id}`]: { choice: '1', correct: false, at: 'x', sessionId: 's' } };
    expect(completedModules({ lessons }, modules)).toEqual([first!.id]);
    expect(completedModules({}, modules)).toEqual([]);
  });
});
