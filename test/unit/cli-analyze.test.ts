import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../cli/commands/analyze.js';

/**
 * `sauti analyze` on CSV files made from the R golden datasets: the numbers must be R's
 * (estimatr's difference_in_means and lm_robust), to 1e-6, whatever the route through a CSV.
 */
type Coef = { term: string; estimate: number; se: number; df: number; p: number; ciLower: number; ciUpper: number };
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/stats/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

function toCsv(data: Record<string, (number | string)[]>): string {
  const cols = Object.keys(data);
  const n = (data[cols[0] as string] ?? []).length;
  // Full precision: a CSV that rounded the data would not reproduce R's numbers.
  return [cols.join(','), ...Array.from({ length: n }, (_, i) => cols.map((c) => String(data[c]?.[i])).join(','))].join('\r\n');
}

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));
function matches(r: ReturnType<typeof analyze>, ref: { estimate: number; se: number; df: number; p: number; ciLower: number; ciUpper: number }) {
  close(r.estimate, ref.estimate);
  close(r.std_error, ref.se);
  close(r.df, ref.df);
  close(r.p_value, ref.p);
  close(r.ci_lower, ref.ciLower);
  close(r.ci_upper, ref.ciUpper);
}

describe('sauti analyze', () => {
  it('gives estimatr\'s difference in means, unblocked and blocked', () => {
    const two = fixture('two-arm') as { data: Record<string, number[]>; dim: Coef; n1: number; n0: number };
    const r = analyze({ csv: '', outcome: 'y', treatment: 'z', estimator: 'dim' }, toCsv(two.data));
    matches(r, two.dim);
    expect([r.n_treated, r.n_control, r.dropped]).toEqual([two.n1, two.n0, 0]);
    const blocked = fixture('blocked') as { data: Record<string, (number | string)[]>; dim: Coef };
    matches(analyze({ csv: '', outcome: 'y', treatment: 'z', block: 'block', estimator: 'dim' }, toCsv(blocked.data)), blocked.dim);
  });

  it('gives lm_robust\'s HC2 and CR2 treatment coefficient with covariates', () => {
    const cl = fixture('clustered') as { data: Record<string, (number | string)[]>; lmCR2: { coefficients: Coef[] }; lmHC2: { coefficients: Coef[] } };
    const text = toCsv(cl.data);
    const covariates = cl.lmCR2.coefficients.map((c) => c.term).filter((t) => t !== '(Intercept)' && t !== 'z').join(',');
    matches(analyze({ csv: '', outcome: 'y', treatment: 'z', cluster: 'cluster', covariates, estimator: 'cr2' }, text), cl.lmCR2.coefficients.find((c) => c.term === 'z') as Coef);
    matches(analyze({ csv: '', outcome: 'y', treatment: 'z', covariates, estimator: 'ols' }, text), cl.lmHC2.coefficients.find((c) => c.term === 'z') as Coef);
  });

  it('drops incomplete rows, names a missing column, and prints one JSON object from the command line', () => {
    const text = 'arm,saved\ntreatment,500\ncontrol,300\ntreatment,\ncontrol,250\ntreatment,700\n,100\n';
    expect(analyze({ csv: '', outcome: 'saved', treatment: 'arm', estimator: 'dim' }, text)).toMatchObject({ n_treated: 2, n_control: 2, dropped: 2 });
    expect(() => analyze({ csv: '', outcome: 'wage', treatment: 'arm', estimator: 'dim' }, text)).toThrow('The file has no column "wage" (columns: arm, saved).');
    const dir = mkdtempSync(join(tmpdir(), 'sauti-analyze-'));
    writeFileSync(join(dir, 'x.csv'), text);
    const run = spawnSync(process.execPath, ['cli/sauti.mjs', 'analyze', '--csv', join(dir, 'x.csv'), '--outcome', 'saved', '--treatment', 'arm', '--format', 'json'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout))).toEqual(expect.arrayContaining(['estimate', 'std_error', 'df', 'p_value', 'ci_lower', 'ci_upper', 'n_treated', 'n_control']));
  });
});
