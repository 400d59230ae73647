import { describe, expect, it } from 'vitest';
import type { WeekRecord } from '../../functions/core/diary/week-record.js';
import { impactHtml } from '../../functions/core/impact/html.js';
import { baselineValues, computeOutcome, DEFAULT_OUTCOMES, type OutcomeUnit } from '../../functions/core/impact/outcomes.js';
import { impactReport, type ImpactInput, type ImpactReport, type OutcomeEstimate } from '../../functions/core/impact/report.js';
import type { AnswerValue, LessonResult, Participant, Study } from '../../functions/core/model.js';
import { benjaminiHochberg, designMatrix, differenceInMeans, ivRobust, leeBounds, lmRobust } from '../../functions/core/stats/index.js';
import { studyBalance } from '../../functions/core/stats/study-balance.js';
import { seeded } from '../support/seeded.js';

/**
 * The impact report on synthetic studies with planted effects (seeded, so every run sees the
 * same data): the ITT estimate finds the effect, the numbers are the stats module's own, and
 * estimators that cannot run leave notes instead of failing.
 */

/** A seeded generator for the synthetic data, with a normal draw and a pick. */
function rng(seed: number) {
  const next = seeded(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal, pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T };
}

const START = '2026-01-05'; // a Monday
const NOW = new Date('2026-03-04T09:00:00Z'); // study week 8
const EFFECT = 500;
const MODULES = [{ id: 'money_basics', lessons: [{ id: 'one' }, { id: 'two' }] }];

function makeStudy(name = 'Synthetic garment study'): Study {
  return {
    studyId: 'synthetic', name, country: 'KE', timeZone: 'Africa/Nairobi', languages: ['en'], serviceCode: '*384*1#', contact: '0800',
    arms: [{ armId: 'lessons', name: 'Lessons', ratio: 1, treatment: true }, { armId: 'diary', name: 'Diary only', ratio: 1, treatment: false }],
    providers: [], startsOn: START, createdAt: '2026-01-01T00:00:00Z',
  };
}

interface Options {
  seed?: number;
  n?: number;
  /** Weekly response probability per arm. */
  respond?: { treated: number; control: number };
  /** Share of the treated who complete the module. */
  compliance?: number;
  /** Randomize whole clusters of this size (individuals otherwise). */
  clusterSize?: number;
}

/**
 * ~200 people in two strata, half treated within each; weekly diaries for study weeks 0–8.
 * Savings: a person level around 2000, weekly noise, +EFFECT for the treated from week 1 on.
 */
