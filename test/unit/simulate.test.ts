import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { Participant } from '../../functions/core/model.js';
import { isAsked } from '../../functions/core/questionnaire/walk.js';
import { simulateDiaries } from '../../functions/core/simulate/diaries.js';
import { participant } from '../support/fixtures.js';

const form = content.diary as NonNullable<typeof content.diary>;
const people: Participant[] = Array.from({ length: 200 }, (_, i) =>
  participant({ participantId: `p${i}`, phone: `+2547110${String(i).padStart(5, '0')}`, armId: i % 2 === 0 ? 'treatment' : 'control' }),
);
const plan = (seed: number) => ({
  weeks: [0, 1, 2, 3, 4].map((w) => ({ id: `2026-W${45 + w}`, studyWeek: w })), seed, savingsEffect: 500,
  response: { treatment: 0.85, control: 0.8 }, at: new Date('2026-11-27T12:00:00Z'),
});

describe('simulated diaries', () => {
  const records = simulateDiaries(people, new Set(['treatment']), form, plan(7));

  it('answers exactly the questions the questionnaire asks, given the earlier answers and the week', () => {
    for (const r of records) {
      const given: Record<string, string | number | readonly string[]> = {};
      for (const q of form.questions) {
        const asked = isAsked(q, given, r.studyWeek);
        expect(r.answers[q.id] !== undefined, `${q.id} in ${r.week}`).toBe(asked);
        if (asked) given[q.id] = r.answers[q.id]?.value as string;
      }
    }
  });

  it('is reproducible from its seed, answers about as often as planned, and plants the effect after week 0', () => {
    expect(simulateDiaries(people, new Set(['treatment']), form, plan(7))).toEqual(records);
    expect(simulateDiaries(people, new Set(['treatment']), form, plan(8))).not.toEqual(records);
    const rate = records.length / (people.length * 5);
    expect(rate).toBeGreaterThan(0.75);
    expect(rate).toBeLessThan(0.9);
    const saved = (arm: string, later: boolean) => {
      const xs = records.filter((r) => (r.studyWeek > 0) === later && people.find((p) => p.participantId === r.participantId)?.armId === arm).map((r) => Number(r.answers.saved_amount?.value));
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(saved('treatment', true) - saved('control', true)).toBeGreaterThan(300);
    expect(Math.abs(saved('treatment', false) - saved('control', false))).toBeLessThan(250);
  });
});
