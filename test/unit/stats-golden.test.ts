/**
 * Golden tests: functions/core/stats against R (estimatr 1.0.0, p.adjust, a
 * by-hand leebounds::basic_lee_bound) on the same data. Fixtures are written by
 * test/fixtures/stats/generate.R (see the README there).
 *
 * Tolerance (docs/design.md: 1e-6): |actual − expected| ≤ 1e-6 · max(1, |expected|),
 * i.e. absolute for quantities of magnitude ≤ 1 (p-values, shares, small
 * estimates) and relative for larger ones (estimates, SEs, df, CI bounds,
 * F statistics). Set STATS_GOLDEN_REPORT=1 to print the largest differences.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  balanceTable,
  benjaminiHochberg,
  designMatrix,
  differenceInMeans,
  ivRobust,
  leeBounds,
  lmRobust,
  waldTest,
  type LmRobustResult,
} from '../../functions/core/stats/index.js';

const TOL = 1e-6;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

function load(name: string): Obj {
  return JSON.parse(readFileSync(new URL(`../fixtures/stats/${name}`, import.meta.url), 'utf8')) as Obj;
}
function obj(v: Json | undefined): Obj {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) throw new Error('fixture: object expected');
  return v;
}
function arr(v: Json | undefined): Json[] {
  if (!Array.isArray(v)) throw new Error('fixture: array expected');
  return v;
}
function num(v: Json | undefined): number {
  if (typeof v !== 'number') throw new Error(`fixture: number expected, got ${JSON.stringify(v)}`);
  return v;
}
function str(v: Json | undefined): string {
  if (typeof v !== 'string') throw new Error('fixture: string expected');
  return v;
}
const nums = (v: Json | undefined): number[] => arr(v).map(num);
const strs = (v: Json | undefined): string[] => arr(v).map(str);

/** Largest absolute and relative difference seen per estimator, for the report. */
const worst = new Map<string, { abs: number; rel: number }>();

function close(estimator: string, what: string, actual: number, expected: number): void {
  const abs = Math.abs(actual - expected);
  const rel = expected === 0 ? abs : abs / Math.abs(expected);
  const w = worst.get(estimator) ?? { abs: 0, rel: 0 };
  worst.set(estimator, { abs: Math.max(w.abs, abs), rel: Math.max(w.rel, rel) });
  const ok = abs <= TOL * Math.max(1, Math.abs(expected));
  expect(ok, `${estimator} ${what}: ${actual} vs R ${expected} (|diff| ${abs})`).toBe(true);
}

const INFERENCE = ['estimate', 'se', 'df', 't', 'p', 'ciLower', 'ciUpper'] as const;

function checkInference(estimator: string, actual: Record<(typeof INFERENCE)[number], number>, expected: Obj): void {
  for (const key of INFERENCE) close(estimator, key, actual[key], num(expected[key]));
}

function checkFit(estimator: string, fit: LmRobustResult, expected: Obj): void {
  const coefs = arr(expected.coefficients).map(obj);
  expect(fit.coefficients.map((c) => c.term)).toEqual(coefs.map((c) => str(c.term)));
  expect(fit.n).toBe(num(expected.n));
  expect(fit.k).toBe(num(expected.k));
  expect(fit.se).toBe(str(expected.se));
  if (expected.nClusters !== undefined) expect(fit.nClusters).toBe(num(expected.nClusters));
  coefs.forEach((c, j) => checkInference(`${estimator}`, fit.coefficients[j] as LmRobustResult['coefficients'][number], c));
  const V = arr(expected.vcov).map(nums);
  V.forEach((row, a) => row.forEach((v, b) => close(`${estimator}`, `vcov[${a}][${b}]`, fit.vcov[a]?.[b] as number, v)));
}

function columns(data: Obj, names: readonly string[]): Record<string, number>[] {
  const cols = names.map((name) => nums(data[name]));
  const n = (cols[0] as number[]).length;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((name, c) => [name, (cols[c] as number[])[i] as number])));
}

afterAll(() => {
  if (process.env.STATS_GOLDEN_REPORT !== '1') return;
  const lines = [...worst.entries()].map(([k, w]) => `${k.padEnd(28)} max|Δ| ${w.abs.toExponential(2)}  max rel ${w.rel.toExponential(2)}`);
  console.log(`\nlargest differences against R:\n${lines.join('\n')}`);
});