function synthetic(o: Options = {}): ImpactInput {
  const r = rng(o.seed ?? 20260105);
  const n = o.n ?? 200;
  const respond = o.respond ?? { treated: 0.85, control: 0.85 };
  const compliance = o.compliance ?? 0.6;
  const participants: Participant[] = [];
  const weeks: WeekRecord[] = [];
  const at = `${START}T09:00:00.000Z`;
  for (let i = 0; i < n; i++) {
    const stratum = i % 2 === 0 ? 'day' : 'night';
    const cluster = o.clusterSize ? `factory-${Math.floor(i / o.clusterSize)}` : `line-${i % 10}`;
    const treated = o.clusterSize ? Math.floor(i / o.clusterSize) % 2 === 0 : Math.floor(i / 2) % 2 === 0;
    const id = `p${String(i).padStart(3, '0')}`;
    const digitalAtBaseline = r.next() < 0.4;
    const lessons: Record<string, LessonResult> = {};
    if (treated) {
      const completes = r.next() < compliance;
      const taken = completes ? ['one', 'two'] : r.next() < 0.3 ? ['one'] : [];
      taken.forEach((l, k) => {
        lessons[`money_basics/${l}`] = { choice: 'a', correct: r.next() < 0.7, at: `2026-01-${String(13 + k).padStart(2, '0')}T10:00:00.000Z`, sessionId: `s${i}${k}` };
      });
    }
    participants.push({
      studyId: 'synthetic', participantId: id, phone: `+2547100${String(i).padStart(5, '0')}`, consent: { state: 'consented' },
      armId: treated ? 'lessons' : 'diary', assignment: { randomizationId: 'ra-1', at }, stratum, cluster,
      baseline: { questionnaireId: 'baseline', questionnaireVersion: 1, answers: { pay_method: digitalAtBaseline ? 'bank' : 'cash', age: 20 + Math.floor(r.next() * 30) }, answeredAt: at, channel: 'import' },
      ...(Object.keys(lessons).length > 0 ? { lessons } : {}), source: 'import', createdAt: at, updatedAt: at,
    });
    const level = 2000 + 400 * r.normal();
    for (let w = 0; w <= 8; w++) {
      const p = w === 0 ? 0.95 : treated ? respond.treated : respond.control;
      if (r.next() >= p) continue;
      const answers: Record<string, AnswerValue | null> = {};
      const paid = r.next() < 0.8;
      answers.wage_received = paid ? 'yes' : 'no';
      if (paid) {
        const pDigital = (digitalAtBaseline ? 0.7 : 0.2) + (treated && w > 0 ? 0.15 : 0);
        const how = r.next() < pDigital ? r.pick(['bank', 'mobile_money', 'mixed']) : 'cash';
        answers.wage_how = how;
        if (how !== 'cash') answers.fee_paid = r.next() < (treated && w > 0 ? 0.2 : 0.35) ? 'yes' : r.pick(['no', 'no', 'dont_know']);
      }
      answers.saved_amount = Math.max(0, Math.round(level + 300 * r.normal() + (treated && w > 0 ? EFFECT : 0)));
      const item = (['respect', 'choice', 'voice', 'control'] as const)[w % 4] as string;
      const choices: Record<string, string[]> = {
        respect: ['yes', 'yes', 'no', 'not_applicable'], choice: ['yes', 'no', 'not_applicable'],
        voice: ['no_problem', 'not_complained', 'solved', 'not_solved'], control: ['self', 'joint', 'someone_else'],
      };
      answers[item] = r.pick(choices[item] as string[]);
      weeks.push({
        studyId: 'synthetic', participantId: id, phone: `+2547100${String(i).padStart(5, '0')}`, week: `2026-W${String(w + 2).padStart(2, '0')}`, studyWeek: w,
        questionnaireId: 'diary', questionnaireVersion: 1,
        answers: Object.fromEntries(Object.entries(answers).map(([k, value]) => [k, { value, at, channel: 'ussd' as const }])),
        complete: r.next() < 0.9, version: 1, createdAt: at, updatedAt: at,
      });
    }
  }
  return { study: makeStudy(), participants, weeks, now: NOW, modules: MODULES };
}

const outcome = (report: ImpactReport, id: string): OutcomeEstimate => {
  const o = report.comparisons[0]?.outcomes.find((x) => x.outcomeId === id);
  if (!o) throw new Error(`no outcome ${id}`);
  return o;
};

/** The analysis sample of an outcome, rebuilt independently of the report. */
function sample(input: ImpactInput, id: string) {
  const def = DEFAULT_OUTCOMES.find((d) => d.id === id);
  if (!def) throw new Error(id);
  const units: OutcomeUnit[] = input.participants.map((p) => ({ participant: p, weeks: input.weeks.filter((w) => w.participantId === p.participantId), control: p.armId === 'diary' }));
  const values = computeOutcome(def, units, { lastWeek: 8 }).values;
  const baseline = baselineValues(def, units) ?? [];
  const keep = values.map((v, i) => (v === null ? -1 : i)).filter((i) => i >= 0);
  return {
    y: keep.map((i) => values[i] as number),
    z: keep.map((i) => (input.participants[i]?.armId === 'lessons' ? 1 : 0)),
    blocks: keep.map((i) => input.participants[i]?.stratum as string),
    clusters: keep.map((i) => input.participants[i]?.cluster as string),
    baseline: keep.map((i) => baseline[i] ?? null),
    took: keep.map((i) => (Object.keys(input.participants[i]?.lessons ?? {}).length === 2 ? 1 : 0)),
    all: values,
  };
}

