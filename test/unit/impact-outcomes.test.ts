import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { WeekRecord } from '../../functions/core/diary/week-record.js';
import { baselineValues, computeOutcome, DEFAULT_OUTCOMES, type OutcomeDefinition, outcomeProblems, type OutcomeUnit } from '../../functions/core/impact/outcomes.js';
import type { AnswerValue, Participant } from '../../functions/core/model.js';

/** Outcomes computed from hand-made diary weeks, each value checked by hand. */

const at = '2026-01-05T10:00:00.000Z';

function person(id: string, extra: Partial<Participant> = {}): Participant {
  return {
    studyId: 's', participantId: id, phone: `+2547000000${id.length}`, consent: { state: 'consented' }, armId: 'control',
    source: 'import', createdAt: at, updatedAt: at, ...extra,
  };
}

function week(participantId: string, studyWeek: number, answers: Record<string, AnswerValue | null>): WeekRecord {
  return {
    studyId: 's', participantId, phone: '+254700000000', week: `2026-W${String(studyWeek + 2).padStart(2, '0')}`, studyWeek,
    questionnaireId: 'diary', questionnaireVersion: 1,
    answers: Object.fromEntries(Object.entries(answers).map(([k, value]) => [k, { value, at, channel: 'ussd' as const }])),
    complete: true, version: 1, createdAt: at, updatedAt: at,
  };
}

const unit = (id: string, weeks: WeekRecord[], control = true, extra: Partial<Participant> = {}): OutcomeUnit => ({ participant: person(id, extra), weeks, control });
const byId = (id: string) => DEFAULT_OUTCOMES.find((o) => o.id === id) as OutcomeDefinition;

describe('default outcomes', () => {
  it('are valid and name real diary questions and choices', () => {
    const diary = content.diary;
    expect(diary).toBeDefined();
    const questions = new Map((diary?.questions ?? []).map((q) => [q.id, q]));
    const choices = (item: string) => {
      const q = questions.get(item);
      return q && 'choices' in q ? q.choices.map((c) => c.name) : [];
    };
    for (const o of DEFAULT_OUTCOMES) {
      expect(outcomeProblems(o), o.id).toEqual([]);
      if (o.item) expect(questions.has(o.item), `${o.id}: ${o.item}`).toBe(true);
      for (const v of o.values ?? []) expect(choices(o.item as string)).toContain(v);
      if (o.among) for (const v of o.among.values) expect(choices(o.among.item)).toContain(v);
      for (const item of o.items ?? []) {
        expect(questions.get(item)?.rotation, item).toBeDefined();
        for (const name of Object.keys(o.codes?.[item] ?? {})) expect(choices(item)).toContain(name);
      }
      if (o.baseline?.kind === 'covariate') {
        const q = content.baseline.questions.find((b) => b.id === (o.baseline as { name: string }).name);
        expect(q, o.id).toBeDefined();
      }
    }
    expect(DEFAULT_OUTCOMES.map((o) => o.kind).sort()).toEqual(['any', 'index', 'mean', 'quiz_score', 'share_weeks']);
    // JSON-serialisable: survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(DEFAULT_OUTCOMES))).toEqual(DEFAULT_OUTCOMES);
  });

  it('reports what is wrong with a definition instead of computing it', () => {
    const bad: OutcomeDefinition = { id: 'x', label: 'X', kind: 'share_weeks', window: { fromStudyWeek: 3, toStudyWeek: 1 } };
    expect(outcomeProblems(bad)).toHaveLength(3);
    const c = computeOutcome(bad, [unit('a', [week('a', 1, { wage_how: 'bank' })])]);
    expect(c.values).toEqual([null]);
    expect(c.notes.length).toBe(3);
  });
});

describe('share of paid weeks paid digitally', () => {
  const def = byId('digital_pay_share');
  it('counts weeks paid by bank, mobile money or mixed among weeks paid, inside the window only', () => {
    const weeks = [
      week('a', 0, { wage_received: 'yes', wage_how: 'cash' }), // baseline week: outside the window
      week('a', 1, { wage_received: 'yes', wage_how: 'bank' }),
      week('a', 2, { wage_received: 'yes', wage_how: 'cash' }),
      week('a', 3, { wage_received: 'no' }),
      week('a', 4, { wage_received: 'yes', wage_how: 'mobile_money' }),
      week('a', 5, { wage_received: 'yes', wage_how: null }), // skipped: not an answer
      week('a', 60, { wage_received: 'yes', wage_how: 'cash' }), // after the window
    ];
    const c = computeOutcome(def, [unit('a', weeks), unit('b', [week('b', 1, { wage_received: 'no' })]), unit('c', [])], { lastWeek: 5 });
    expect(c.values).toEqual([2 / 3, null, null]);
    expect(c.byWeek.map((w) => w.studyWeek)).toEqual([1, 2, 3, 4, 5]);
    expect(c.byWeek.map((w) => w.values[0])).toEqual([1, 0, null, 1, null]);
  });

  it('has the baseline pay method as its ANCOVA covariate (1 when digital)', () => {
    const units = ['cash', 'bank', 'mixed', undefined].map((m, i) =>
      unit(`p${i}`, [], true, m ? { baseline: { questionnaireId: 'baseline', questionnaireVersion: 1, answers: { pay_method: m }, answeredAt: at, channel: 'import' } } : {}),
    );
    expect(baselineValues(def, units)).toEqual([0, 1, 1, null]);
  });
});

