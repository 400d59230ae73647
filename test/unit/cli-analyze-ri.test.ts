/**
 * `sauti analyze --ri` on a file shaped like an export of the example study (docs/examples: 20
 * factories in 2 strata of 10), randomized by Sauti's own assign(): an exact p-value over the
 * 252² = 63,504 assignments beside CR2's, and one-line errors when the procedure is missing or
 * does not match the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../cli/commands/analyze.js';
import { assign, createRng } from '../../functions/core/randomize/index.js';

const people = parse(readFileSync(new URL('../../docs/examples/participants-500.csv', import.meta.url), 'utf8'), { columns: true }) as Record<string, string>[];

function exportLike(seed: number, effect: number): string {
  const units = people.map((p, i) => ({ id: `p${String(i).padStart(3, '0')}`, block: p.stratum as string, cluster: p.cluster as string }));
  const { assignments } = assign(units, { method: 'block_cluster', arms: [{ armId: 'lessons', ratio: 1 }, { armId: 'diary', ratio: 1 }] }, seed);
  const rng = createRng(seed);
  const factory = new Map<string, number>();
  const lines = ['pid,arm,stratum,cluster,wage,saved'];
  units.forEach((u, i) => {
    if (!factory.has(u.cluster)) factory.set(u.cluster, (rng.nextFloat() - 0.5) * 400);
    const arm = assignments.get(u.id) as string;
    // Every 9th person did not answer: the row stays (its factory is still randomized), the outcome is empty.
    const saved = i % 9 === 4 ? '' : String(Math.round(800 + (factory.get(u.cluster) as number) + (arm === 'lessons' ? effect : 0) + (rng.nextFloat() - 0.5) * 600));
    lines.push([u.id, arm, u.block, u.cluster, people[i]?.wage, saved].join(','));
  });
  return lines.join('\n');
}

const base = { csv: '', outcome: 'saved', treatment: 'arm', treatedValue: 'lessons', block: 'stratum', cluster: 'cluster' } as const;

describe('sauti analyze --ri', () => {
  const text = exportLike(20270105, 150);

  it('gives an exact p-value over every assignment of the study\'s own procedure, beside CR2', () => {
    const r = analyze({ ...base, estimator: 'cr2', ri: true, riMethod: 'block_cluster' }, text);
    expect(r.ri).toMatchObject({ exact: true, permutations: 63_504, mc_se: 0, method: 'block_cluster', statistic: 'CR2 t statistic of the regression on treatment' });
    expect(r.ri?.observed).toBeCloseTo(r.estimate / r.std_error, 9);
    expect(Math.abs((r.ri?.p_value ?? 0) * 63_504 - Math.round((r.ri?.p_value ?? 0) * 63_504))).toBeLessThan(1e-6);
    const dim = analyze({ ...base, estimator: 'dim', ri: true, riMethod: 'block_cluster' }, text);
    expect(dim.ri?.statistic).toBe('blocked difference in means');
    expect(dim.ri?.observed).toBeCloseTo(dim.estimate, 9);
  });

  it('draws seeded permutations when there are more assignments than the limit, with the Monte Carlo SE', () => {
    const opts = { ...base, estimator: 'cr2' as const, ri: true, riMethod: 'block_cluster', riLimit: '1000', riPermutations: '2000', riSeed: '5' };
    const r = analyze(opts, text);
    expect(r.ri).toMatchObject({ exact: false, permutations: 2000 });
    expect(r.ri?.reason).toBe('63,504 possible assignments, more than the limit of 1,000');
    expect(analyze(opts, text).ri?.p_value).toBe(r.ri?.p_value);
    const exact = analyze({ ...base, estimator: 'cr2', ri: true, riMethod: 'block_cluster' }, text).ri?.p_value as number;
    expect(Math.abs((r.ri?.p_value as number) - exact)).toBeLessThanOrEqual(4 * Math.sqrt((exact * (1 - exact)) / 2000));
  });

  it('refuses, in one line, a study with no procedure to re-run and a file that does not match the one given', () => {
    expect(() => analyze({ ...base, estimator: 'dim', ri: true }, text)).toThrow('--ri needs the procedure the study was randomized with');
    expect(() => analyze({ ...base, estimator: 'dim', ri: true, riMethod: 'block', riRatio: '1:2' }, text)).toThrow('block "athi-river" has 125 of 250 units in arm "control", but the block procedure (ratios control 2 : treatment 1) puts 166 or 167 there');
    expect(() => analyze({ ...base, estimator: 'dim', ri: true, riMethod: 'cluster', riRatio: '1:3' }, text)).toThrow('the design has 10 of 20 clusters in arm "control", but the cluster procedure (ratios control 3 : treatment 1) puts 15 there');
    expect(() => analyze({ ...base, estimator: 'dim', ri: true, riMethod: 'cluster', cluster: 'stratum' }, text)).toThrow('cluster "athi-river" has units in two arms');
    const dir = mkdtempSync(join(tmpdir(), 'sauti-ri-'));
    writeFileSync(join(dir, 'export.csv'), text);
    const cli = (...args: string[]) => spawnSync(process.execPath, ['cli/sauti.mjs', 'analyze', '--csv', join(dir, 'export.csv'), '--outcome', 'saved', '--treatment', 'arm', '--treated-value', 'lessons', '--block', 'stratum', '--cluster', 'cluster', ...args], { encoding: 'utf8' });
    const bad = cli('--ri', '--format', 'json');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).not.toContain('    at ');
    const ok = cli('--estimator', 'cr2', '--ri', '--ri-method', 'block_cluster', '--format', 'table');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^OLS, CR2 cluster-robust: .* p = /m);
    expect(ok.stdout).toMatch(/^randomization inference \(CR2 t statistic of the regression on treatment, block_cluster\): p = [\d.]+, exact over 63,504 assignments$/m);
  });

  it('takes a panel (a row per participant and week, as diary_wide) where whole clusters were randomized, and refuses it where people were', () => {
    // Three weeks per participant, with the week's noise: the rows of one person share the arm.
    const [header, ...rows] = text.split('\n');
    const panel = [header, ...rows.flatMap((r) => [0, 1, 2].map((w) => r.replace(/,(\d+)$/, (_, v: string) => `,${Number(v) + w * 7}`)))].join('\n');
    const r = analyze({ ...base, estimator: 'cr2', ri: true, riMethod: 'block_cluster' }, panel);
    // The same 252² assignments of factories: rows count for the statistic, not for the procedure.
    expect(r.ri).toMatchObject({ exact: true, permutations: 63_504, method: 'block_cluster' });
    expect(r.ri?.observed).toBeCloseTo(r.estimate / r.std_error, 9);
    expect(() => analyze({ ...base, estimator: 'dim', ri: true, riMethod: 'block' }, panel)).toThrow(/file has \d+ rows for 500 units \(a panel/);
  });
});