describe('impact report on a synthetic study with a planted effect', () => {
  const input = synthetic();
  const report = impactReport(input);

  it('recovers the planted +500 savings effect within a few standard errors', () => {
    const savings = outcome(report, 'weekly_savings');
    expect(report.design).toMatchObject({ blocked: true, clusteredAssignment: false, clustersKnown: true, headline: 'dim', nBlocks: 2 });
    expect(savings.headline?.estimator).toBe('dim');
    expect(savings.dim?.design).toBe('blocked');
    expect(Math.abs((savings.dim?.estimate ?? 0) - EFFECT)).toBeLessThan(3 * (savings.dim?.se ?? 0));
    expect(savings.headline?.p).toBeLessThan(0.001);
    // ANCOVA on the week-0 savings is more precise than the difference in means.
    expect(savings.ols?.covariates).toEqual(['baseline', 'baseline_missing', 'stratum:night']);
    expect(savings.ols?.treatment.se).toBeLessThan((savings.dim?.se ?? 0) * 0.8);
    expect(Math.abs((savings.ols?.treatment.estimate ?? 0) - EFFECT)).toBeLessThan(3 * (savings.ols?.treatment.se ?? 0));
  });

  it('matches the stats functions called directly (no re-implementation)', () => {
    const s = sample(input, 'weekly_savings');
    const savings = outcome(report, 'weekly_savings');
    expect(savings.dim).toEqual(differenceInMeans({ y: s.y, z: s.z, blocks: s.blocks }));
    const seen = s.baseline.filter((v): v is number => v !== null);
    const fill = seen.reduce((a, b) => a + b, 0) / seen.length;
    const rows = s.y.map((_, i) => ({
      treatment: s.z[i] as number,
      baseline: s.baseline[i] ?? fill,
      baseline_missing: s.baseline[i] === null ? 1 : 0,
      'stratum:night': s.blocks[i] === 'night' ? 1 : 0,
    }));
    const { X, names } = designMatrix(rows, { intercept: true, treatment: 'treatment', covariates: ['baseline', 'baseline_missing', 'stratum:night'], lin: true });
    const ols = lmRobust({ y: s.y, X, names, se: 'HC2' });
    expect(savings.ols?.treatment).toEqual(ols.coefficients.find((c) => c.term === 'treatment'));
    const cr2 = lmRobust({ y: s.y, X, names, se: 'CR2', clusters: s.clusters });
    expect(savings.cr2?.treatment).toEqual(cr2.coefficients.find((c) => c.term === 'treatment'));
    expect(savings.cr2?.nClusters).toBe(10);
    const iv = ivRobust({ y: s.y, endogenous: s.took, instrument: s.z, endogenousName: 'took' });
    expect(savings.complier?.effect).toEqual(iv.effect);
    expect(report.balance).toEqual(studyBalance(input.study, input.participants));
    // BH over the ITT outcomes' headline p-values, in order (the quiz score has none).
    const comparison = report.comparisons[0];
    const raw = comparison?.outcomes.map((o) => o.headline?.p ?? null) ?? [];
    expect(raw.filter((p) => p === null)).toHaveLength(1);
    expect(comparison?.outcomes.map((o) => o.headline?.pAdjusted ?? null)).toEqual(benjaminiHochberg(raw));
  });

  it('adjusts p-values upwards (BH) and reports every default outcome', () => {
    const outcomes = report.comparisons[0]?.outcomes ?? [];
    expect(outcomes.map((o) => o.outcomeId)).toEqual(DEFAULT_OUTCOMES.map((o) => o.id));
    for (const o of outcomes.filter((x) => x.role === 'itt')) {
      expect(o.headline, o.outcomeId).toBeDefined();
      expect(o.headline?.pAdjusted ?? -1).toBeGreaterThanOrEqual(o.headline?.p ?? 2);
    }
    // The digital share and the fee outcome move the way they were planted.
    expect(outcome(report, 'digital_pay_share').dim?.estimate).toBeGreaterThan(0);
    // (More treated weeks are paid digitally, so more are asked about fees: "any fee" mixes both.)
    expect(outcome(report, 'any_cashout_fee').dim).toBeDefined();
    expect(outcome(report, 'empowerment_index').dim).toBeDefined();
    expect(report.standardisation.map((s) => s.outcomeId)).toEqual(['empowerment_index']);
  });

  it('shows the quiz score as a descriptive for those who took lessons, with no ITT effect', () => {
    const quiz = outcome(report, 'quiz_score');
    expect(quiz.role).toBe('descriptive');
    expect(quiz.headline).toBeUndefined();
    expect(quiz.dim).toBeUndefined();
    expect(quiz.means.control.n).toBe(0);
    expect(quiz.means.treatment.n).toBeGreaterThan(50);
    expect(quiz.notes.join(' ')).toMatch(/descriptive/);
  });

  it('gives the complier effect as the ITT effect over the compliance share', () => {
    const s = sample(input, 'weekly_savings');
    const savings = outcome(report, 'weekly_savings');
    const itt = differenceInMeans({ y: s.y, z: s.z }).estimate;
    const share = savings.complier?.firstStage.estimate ?? 0;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.75);
    expect(savings.complier?.effect.estimate).toBeCloseTo(itt / share, 8);
    expect(savings.complier?.endogenous).toBe('completed at least one module');
    expect(savings.complier?.firstStageF).toBeGreaterThan(10);
  });

  it('gives response rates by arm and week, and charts every outcome by week', () => {
    expect(report.currentStudyWeek).toBe(8);
    expect(report.responseRates.map((r) => r.studyWeek)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(report.responseRates[0]?.week).toBe('2026-W02');
    for (const row of report.responseRates) {
      for (const a of row.arms) {
        expect(a.enrolled).toBe(100);
        expect(a.rate ?? 0).toBeGreaterThan(0.7);
        expect(a.completed).toBeLessThanOrEqual(a.responded);
      }
    }
    expect(report.weekly.map((w) => w.outcomeId)).toEqual(DEFAULT_OUTCOMES.map((o) => o.id));
    const savings = report.weekly.find((w) => w.outcomeId === 'weekly_savings');
    expect(savings?.weeks.map((w) => w.studyWeek)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const w of savings?.weeks ?? []) {
      const [t, c] = w.arms;
      expect((t?.ciLower ?? 0) < (t?.mean ?? 0) && (t?.mean ?? 0) < (t?.ciUpper ?? 0)).toBe(true);
      expect((t?.mean ?? 0) - (c?.mean ?? 0)).toBeGreaterThan(200);
    }
    // Equal response: the attrition test finds nothing much, and no bounds are needed beyond chance.
    expect(report.comparisons[0]?.attrition.dim).toBeDefined();
  });
});

