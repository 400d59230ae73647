import { describe, expect, it } from 'vitest';
import { tourNumber } from '../../infra/local/tour.js';
import { TOUR, optionKey, tourMove } from '../../web/src/tour.js';

const step = (i: number) => (TOUR[i] as (typeof TOUR)[number]).action;

describe('the guided tour reads the screen before it presses a key', () => {
  it('presses the option the screen lists, by its label', () => {
    expect(tourMove(step(2), "Sauti\n1. This week's diary\n2. My summary")).toEqual({ press: '1' });
    expect(tourMove(step(3), 'In the last 7 days, did you receive your wage or any pay for your work?\n1. Yes\n2. No')).toEqual({ press: '2' });
    expect(optionKey('Q\n1. Yes\n2. No', /^No$/)).toBe('2');
  });

  it('stops, pressing nothing, on a saved diary\'s review where it expected a question', () => {
    const review = 'Your answers this week:\nwage: No\n1. Save\n2. Change an answer';
    const move = tourMove(step(3), review);
    expect(move.press).toBeUndefined();
    expect(move.stop).toMatch(/^The tour stopped: it expected the question about wages, but the phone shows "Your answers this week:/);
    // The rotating question is any question but the review.
    expect(tourMove(step(7), review).stop).toMatch(/rotating question/);
  });

  it("makes valid numbers of the study's country, never a seeded demo number", () => {
    expect(tourNumber('KE', () => 6)).toBe('+254712000006');
    expect(tourNumber('BD', () => 999_999)).toBe('+8801812999999');
    expect(tourNumber('ZZ', () => 1)).toBeUndefined();
  });
});
