import { createHash } from 'node:crypto';
import type { Study } from '../model.js';
import type { RandomizationMethod } from '../randomize/design.js';
import { RANDOMIZATION_ALGORITHM } from '../randomize/rng.js';
import { DEFAULT_RI_LIMIT, DEFAULT_RI_PERMUTATIONS, DEFAULT_RI_SEED, type RiOptions } from '../stats/ri.js';
import { DEFAULT_OUTCOMES, type OutcomeDefinition } from './outcomes.js';

/**
 * A pre-registration snapshot: what the study commits to before the first prompt, frozen as
 * canonical JSON (keys sorted at every level, so the same plan always has the same bytes) and
 * identified by its SHA-256. The impact report cites the hash and lists every deviation of what
 * it actually did from the snapshot. No time is part of the snapshot: the hash depends only on the
 * plan, and when it was frozen is the business of whoever stores it (a commit, an OSF upload).
 */
export interface PreregistrationPlan {
  studyId: string;
  design: { method: RandomizationMethod; seed: number; algorithm: string; arms: { armId: string; ratio: number; treatment: boolean }[] };
  outcomes: OutcomeDefinition[];
  analysis: {
    alpha: number;
    estimators: string[];
    covariates: string;
    ri: { limit: number; permutations: number; seed: number };
  };
  /** The power calculation as computed (sauti power's JSON), kept as given. */
  power?: unknown;
}

export interface Preregistration {
  plan: PreregistrationPlan;
  /** SHA-256 hex of canonicalJson(plan). */
  hash: string;
}

/** JSON with object keys sorted at every level (arrays keep their order: it is meaningful). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const hashPlan = (plan: PreregistrationPlan): string => createHash('sha256').update(canonicalJson(plan), 'utf8').digest('hex');

export const PLAN_ESTIMATORS = ['difference in means (blocked by stratum in blocked designs)', 'OLS HC2, Lin-adjusted for the baseline and strata (ANCOVA)', 'CR2 with clusters (headline in cluster designs)', 'Benjamini–Hochberg across outcomes', 'Lee bounds when response differs', 'randomization inference for each estimator'];

export function freezePreregistration(input: { study: Study; method: RandomizationMethod; seed: number; outcomes?: readonly OutcomeDefinition[]; alpha?: number; ri?: RiOptions; power?: unknown }): Preregistration {
  const plan: PreregistrationPlan = {
    studyId: input.study.studyId,
    design: {
      method: input.method,
      seed: input.seed,
      algorithm: RANDOMIZATION_ALGORITHM,
      arms: input.study.arms.map((a) => ({ armId: a.armId, ratio: a.ratio, treatment: a.treatment })),
    },
    outcomes: [...(input.outcomes ?? input.study.outcomes ?? DEFAULT_OUTCOMES)],
    analysis: {
      alpha: input.alpha ?? 0.05,
      estimators: PLAN_ESTIMATORS,
      covariates: "each outcome's baseline (missing: mean-imputed with an indicator) and stratum indicators, Lin-centred",
      ri: { limit: input.ri?.limit ?? DEFAULT_RI_LIMIT, permutations: input.ri?.permutations ?? DEFAULT_RI_PERMUTATIONS, seed: input.ri?.seed ?? DEFAULT_RI_SEED },
    },
    ...(input.power !== undefined ? { power: input.power } : {}),
  };
  return { plan, hash: hashPlan(plan) };
}

export interface PreregistrationCheck {
  hash: string;
  /** The snapshot's bytes still give its hash (nobody edited the plan after freezing it). */
  intact: boolean;
  deviations: string[];
}

/** What the analysis did that the snapshot did not say, one sentence each. */
export function checkPreregistration(
  snapshot: Preregistration,
  actual: { study: Study; method?: RandomizationMethod; seed?: number; algorithm?: string; outcomes: readonly OutcomeDefinition[]; alpha: number; ri?: RiOptions },
): PreregistrationCheck {
  const { plan } = snapshot;
  const deviations: string[] = [];
  const d = plan.design;
  if (plan.studyId !== actual.study.studyId) deviations.push(`The snapshot is of study "${plan.studyId}", not "${actual.study.studyId}".`);
  if (actual.method !== undefined && actual.method !== d.method) deviations.push(`Randomized by ${actual.method}, pre-registered ${d.method}.`);
  if (actual.seed !== undefined && actual.seed !== d.seed) deviations.push(`Randomized with seed ${actual.seed}, pre-registered ${d.seed}.`);
  if (actual.algorithm !== undefined && actual.algorithm !== d.algorithm) deviations.push(`Randomization algorithm ${actual.algorithm}, pre-registered ${d.algorithm}.`);
  const arms = actual.study.arms.map((a) => ({ armId: a.armId, ratio: a.ratio, treatment: a.treatment }));
  if (canonicalJson(arms) !== canonicalJson(d.arms)) deviations.push(`The arms differ from the pre-registered ones (${d.arms.map((a) => `${a.armId} ${a.ratio}`).join(', ')}).`);
  const planned = new Map(plan.outcomes.map((o) => [o.id, canonicalJson(o)]));
  const used = new Map(actual.outcomes.map((o) => [o.id, canonicalJson(o)]));
  for (const id of used.keys()) if (!planned.has(id)) deviations.push(`Outcome "${id}" was not pre-registered.`);
  for (const id of planned.keys()) if (!used.has(id)) deviations.push(`Pre-registered outcome "${id}" is not reported.`);
  for (const [id, def] of used) if (planned.has(id) && planned.get(id) !== def) deviations.push(`Outcome "${id}" is defined differently from its pre-registration.`);
  if (actual.alpha !== plan.analysis.alpha) deviations.push(`Alpha is ${actual.alpha}, pre-registered ${plan.analysis.alpha}.`);
  if (actual.ri) {
    const r = plan.analysis.ri;
    const ri = { limit: actual.ri.limit ?? DEFAULT_RI_LIMIT, permutations: actual.ri.permutations ?? DEFAULT_RI_PERMUTATIONS, seed: actual.ri.seed ?? DEFAULT_RI_SEED };
    if (canonicalJson(ri) !== canonicalJson(r)) deviations.push(`Randomization inference ran with limit ${ri.limit}, ${ri.permutations} permutations, seed ${ri.seed}; pre-registered ${r.limit}, ${r.permutations}, ${r.seed}.`);
  }
  return { hash: snapshot.hash, intact: hashPlan(plan) === snapshot.hash, deviations };
}