describe('differential attrition', () => {
  const input = synthetic({ seed: 7, respond: { treated: 0.9, control: 0.55 } });
  const report = impactReport(input);

  it('is detected by the attrition test', () => {
    const a = report.comparisons[0]?.attrition;
    expect(a?.weeks).toEqual({ from: 1, to: 8 });
    expect((a?.rate1 ?? 0) - (a?.rate0 ?? 0)).toBeGreaterThan(0.25);
    expect(a?.dim?.p).toBeLessThan(0.001);
    expect(a?.cr2).toBeDefined();
  });

  it('gives Lee bounds that bracket the estimate, as leeBounds computes them', () => {
    for (const id of ['weekly_savings', 'any_cashout_fee', 'digital_pay_share']) {
      const o = outcome(report, id);
      if (o.observed.q1 === o.observed.q0) continue;
      const s = sample(input, id);
      expect(o.lee, id).toEqual(leeBounds({ y: s.all, z: input.participants.map((p) => (p.armId === 'lessons' ? 1 : 0)) }));
      // The bounds trim one arm without regard to strata, so they bracket the unblocked difference in means.
      const dim = differenceInMeans({ y: s.y, z: s.z }).estimate;
      expect(o.lee?.lower ?? Infinity, id).toBeLessThanOrEqual(dim);
      expect(o.lee?.upper ?? -Infinity, id).toBeGreaterThanOrEqual(dim);
      expect(o.notes.join(' ')).toMatch(/Lee bounds ignore the strata/);
    }
    const fee = outcome(report, 'any_cashout_fee');
    expect(fee.lee).toBeDefined();
    expect((fee.observed.q1 ?? 0) > (fee.observed.q0 ?? 0)).toBe(true);
    expect(fee.notes.join(' ')).toMatch(/"any" rises with the weeks answered/);
  });
});

