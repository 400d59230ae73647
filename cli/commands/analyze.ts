import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { differenceInMeans } from '../../functions/core/stats/dim.js';
import { designMatrix, lmRobust } from '../../functions/core/stats/ols.js';
import { print, printJson } from '../format.js';
import { analyzeRi, type AnalyzeRi, type RiCliOptions, type RiRow, riDrawOptions } from './analyze-ri.js';

/**
 * `sauti analyze`: the same estimators as the impact report, run offline on a frozen CSV (an
 * export, or any file): no stack, no token. One JSON object, so a replication script can read it.
 */
export interface AnalyzeOptions extends RiCliOptions {
  csv: string;
  outcome: string;
  treatment: string;
  block?: string;
  cluster?: string;
  covariates?: string;
  estimator: 'dim' | 'ols' | 'cr2';
  treatedValue?: string;
  /** Randomization inference beside the model-based p-value. */
  ri?: boolean;
}

export interface AnalyzeResult {
  estimator: string;
  estimate: number;
  std_error: number;
  df: number;
  p_value: number;
  ci_lower: number;
  ci_upper: number;
  n_treated: number;
  n_control: number;
  /** Rows left out for a missing or non-numeric outcome, treatment, covariate, block or cluster. */
  dropped: number;
  /** With --ri: the sharp-null p-value of the same estimator's statistic, and how it was obtained. */
  ri?: AnalyzeRi;
}

