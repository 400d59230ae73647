/**
 * Power and MDE (functions/core/stats/power.ts, power-simulate.ts, icc.ts): Bloom's published
 * multipliers, the analytic MDE against simulation through the study's own assignment and CR2
 * (seeded, so deterministic) within 3 Monte Carlo SE, the ICC estimator, and bad input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng, standardNormal } from '../../functions/core/randomize/rng.js';
import { baselineEstimates } from '../../functions/core/stats/icc.js';
import { simulatePower } from '../../functions/core/stats/power-simulate.js';
import { mdeAnalytic, mdeMultiplier, mdeTable } from '../../functions/core/stats/power.js';

describe('analytic MDE', () => {
  it("matches Bloom's published MDE multipliers (two-sided α = 0.05, power 0.80, df = J − 2; 0.90 at large df)", () => {
    // Bloom (2005), "Randomizing groups to evaluate place-based programs", Table 4.1; Bloom (1995): 2.80 and 3.24 for large samples.
    // Checked against R 4 (`qt(0.975, J - 2) + qt(0.8, J - 2)`): 3.1949, 2.9630, 2.8756, 2.8496 for J = 10, 20, 40, 60,
    // which the table rounds to two decimals.
    const published: [number, number][] = [[10, 3.2], [20, 2.96], [40, 2.88], [60, 2.85]];
    for (const [J, m] of published) expect(Math.abs(mdeMultiplier(J - 2) - m)).toBeLessThan(0.006);
    expect(Math.abs(mdeMultiplier(1e7) - 2.8)).toBeLessThan(0.005);
    expect(Math.abs(mdeMultiplier(1e7, 0.05, 0.9) - 3.24)).toBeLessThan(0.005);
  });

  it('is Bloom\'s formula: design effect, df from the clusters, covariate adjustment, response and attrition', () => {
    const r = mdeAnalytic({ clusters: 20, clusterSize: 25, treatedShare: 0.5, icc: 0.1, r2: 0.4, response: 0.8, attrition: 0.1, blocks: 2, sd: 1000 });
    const m = 25 * 0.8 * 0.9;
    expect(r.df).toBe(20 - 2 - 1 - 1);
    expect(r.designEffect).toBeCloseTo(1 + (m - 1) * 0.1, 12);
    const se = Math.sqrt((0.1 * 0.6) / (0.25 * 20) + (0.9 * 0.6) / (0.25 * 20 * m));
    expect(r.mde).toBeCloseTo(1000 * mdeMultiplier(16) * se, 9);
    // More clusters always help; more people per cluster help less and less as the ICC bites.
    const rows = mdeTable({ clusters: 20, clusterSize: 25, treatedShare: 0.5, icc: 0.1 }, [10, 20, 40], [10, 25, 50, 1000]);
    const at = (J: number, size: number) => rows.find((x) => x.clusters === J && x.clusterSize === size)?.mde as number;
    expect(at(10, 25)).toBeGreaterThan(at(20, 25));
    expect(at(20, 25)).toBeGreaterThan(at(40, 25));
    expect(at(20, 50) - at(20, 1000)).toBeLessThan(at(20, 10) - at(20, 25));
  });

  it('refuses an ICC outside [0, 1), one cluster per arm and too few degrees of freedom, saying what is wrong', () => {
    const base = { clusters: 20, clusterSize: 25, treatedShare: 0.5, icc: 0.05 };
    expect(() => mdeAnalytic({ ...base, icc: 1 })).toThrow('the ICC must be in [0, 1), got 1');
    expect(() => mdeAnalytic({ ...base, icc: -0.1 })).toThrow('the ICC must be in [0, 1), got -0.1');
    expect(() => mdeAnalytic({ ...base, clusters: 2 })).toThrow('a design needs at least 2 clusters in each arm (this one has 1 treated and 1 control)');
    expect(() => mdeAnalytic({ ...base, clusters: 4, blocks: 2, r2: 0.2 })).toThrow('4 clusters leave 0 degrees of freedom after 2 block(s) and a covariate; add clusters');
    expect(mdeTable(base, [2, 20], [25]).map((r) => r.mde === null)).toEqual([true, false]);
  });
});

describe('the same by simulation through the study\'s assignment and CR2', () => {
  it.each([
    ['20 factories in 2 blocks, ICC 0.05, R² 0.3, 72% answering', { clusters: 20, clusterSize: 25, blocks: 2, treatedShare: 0.5, icc: 0.05, r2: 0.3, response: 0.8, attrition: 0.1 }],
    ['16 factories, ICC 0.15, no covariate', { clusters: 16, clusterSize: 20, treatedShare: 0.5, icc: 0.15 }],
  ])('%s: power at the analytic MDE and the simulated MDE agree within 3 MC SE', (_, design) => {
    const analytic = mdeAnalytic(design);
    const sim = simulatePower(design, { simulations: 400, seed: 20270105 });
    expect(sim.failed).toBe(0);
    expect(Math.abs(sim.power - 0.8)).toBeLessThanOrEqual(3 * Math.sqrt((0.8 * 0.2) / 400));
    expect(Math.abs(sim.mde - analytic.mde)).toBeLessThanOrEqual(3 * sim.mdeSe);
    expect(simulatePower(design, { simulations: 400, seed: 20270105 })).toEqual(sim);
  });

  it('has about α power when there is no effect', () => {
    const sim = simulatePower({ clusters: 20, clusterSize: 10, treatedShare: 0.5, icc: 0.1 }, { simulations: 400, seed: 3, effect: 0 });
    expect(Math.abs(sim.power - 0.05)).toBeLessThanOrEqual(3 * Math.sqrt((0.05 * 0.95) / 400));
  });
});

describe('ICC and R² from baseline data', () => {
  it('is the ANOVA estimator (by hand on a small case) and recovers the ICC of simulated data', () => {
    // Clusters {1,2,3}, {4,6}, {8,9,10,13}: MSB, MSW and m₀ computed by hand.
    const y = [1, 2, 3, 4, 6, 8, 9, 10, 13];
    const c = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c'];
    const grand = 56 / 9;
    const msb = (3 * (2 - grand) ** 2 + 2 * (5 - grand) ** 2 + 4 * (10 - grand) ** 2) / 2;
    const msw = (2 + 2 + 14) / 6;
    const m0 = (9 - (9 + 4 + 16) / 9) / 2;
    expect(baselineEstimates(y, c).icc).toBeCloseTo((msb - msw) / (msb + (m0 - 1) * msw), 12);
    const rng = createRng(11);
    const ys: number[] = [];
    const cs: string[] = [];
    const xs: number[] = [];
    for (let j = 0; j < 300; j++) {
      const u = standardNormal(rng);
      for (let i = 0; i < 20; i++) {
        const x = standardNormal(rng);
        ys.push(Math.sqrt(0.2) * u + Math.sqrt(0.8) * (0.6 * x + 0.8 * standardNormal(rng)));
        cs.push(`f${j}`);
        xs.push(x);
      }
    }
    const est = baselineEstimates(ys, cs, { x: xs });
    expect(Math.abs(est.icc - 0.2)).toBeLessThan(0.04);
    expect(Math.abs((est.r2 as number) - 0.8 * 0.36)).toBeLessThan(0.03);
  });
});

describe('sauti power', () => {
  it('prints the MDE table for the example study from its enrolment CSV, and one-line errors', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['cli/sauti.mjs', 'power', ...args], { encoding: 'utf8' });
    const ok = run('--baseline', 'docs/examples/participants-500.csv', '--outcome', 'wage', '--covariates', 'age,tenure_months,female', '--response', '0.8', '--attrition', '0.1', '--simulate', '200', '--format', 'table');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Baseline (wage, 500 people in 20 clusters)');
    expect(ok.stdout).toContain('Design: 20 clusters (10 treated, 10 control) in 2 block(s), 25 enrolled each');
    expect(ok.stdout).toMatch(/^Analytic MDE: [\d.]+ \([\d.]+ SD\)/m);
    expect(ok.stdout).toMatch(/^Simulated \(200 replications .*power at the analytic MDE [\d.]+ ± [\d.]+; MDE [\d.]+/m);
    expect(ok.stdout).toMatch(/^clusters +10 +25 +50$/m);
    const dir = mkdtempSync(join(tmpdir(), 'sauti-power-'));
    const chart = run('--clusters', '20', '--cluster-size', '25', '--icc', '0.05', '--simulate', '0', '--chart', join(dir, 'mde.svg'), '--format', 'json');
    expect(chart.status).toBe(0);
    const svg = readFileSync(join(dir, 'mde.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img" aria-label="Minimum detectable effect by number of clusters\. Line chart of MDE \(SD\) by clusters randomized, one line per cluster size \(10 per cluster, 25 per cluster, 50 per cluster\)/);
    const bad = run('--clusters', '2', '--cluster-size', '10', '--icc', '1.2', '--format', 'table');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('the ICC must be in [0, 1), got 1.2');
  });
});