describe('cluster-randomized study', () => {
  const input = { ...synthetic({ seed: 11, clusterSize: 10 }), method: 'cluster' as const };
  const report = impactReport(input);

  it('takes CR2 as the headline, with its degrees of freedom', () => {
    expect(report.design).toMatchObject({ method: 'cluster', blocked: false, clusteredAssignment: true, headline: 'cr2', nClusters: 20 });
    const savings = outcome(report, 'weekly_savings');
    expect(savings.headline?.estimator).toBe('cr2');
    expect(savings.headline?.estimate).toBe(savings.cr2?.treatment.estimate);
    expect(savings.headline?.df).toBeLessThan(20);
    expect(savings.complier?.se).toBe('CR2');
    expect(Math.abs((savings.headline?.estimate ?? 0) - EFFECT)).toBeLessThan(4 * (savings.headline?.se ?? 0));
  });

  it('infers cluster assignment when no randomization record is given', () => {
    const { method: _m, ...rest } = input;
    expect(impactReport(rest).design).toMatchObject({ clusteredAssignment: true, headline: 'cr2', methodSource: 'inferred from participants' });
  });
});

describe('late joiners', () => {
  it('count in response rates from the week they joined, not from week 0', () => {
    const input = synthetic({ n: 40 });
    const late = input.participants.map((p, i) => (i < 4 ? { ...p, assignment: { randomizationId: 'ra-rolling-7', at: '2026-02-11T10:00:00.000Z' } } : p));
    const lateIds = new Set(late.slice(0, 4).map((p) => p.participantId));
    const weeks = input.weeks.filter((w) => !lateIds.has(w.participantId) || w.studyWeek >= 5);
    const report = impactReport({ ...input, participants: late, weeks, initialRandomizationId: 'ra-1' });
    const enrolled = (week: number) => report.responseRates[week]?.arms.reduce((a, b) => a + b.enrolled, 0);
    expect(enrolled(4)).toBe(36);
    expect(enrolled(5)).toBe(40);
    // Without the initial randomization's id, everyone counts from week 0.
    expect(impactReport({ ...input, participants: late, weeks }).responseRates[0]?.arms.reduce((a, b) => a + b.enrolled, 0)).toBe(40);
  });
});

describe('when estimators cannot run', () => {
  it('leaves notes instead of throwing: too few people, no diary, no control arm', () => {
    const input = synthetic({ n: 6 });
    const tiny = impactReport({ ...input, weeks: input.weeks.filter((w) => w.participantId === 'p000' || w.participantId === 'p002') });
    const savings = outcome(tiny, 'weekly_savings');
    expect(savings.headline).toBeUndefined();
    expect(savings.notes.join(' ')).toMatch(/Too few people/);
    expect(tiny.comparisons[0]?.attrition.notes.length).toBeGreaterThan(0);

    const empty = impactReport({ ...input, weeks: [] });
    expect(empty.comparisons[0]?.outcomes.every((o) => o.headline === undefined)).toBe(true);
    expect(empty.responseRates.every((r) => r.arms.every((a) => a.responded === 0))).toBe(true);

    const noControl = impactReport({ ...input, study: { ...input.study, arms: input.study.arms.filter((a) => a.treatment) } });
    expect(noControl.comparisons).toEqual([]);
    expect(noControl.notes.join(' ')).toMatch(/no control arm/);
    expect(() => impactHtml(tiny)).not.toThrow();
    expect(() => impactHtml(noControl)).not.toThrow();
  });

  it('says why the outcome has no variation, and skips a malformed outcome with a note', () => {
    const input = synthetic({ n: 40 });
    const flat = input.weeks.map((w) => ({ ...w, answers: { ...w.answers, saved_amount: { value: 100, at: '2026-01-05T09:00:00.000Z', channel: 'ussd' as const } } }));
    const report = impactReport({ ...input, weeks: flat, outcomes: [DEFAULT_OUTCOMES[1] as (typeof DEFAULT_OUTCOMES)[number], { id: 'bad', label: 'Bad', kind: 'mean', window: { fromStudyWeek: 1, toStudyWeek: 4 } }] });
    expect(outcome(report, 'weekly_savings').notes.join(' ')).toMatch(/No variation/);
    expect(report.notes.join(' ')).toMatch(/Outcome "bad" is left out/);
  });
});