describe('difference in means against estimatr::difference_in_means', () => {
  it('two arms, unblocked, unequal arm sizes: Neyman SE and Welch–Satterthwaite df', () => {
    const f = load('two-arm.json');
    const data = obj(f.data);
    const r = differenceInMeans({ y: nums(data.y), z: nums(data.z) });
    checkInference('dim unblocked', r, obj(f.dim));
    expect([r.n, r.n1, r.n0, r.design]).toEqual([num(obj(f.dim).n), num(f.n1), num(f.n0), 'standard']);
  });

  it('blocked with unequal block sizes: df = N − 2J', () => {
    const f = load('blocked.json');
    const data = obj(f.data);
    const r = differenceInMeans({ y: nums(data.y), z: nums(data.z), blocks: strs(data.block) });
    checkInference('dim blocked', r, obj(f.dim));
    expect([r.design, r.nBlocks, r.n1, r.n0]).toEqual(['blocked', num(f.nBlocks), num(f.n1), num(f.n0)]);
    expect(r.df).toBe(r.n - 2 * num(f.nBlocks));
  });

  it('matched pairs: pair variance, df = J − 1', () => {
    const f = load('pairs.json');
    const data = obj(f.data);
    const r = differenceInMeans({ y: nums(data.y), z: nums(data.z), blocks: strs(data.block) });
    checkInference('dim matched pairs', r, obj(f.dim));
    expect([r.design, r.df, r.warning]).toEqual(['matched-pairs', num(f.nBlocks) - 1, undefined]);
  });

  it('pairs mixed with larger blocks: the matched-pairs variance, as estimatr, with a warning', () => {
    const f = load('mixed-pairs.json');
    const data = obj(f.data);
    const r = differenceInMeans({ y: nums(data.y), z: nums(data.z), blocks: strs(data.block) });
    checkInference('dim mixed pairs', r, obj(f.dim));
    expect(r.design).toBe('matched-pairs');
    expect(r.warning).toMatch(/matched-pairs variance/);
  });
});

describe('lm_robust against estimatr (HC2, CR2, Lin)', () => {
  const two = load('two-arm.json');
  const twoData = obj(two.data);
  const twoRows = columns(twoData, ['y', 'z', 'x1', 'x2', 'x3']);
  const clus = load('clustered.json');
  const clusData = obj(clus.data);
  const clusRows = columns(clusData, ['y', 'z', 'x1', 'x2']);
  const clusters = strs(clusData.cluster);

  it('HC2, no covariates (df = N − K)', () => {
    const { X, names } = designMatrix(twoRows, { intercept: true, treatment: 'z' });
    checkFit('lm HC2', lmRobust({ y: nums(twoData.y), X, names, se: 'HC2' }), obj(two.lmNoCovariates));
  });

  it('HC2 with covariates', () => {
    const { X, names } = designMatrix(twoRows, { intercept: true, treatment: 'z', covariates: ['x1', 'x2', 'x3'] });
    checkFit('lm HC2', lmRobust({ y: nums(twoData.y), X, names }), obj(two.lmHC2));
  });

  it('Lin (2013) adjustment, HC2: lm_lin', () => {
    const { X, names } = designMatrix(twoRows, { intercept: true, treatment: 'z', covariates: ['x1', 'x2', 'x3'], lin: true });
    checkFit('lm_lin HC2', lmRobust({ y: nums(twoData.y), X, names }), obj(two.lin));
  });

  it('CR2 with 12 unequal clusters: Bell–McCaffrey SEs and per-coefficient df', () => {
    const { X, names } = designMatrix(clusRows, { intercept: true, treatment: 'z', covariates: ['x1', 'x2'] });
    checkFit('lm CR2', lmRobust({ y: nums(clusData.y), X, names, clusters }), obj(clus.lmCR2));
  });

  it('HC2 on the clustered data (clusters ignored)', () => {
    const { X, names } = designMatrix(clusRows, { intercept: true, treatment: 'z', covariates: ['x1', 'x2'] });
    checkFit('lm HC2', lmRobust({ y: nums(clusData.y), X, names, se: 'HC2' }), obj(clus.lmHC2));
  });

  it('Lin adjustment with CR2: lm_lin with clusters', () => {
    const { X, names } = designMatrix(clusRows, { intercept: true, treatment: 'z', covariates: ['x1', 'x2'], lin: true });
    checkFit('lm_lin CR2', lmRobust({ y: nums(clusData.y), X, names, clusters }), obj(clus.linCR2));
  });

  it('the R side agrees with sandwich and clubSandwich', () => {
    // Recorded by generate.R: estimatr vs sandwich::vcovHC(type = "HC2") and clubSandwich::coef_test(CR2, Satterthwaite).
    expect(num(obj(two.crossCheck).sandwichHC2VcovMaxAbsDiff)).toBeLessThan(1e-10);
    expect(num(obj(clus.crossCheck).clubSandwichSeMaxAbsDiff)).toBeLessThan(1e-10);
    expect(num(obj(clus.crossCheck).clubSandwichDfMaxAbsDiff)).toBeLessThan(1e-8);
  });
});