describe('mean weekly savings and any cash-out fee', () => {
  it('averages the answered amounts; a skipped week is not a zero', () => {
    const def = byId('weekly_savings');
    const weeks = [week('a', 1, { saved_amount: 100 }), week('a', 2, { saved_amount: 300 }), week('a', 3, { saved_amount: null }), week('a', 4, { saved_amount: 200 })];
    const c = computeOutcome(def, [unit('a', weeks), unit('b', [week('b', 2, { wage_received: 'no' })])]);
    expect(c.values).toEqual([200, null]);
    // The baseline is the same outcome in study week 0.
    expect(baselineValues(def, [unit('a', [week('a', 0, { saved_amount: 50 }), ...weeks])])).toEqual([50]);
  });

  it('is 1 when a fee was paid in any week, 0 when asked and never paid, missing when never asked', () => {
    const def = byId('any_cashout_fee');
    const c = computeOutcome(def, [
      unit('a', [week('a', 1, { fee_paid: 'no' }), week('a', 2, { fee_paid: 'yes' }), week('a', 3, { fee_paid: 'no' })]),
      unit('b', [week('b', 1, { fee_paid: 'no' }), week('b', 2, { fee_paid: 'dont_know' })]),
      unit('c', [week('c', 1, { wage_received: 'yes', wage_how: 'cash' })]),
      unit('d', [week('d', 0, { fee_paid: 'yes' })]),
    ]);
    expect(c.values).toEqual([1, 0, null, null]);
  });
});

describe('quiz score', () => {
  it('is the share of quizzes answered correctly, missing for people with no lesson', () => {
    const lesson = (correct: boolean, when: string) => ({ choice: 'a', correct, at: when, sessionId: 's' });
    const def = byId('quiz_score');
    const units = [
      unit('t', [], false, { lessons: { 'm/1': lesson(true, '2026-01-13T10:00:00Z'), 'm/2': lesson(false, '2026-01-14T10:00:00Z'), 'm/3': lesson(true, '2026-01-21T10:00:00Z') } }),
      unit('c', [], true),
    ];
    expect(computeOutcome(def, units).values).toEqual([2 / 3, null]);
    // With a calendar: lessons are windowed and charted by their week.
    const weekOf = (iso: string) => Math.floor((Date.parse(iso) - Date.parse('2026-01-05T00:00:00Z')) / (7 * 86_400_000));
    const c = computeOutcome({ ...def, window: { fromStudyWeek: 2, toStudyWeek: 5 } }, units, { studyWeekOf: weekOf, lastWeek: 3 });
    expect(c.values).toEqual([1, null]);
    expect(c.byWeek).toEqual([{ studyWeek: 2, values: [1, null] }, { studyWeek: 3, values: [null, null] }]);
  });
});

describe('empowerment index', () => {
  const def = byId('empowerment_index');

  it('standardises each item by the control arm and averages the z-scores a person has', () => {
    // Control: respect yes, yes, no → mean 2/3, sd √(1/3); voice: 0, 2, (no problem = not counted).
    const units = [
      unit('c1', [week('c1', 4, { respect: 'yes' }), week('c1', 6, { voice: 'not_complained' })]),
      unit('c2', [week('c2', 4, { respect: 'yes' }), week('c2', 6, { voice: 'solved' })]),
      unit('c3', [week('c3', 4, { respect: 'no' }), week('c3', 6, { voice: 'no_problem' })]),
      unit('t1', [week('t1', 4, { respect: 'not_applicable' }), week('t1', 6, { voice: 'not_solved' }), week('t1', 8, { respect: 'yes' })], false),
      unit('t2', [week('t2', 4, { respect: 'no' })], false),
      unit('t3', [week('t3', 5, { choice: 'yes' })], false),
    ];
    const c = computeOutcome(def, units, { lastWeek: 8 });
    const rMean = 2 / 3;
    const rSd = Math.sqrt(((1 - rMean) ** 2 * 2 + rMean ** 2) / 2);
    const vMean = 1;
    const vSd = Math.sqrt(2);
    expect(c.standardisation?.map((s) => s.item)).toEqual(['respect', 'choice', 'voice', 'control']);
    expect(c.standardisation?.[0]).toMatchObject({ nControl: 3 });
    expect(c.standardisation?.[0]?.controlMean).toBeCloseTo(rMean, 14);
    expect(c.standardisation?.[0]?.controlSd).toBeCloseTo(rSd, 14);
    // choice and control: nobody in the control arm answered them, so they are left out with a note.
    expect(c.notes.join(' ')).toMatch(/"choice" left out/);
    expect(c.notes.join(' ')).toMatch(/"control" left out/);
    const z = (x: number, m: number, s: number) => (x - m) / s;
    const expected = [
      (z(1, rMean, rSd) + z(0, vMean, vSd)) / 2,
      (z(1, rMean, rSd) + z(2, vMean, vSd)) / 2,
      z(0, rMean, rSd),
      (z(1, rMean, rSd) + z(1, vMean, vSd)) / 2, // t1: "did not go" is not counted; respect yes in week 8
      z(0, rMean, rSd),
      null, // t3 answered only choice, which could not be standardised
    ];
    c.values.forEach((v, i) => {
      const e = expected[i];
      if (e === null || e === undefined) expect(v).toBeNull();
      else expect(v).toBeCloseTo(e, 13);
    });
    // The control arm's index has mean 0 on each standardised component.
    const controlRespect = [1, 1, 0].map((x) => z(x, rMean, rSd));
    expect(controlRespect.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 13);
    // Weekly values use the same standardisation.
    expect(c.byWeek.find((w) => w.studyWeek === 6)?.values[1]).toBeCloseTo(z(2, vMean, vSd), 13);
  });
});