describe('the HTML report of a study where nobody took a quiz', () => {
  it('draws no empty quiz chart, and says why', () => {
    const input = synthetic({ seed: 5 });
    const report = impactReport({ ...input, participants: input.participants.map(({ lessons: _lessons, ...p }) => p) });
    const html = impactHtml(report);
    expect(html).toMatch(/<p class="no-chart" data-outcome="quiz_score">Lesson quiz score: no chart, as nobody has answered a lesson quiz yet\./);
    expect(html).not.toMatch(/aria-label="Lesson quiz score/);
    expect(html.match(/<svg[^>]*>/g)).toHaveLength(report.weekly.length);
  });
});

describe('the HTML report', () => {
  const input = synthetic({ seed: 3, respond: { treated: 0.9, control: 0.7 } });
  const hostile = '<script>alert("x")</script> & Sons';
  const report = impactReport({ ...input, study: { ...makeStudy(hostile), arms: [{ armId: 'lessons', name: 'Lessons <b>', ratio: 1, treatment: true }, { armId: 'diary', name: 'Diary "only"', ratio: 1, treatment: false }] } });
  const html = impactHtml(report);

  it('is self-contained: no scripts, no external references', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link|<img|@import|url\(/i);
  });

  it('escapes every string from the data', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons');
    expect(html).not.toContain('Lessons <b>');
    expect(html).toContain('Lessons &lt;b&gt;');
    expect(html).toContain('Diary &quot;only&quot;');
  });

  it('has one accessible SVG per chart: each outcome by week, and the response rates', () => {
    const svgs = html.match(/<svg[^>]*>/g) ?? [];
    expect(svgs).toHaveLength(report.weekly.length + 1);
    for (const svg of svgs) {
      expect(svg).toMatch(/role="img"/);
      expect(svg).toMatch(/aria-label="[^"]{20,}"/);
    }
    expect(html.match(/<figure>/g)).toHaveLength(svgs.length);
  });

  it('carries the estimates, balance, notes, date and the estimators in plain words', () => {
    expect(html).toContain('<th scope="col">Difference in means</th>');
    expect(html).toContain('Balance at baseline');
    expect(html).toContain('Joint test that assignment is unrelated');
    expect(html).toContain('What the estimators mean');
    expect(html).toContain('2026-03-04');
    expect(html).toContain('Lee bounds');
    for (const o of DEFAULT_OUTCOMES) expect(html).toContain(o.label);
  });
});

describe('impact report: randomization inference beside the model-based p-values', () => {
  // 10 factories of 20, 5 treated: the cluster procedure has C(10, 5) = 252 assignments.
  const input = { ...synthetic({ clusterSize: 20 }), method: 'cluster' as const, initialRandomizationId: 'ra-1' };

  it('gives exact p-values for the difference in means, OLS and CR2 over every assignment of the study\'s procedure', () => {
    const report = impactReport({ ...input, ri: { seed: 3 } });
    const savings = outcome(report, 'weekly_savings');
    for (const r of [savings.ri?.dim, savings.ri?.ols, savings.ri?.cr2]) {
      expect(r).toMatchObject({ exact: true, permutations: 252, undefinedDraws: 0 });
      expect(Math.abs((r?.p as number) * 252 - Math.round((r?.p as number) * 252))).toBeLessThan(1e-9);
    }
    expect(savings.ri?.dim?.observed).toBeCloseTo(savings.dim?.estimate as number, 9);
    expect(savings.ri?.cr2?.observed).toBeCloseTo((savings.cr2?.treatment.estimate as number) / (savings.cr2?.treatment.se as number), 9);
    // The planted effect is far out in the randomization distribution: only it and its mirror are as extreme.
    expect(savings.ri?.dim?.p).toBeCloseTo(2 / 252, 12);
    expect(impactHtml(report)).toContain('RI p = ');
    expect(impactHtml(report)).toContain('exact, 252 assignments');
  });

  it('says why it cannot run: no randomization record, or late joiners assigned by rolling enrolment', () => {
    const { method: _method, ...noRecord } = input;
    expect(impactReport({ ...noRecord, ri: {} }).notes).toContain('Randomization inference not run: there is no randomization record, so no procedure to re-run (a study randomized outside Sauti cannot be re-randomized).');
    const late = input.participants.map((p, i) => (i < 3 ? { ...p, assignment: { randomizationId: 'ra-rolling-1', at: '2026-02-02T09:00:00.000Z' } } : p));
    const notes = impactReport({ ...input, participants: late, ri: {} }).notes;
    expect(notes.some((n) => n.startsWith('Randomization inference not run: 3 late joiner(s) were assigned by rolling enrolment'))).toBe(true);
    expect(outcome(impactReport({ ...input, participants: late, ri: {} }), 'weekly_savings').ri).toBeUndefined();
  });
});