describe('robust Wald test', () => {
  function checkWald(estimator: string, actual: { F: number; df1: number; df2: number; p: number }, expected: Obj): void {
    close(estimator, 'F', actual.F, num(expected.F));
    expect([actual.df1, actual.df2]).toEqual([num(expected.df1), num(expected.df2)]);
    close(estimator, 'p', actual.p, num(expected.p));
  }

  it('HC2: two coefficients jointly zero, F(q, N − K)', () => {
    const f = load('two-arm.json');
    const rows = columns(obj(f.data), ['z', 'x1', 'x2', 'x3']);
    const { X, names } = designMatrix(rows, { intercept: true, treatment: 'z', covariates: ['x1', 'x2', 'x3'] });
    const fit = lmRobust({ y: nums(obj(f.data).y), X, names });
    const expected = obj(f.wald);
    checkWald('wald HC2', waldTest(fit, strs(expected.terms)), expected);
    // All slopes: estimatr's own fstatistic.
    checkWald('wald HC2', waldTest(fit, ['z', 'x1', 'x2', 'x3']), obj(obj(f.lmHC2).fstatistic));
  });

  it('CR2: df2 = J − 1, as estimatr’s fstatistic', () => {
    const f = load('clustered.json');
    const data = obj(f.data);
    const { X, names } = designMatrix(columns(data, ['z', 'x1', 'x2']), { intercept: true, treatment: 'z', covariates: ['x1', 'x2'] });
    const fit = lmRobust({ y: nums(data.y), X, names, clusters: strs(data.cluster) });
    const expected = obj(f.waldCR2);
    checkWald('wald CR2', waldTest(fit, strs(expected.terms)), expected);
    checkWald('wald CR2', waldTest(fit, ['z', 'x1', 'x2']), obj(obj(f.lmCR2).fstatistic));
  });
});

describe('balance table', () => {
  function checkBalance(estimator: string, actual: ReturnType<typeof balanceTable>, expected: Obj): void {
    const rows = arr(expected.rows).map(obj);
    expect(actual.rows.map((r) => r.name)).toEqual(rows.map((r) => str(r.name)));
    rows.forEach((row, i) => {
      const a = actual.rows[i] as (typeof actual.rows)[number];
      for (const key of ['mean1', 'mean0', 'sd1', 'sd0', 'stdDiff'] as const) close(estimator, `${a.name}.${key}`, a[key], num(row[key]));
    });
    const joint = obj(expected.joint);
    close(estimator, 'F', actual.joint.F, num(joint.F));
    expect([actual.joint.df1, actual.joint.df2]).toEqual([num(joint.df1), num(joint.df2)]);
    close(estimator, 'p', actual.joint.p, num(joint.p));
  }

  it('HC2 joint test (z ~ covariates)', () => {
    const f = load('two-arm.json');
    const data = obj(f.data);
    const r = balanceTable({ z: nums(data.z), covariates: { x1: nums(data.x1), x2: nums(data.x2), x3: nums(data.x3) } });
    checkBalance('balance HC2', r, obj(f.balance));
  });

  it('CR2 joint test with clusters', () => {
    const f = load('clustered.json');
    const data = obj(f.data);
    const r = balanceTable({ z: nums(data.z), covariates: { x1: nums(data.x1), x2: nums(data.x2) }, clusters: strs(data.cluster) });
    checkBalance('balance CR2', r, obj(f.balanceCR2));
  });
});

describe('Lee bounds against leebounds::basic_lee_bound (by hand in R)', () => {
  const f = load('lee.json');
  for (const c of arr(f.cases).map(obj)) {
    it(str(c.name), () => {
      const y = arr(c.y).map((v) => (v === null ? null : num(v)));
      const r = leeBounds({ y, z: nums(c.z) });
      const e = obj(c.expected);
      for (const key of ['lower', 'upper', 'trimmedShare', 'q1', 'q0'] as const) close('lee bounds', key, r[key], num(e[key]));
      expect(r.trimmedArm).toBe(str(e.trimmedArm));
      // NaN marks a missing outcome as well as null does.
      const withNaN = leeBounds({ y: y.map((v) => (v === null ? Number.NaN : v)), z: nums(c.z) });
      expect(withNaN).toEqual(r);
    });
  }
});

describe('Benjamini–Hochberg against p.adjust(method = "BH")', () => {
  it('ties and an NA', () => {
    const f = load('bh.json');
    const p = arr(f.p).map((v) => (v === null ? null : num(v)));
    const adjusted = benjaminiHochberg(p);
    arr(f.adjusted).forEach((e, i) => {
      if (e === null) expect(adjusted[i]).toBeNull();
      else close('BH', `p[${i}]`, adjusted[i] as number, num(e));
    });
  });
});

describe('2SLS against estimatr::iv_robust', () => {
  const f = load('iv.json');
  const data = obj(f.data);
  const base = { y: nums(data.y), endogenous: nums(data.d), instrument: nums(data.z) };

  it('HC2 with a covariate', () => {
    const r = ivRobust({ ...base, covariates: { x1: nums(data.x1) } });
    checkFit('iv HC2', r, obj(f.ivHC2));
    expect(r.effect.term).toBe('d');
  });

  it('HC2 without covariates', () => {
    checkFit('iv HC2', ivRobust(base), obj(f.ivNoCovariates));
  });

  it('CR2 with clusters (default se with clusters)', () => {
    const r = ivRobust({ ...base, covariates: { x1: nums(data.x1) }, clusters: strs(data.cluster) });
    expect(r.se).toBe('CR2');
    checkFit('iv CR2', r, obj(f.ivCR2));
  });
});