export function analyze(opts: AnalyzeOptions, text: string): AnalyzeResult {
  const records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const covariates = (opts.covariates ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  const header = Object.keys(records[0] ?? {});
  for (const col of [opts.outcome, opts.treatment, opts.block, opts.cluster, opts.id, ...covariates]) {
    if (col !== undefined && !header.includes(col)) throw new Error(`The file has no column "${col}" (columns: ${header.join(', ')}).`);
  }
  if (opts.estimator === 'cr2' && !opts.cluster) throw new Error('--estimator cr2 needs --cluster.');
  const isTreated = (v: string) => (opts.treatedValue !== undefined ? v === opts.treatedValue : ['1', 'true', 'treatment', 'treated'].includes(v.toLowerCase()));
  const isControl = (v: string) => (opts.treatedValue !== undefined ? v !== '' && v !== opts.treatedValue : ['0', 'false', 'control'].includes(v.toLowerCase()));
  const num = (v: string | undefined) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
  const rows = records.filter((r) => {
    const t = r[opts.treatment] ?? '';
    return num(r[opts.outcome]) !== undefined && (isTreated(t) || isControl(t)) && covariates.every((c) => num(r[c]) !== undefined)
      && (!opts.block || r[opts.block]) && (!opts.cluster || r[opts.cluster]);
  });
  const treatedRows = rows.filter((r) => isTreated(r[opts.treatment] ?? '')).length;
  if (treatedRows === 0 || treatedRows === rows.length) {
    const wanted = opts.treatedValue !== undefined ? `${opts.treatment} = ${opts.treatedValue}` : `${opts.treatment} = 1, true, treatment or treated`;
    const found = valueCounts(records, opts.treatment);
    if (treatedRows === 0) throw new Error(`no row has ${wanted}; values found: ${found || 'none'}${opts.treatedValue === undefined ? ' (say which with --treated-value)' : ''}.`);
    throw new Error(`every row with an outcome has ${wanted}: there is no control group; values found: ${found}.`);
  }
  const y = rows.map((r) => num(r[opts.outcome]) as number);
  const z = rows.map((r) => (isTreated(r[opts.treatment] ?? '') ? 1 : 0));
  const n1 = z.filter((v) => v === 1).length;
  const base = { n_treated: n1, n_control: z.length - n1, dropped: records.length - rows.length };
  const withRi = <T extends AnalyzeResult>(result: T): T => {
    if (!opts.ri) return result;
    // Every row of the design is re-randomized, with or without an outcome; only those with one enter the statistic.
    const idColumn = opts.id ?? (header.includes('pid') ? 'pid' : undefined);
    const design: RiRow[] = records.flatMap((r, i) => {
      const t = r[opts.treatment] ?? '';
      if (!(isTreated(t) || isControl(t)) || (opts.block && !r[opts.block]) || (opts.cluster && !r[opts.cluster])) return [];
      const complete = num(r[opts.outcome]) !== undefined && covariates.every((c) => num(r[c]) !== undefined);
      return [{
        id: idColumn ? (r[idColumn] ?? '') : `row-${String(i + 2).padStart(7, '0')}`,
        treated: isTreated(t),
        ...(opts.block ? { block: r[opts.block] as string } : {}),
        ...(opts.cluster ? { cluster: r[opts.cluster] as string } : {}),
        y: complete ? (num(r[opts.outcome]) as number) : null,
        covariates: complete ? Object.fromEntries(covariates.map((c) => [c, num(r[c]) as number])) : {},
      }];
    });
    return { ...result, ri: analyzeRi(opts, unitsOf(design, opts.riMethod), covariates) };
  };
  if (opts.estimator === 'dim') {
    const r = differenceInMeans({ y, z, ...(opts.block ? { blocks: rows.map((row) => row[opts.block as string] as string) } : {}) });
    return withRi({ estimator: opts.block ? 'blocked difference in means' : 'difference in means', estimate: r.estimate, std_error: r.se, df: r.df, p_value: r.p, ci_lower: r.ciLower, ci_upper: r.ciUpper, ...base });
  }
  const { X, names } = designMatrix(rows.map((row, i) => ({ z: z[i] as number, ...Object.fromEntries(covariates.map((c) => [c, num(row[c]) as number])) })), { intercept: true, treatment: 'z', covariates });
  const fit = lmRobust({ y, X, names, se: opts.estimator === 'cr2' ? 'CR2' : 'HC2', ...(opts.estimator === 'cr2' ? { clusters: rows.map((row) => row[opts.cluster as string] as string) } : {}) });
  const c = fit.coefficients.find((k) => k.term === 'z');
  if (!c) throw new Error('No treatment coefficient in the fit.');
  return withRi({ estimator: opts.estimator === 'cr2' ? 'OLS, CR2 cluster-robust' : 'OLS, HC2', estimate: c.estimate, std_error: c.se, df: c.df, p_value: c.p, ci_lower: c.ciLower, ci_upper: c.ciUpper, ...base });
}

/**
 * A panel (diary_wide has a row per participant and week) repeats each unit id. Where whole
 * clusters were randomized, every row of a cluster shares its arm and the procedure counts
 * clusters, not rows, so each row may stand as its own unit: the permutation distribution is the
 * same. Where people were randomized one by one, their rows must move together, which this
 * file-level test cannot do: it says so instead of treating weeks as people.
 */
function unitsOf(design: RiRow[], method: string | undefined): RiRow[] {
  const units = new Set(design.map((r) => r.id)).size;
  if (units === design.length) return design;
  if (method === 'cluster' || method === 'block_cluster') return design.map((r, i) => ({ ...r, id: `${r.id}#${i}` }));
  throw new Error(`--ri with --ri-method ${method ?? '(none)'}: the file has ${design.length} rows for ${units} units (a panel, such as diary_wide with a row per week); people randomized one by one need one row each (e.g. a participant-level file), or a cluster method if whole clusters were randomized.`);
}

/** `lessons (250), diary (250)`: what a column holds, most frequent first. */
function valueCounts(records: readonly Record<string, string>[], column: string): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r[column] ?? '', (counts.get(r[column] ?? '') ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v === '' ? '(empty)' : v} (${n})`).join(', ');
}

export function analyzeCommand(program: Command): void {
  riDrawOptions(program.command('analyze'))
    .summary('Estimate an effect from a CSV file, offline (same engine as impact)')
    .description('Estimate the effect of a treatment column on an outcome column of a CSV file (an export, frozen for replication), with the estimators of the impact report; prints one JSON object')
    .requiredOption('--csv <file>', 'the CSV file (header row)')
    .requiredOption('--outcome <col>', 'outcome column (numbers)')
    .requiredOption('--treatment <col>', 'treatment column: 1/0, true/false, treatment/control, or see --treated-value')
    .option('--treated-value <value>', 'the value of the treatment column that means treated (others: control)')
    .option('--block <col>', 'block (stratum) column: blocked difference in means')
    .option('--cluster <col>', 'cluster column (for --estimator cr2)')
    .option('--covariates <a,b,...>', 'covariate columns for ols / cr2')
    .option('--estimator <name>', 'dim | ols (HC2) | cr2 (cluster-robust, CR2 df)', 'dim')
    .option('--ri', 'also randomization inference: re-run the randomization procedure (--ri-method) and test the sharp null')
    .option('--ri-method <method>', 'how the study was randomized: complete | block (by --block) | cluster (by --cluster) | block_cluster')
    .option('--ri-ratio <t:c>', 'treated:control ratio of the randomization', '1:1')
    .option('--id <col>', 'unit id column for --ri (default: pid, else the row number)')
    .addHelpText('after', '\nRows with a missing outcome, treatment, covariate, block or cluster are left out and counted in "dropped".\nThe numbers match R\'s estimatr (difference_in_means, lm_robust HC2 / CR2).')
    .action((opts: AnalyzeOptions & { format?: string }, cmd: Command) => {
      // A bad option, a file that does not match the design, an estimator that cannot run: the
      // CLI's one error path (cli/format.ts printError) says it in one line, without a stack.
      if (!['dim', 'ols', 'cr2'].includes(opts.estimator)) throw new Error(`--estimator must be dim, ols or cr2, not "${opts.estimator}".`);
      const result: AnalyzeResult = analyze(opts, readFileSync(opts.csv, 'utf8'));
      const format = (cmd.optsWithGlobals() as { format?: string }).format;
      if (format === 'table') {
        print(`${result.estimator}: ${result.estimate.toFixed(4)} (SE ${result.std_error.toFixed(4)}, df ${result.df.toFixed(2)}), 95% CI ${result.ci_lower.toFixed(4)} to ${result.ci_upper.toFixed(4)}, p = ${result.p_value.toPrecision(3)}; ${result.n_treated} treated, ${result.n_control} control, ${result.dropped} dropped`);
        if (result.ri) print(`randomization inference (${result.ri.statistic}, ${result.ri.method}): ${result.ri.exact ? `p = ${result.ri.p_value.toPrecision(3)}, exact over ${result.ri.permutations.toLocaleString('en-US')} assignments` : `p = ${result.ri.p_value.toPrecision(3)} ± ${result.ri.mc_se.toPrecision(2)} (Monte Carlo SE), ${result.ri.permutations.toLocaleString('en-US')} permutations: ${result.ri.reason ?? ''}`}`);
      } else printJson(result);
    });
}
