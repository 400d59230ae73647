/** The pre-registration snapshot (functions/core/impact/preregistration.ts) and its check in the impact report. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { impactHtml } from '../../functions/core/impact/html.js';
import { DEFAULT_OUTCOMES } from '../../functions/core/impact/outcomes.js';
import { canonicalJson, checkPreregistration, freezePreregistration, hashPlan } from '../../functions/core/impact/preregistration.js';
import { impactReport } from '../../functions/core/impact/report.js';
import type { Study } from '../../functions/core/model.js';
import { RANDOMIZATION_ALGORITHM } from '../../functions/core/randomize/rng.js';

const study = JSON.parse(readFileSync(new URL('../../docs/examples/study.json', import.meta.url), 'utf8')) as Study;
const frozen = freezePreregistration({ study, method: 'block_cluster', seed: 20261123, power: { analytic: { mde: 451.8 } } });

describe('pre-registration snapshot', () => {
  it('hashes the plan, not the order its keys were written in, and any change to the plan changes the hash', () => {
    const reversed = JSON.parse(JSON.stringify(frozen.plan, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v))) as typeof frozen.plan;
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(frozen.plan)[0]);
    expect(hashPlan(reversed)).toBe(frozen.hash);
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: null }] })).toBe('{"a":[2,{"c":null,"d":3}],"b":1}');
    expect(frozen.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(frozen.plan.design).toEqual({ method: 'block_cluster', seed: 20261123, algorithm: RANDOMIZATION_ALGORITHM, arms: [{ armId: 'lessons', ratio: 1, treatment: true }, { armId: 'diary', ratio: 1, treatment: false }] });
    for (const change of [{ seed: 1 }, { method: 'cluster' as const }, { alpha: 0.1 }, { ri: { permutations: 5000 } }, { outcomes: DEFAULT_OUTCOMES.slice(1) }]) {
      expect(freezePreregistration({ study, method: 'block_cluster', seed: 20261123, power: { analytic: { mde: 451.8 } }, ...change }).hash).not.toBe(frozen.hash);
    }
  });

  it('lists every deviation of the analysis from the plan, and notices a plan edited after freezing', () => {
    const follows = { study, method: 'block_cluster' as const, seed: 20261123, algorithm: RANDOMIZATION_ALGORITHM, outcomes: DEFAULT_OUTCOMES, alpha: 0.05, ri: {} };
    expect(checkPreregistration(frozen, follows)).toEqual({ hash: frozen.hash, intact: true, deviations: [] });
    const changed = DEFAULT_OUTCOMES.map((o, k) => (k === 0 ? { ...o, window: { fromStudyWeek: 4, toStudyWeek: 30 } } : o));
    const extra = { ...(DEFAULT_OUTCOMES[1] as (typeof DEFAULT_OUTCOMES)[number]), id: 'savings_top' };
    const r = checkPreregistration(frozen, { ...follows, method: 'cluster', seed: 7, outcomes: [...changed.slice(0, 3), extra], alpha: 0.1, ri: { permutations: 2000 } });
    expect(r.deviations).toEqual([
      'Randomized by cluster, pre-registered block_cluster.',
      'Randomized with seed 7, pre-registered 20261123.',
      'Outcome "savings_top" was not pre-registered.',
      ...DEFAULT_OUTCOMES.slice(3).map((o) => `Pre-registered outcome "${o.id}" is not reported.`),
      `Outcome "${DEFAULT_OUTCOMES[0]?.id as string}" is defined differently from its pre-registration.`,
      'Alpha is 0.1, pre-registered 0.05.',
      'Randomization inference ran with limit 100000, 2000 permutations, seed 1; pre-registered 100000, 10000, 1.',
    ]);
    const edited = { ...frozen, plan: { ...frozen.plan, design: { ...frozen.plan.design, seed: 1 } } };
    expect(checkPreregistration(edited, follows).intact).toBe(false);
  });

  it('is cited by the impact report, with its deviations', () => {
    const report = impactReport({ study, participants: [], weeks: [], now: new Date('2026-11-02T09:00:00Z'), method: 'block_cluster', randomization: { seed: 20261124, algorithm: RANDOMIZATION_ALGORITHM }, preregistration: frozen });
    expect(report.preregistration).toMatchObject({ hash: frozen.hash, intact: true, deviations: ['Randomized with seed 20261124, pre-registered 20261123.'] });
    const html = impactHtml(report);
    expect(html).toContain(`sha256:${frozen.hash}`);
    expect(html).toContain('Randomized with seed 20261124, pre-registered 20261123.');
    expect(impactHtml(impactReport({ study, participants: [], weeks: [], now: new Date('2026-11-02T09:00:00Z') }))).toContain('No pre-registration snapshot was given.');
  });
});
