import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { lineChart } from '../../functions/core/impact/html.js';
import { baselineEstimates, type BaselineEstimates } from '../../functions/core/stats/icc.js';
import { mdeAnalytic, mdeTable, type MdeResult, type MdeTableRow, type PowerDesign } from '../../functions/core/stats/power.js';
import { simulatePower, type PowerSimulation } from '../../functions/core/stats/power-simulate.js';
import { CliError } from '../client.js';
import { readText } from '../files.js';
import { num, print, printJson, table } from '../format.js';

/**
 * `sauti power`: before randomizing, how large an effect the planned study can detect. The MDE
 * analytically (design effect, df from the number of clusters, covariate adjustment) and by
 * simulation through the study's own assignment and CR2 estimator, side by side, and a table of
 * MDE against the number of factories and workers per factory. With --baseline (the enrolment CSV)
 * the ICC, R², SD, clusters, cluster size and blocks come from the data, unless given.
 */
export interface PowerOptions {
  clusters?: string;
  clusterSize?: string;
  blocks?: string;
  ratio: string;
  icc?: string;
  r2?: string;
  sd?: string;
  response: string;
  attrition: string;
  alpha: string;
  power: string;
  baseline?: string;
  outcome?: string;
  clusterColumn: string;
  blockColumn: string;
  covariates?: string;
  tableClusters: string;
  tableSizes: string;
  simulate: string;
  seed: string;
  chart?: string;
}

export interface PowerReport {
  design: PowerDesign;
  baseline?: BaselineEstimates & { outcome: string; covariates: string[] };
  analytic: MdeResult;
  simulation?: PowerSimulation & { seed: number };
  table: MdeTableRow[];
}

const number = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} must be a number, not "${v}".`);
  return n;
};
const list = (v: string, flag: string): number[] => v.split(',').map((x) => number(x.trim(), flag) as number);

function fromBaseline(opts: PowerOptions, text: string): PowerReport['baseline'] & { sizes: number; strata: number } {
  if (!opts.outcome) throw new Error('--baseline needs --outcome (the baseline measure of the outcome, e.g. wage or savings).');
  const rows = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const header = Object.keys(rows[0] ?? {});
  const covariates = (opts.covariates ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  for (const col of [opts.outcome, opts.clusterColumn, ...covariates]) if (!header.includes(col)) throw new Error(`The baseline file has no column "${col}" (columns: ${header.join(', ')}).`);
  const ok = (v: string | undefined) => v !== undefined && v !== '' && Number.isFinite(Number(v));
  const used = rows.filter((r) => ok(r[opts.outcome as string]) && r[opts.clusterColumn] && covariates.every((c) => ok(r[c])));
  const est = baselineEstimates(
    used.map((r) => Number(r[opts.outcome as string])),
    used.map((r) => r[opts.clusterColumn] as string),
    covariates.length > 0 ? Object.fromEntries(covariates.map((c) => [c, used.map((r) => Number(r[c]))])) : undefined,
  );
  const strata = header.includes(opts.blockColumn) ? new Set(rows.map((r) => r[opts.blockColumn])).size : 1;
  // Cluster size: everyone enrolled (response and attrition come on top).
  const sizes = Math.round(rows.filter((r) => r[opts.clusterColumn]).length / est.clusters);
  return { ...est, outcome: opts.outcome, covariates, sizes, strata };
}

export function powerReport(opts: PowerOptions, baselineText?: string): PowerReport {
  const base = baselineText !== undefined ? fromBaseline(opts, baselineText) : undefined;
  const [t, c] = opts.ratio.split(':').map(Number);
  if (!(t !== undefined && c !== undefined && t > 0 && c > 0)) throw new Error(`--ratio must be treated:control, e.g. 1:1, not "${opts.ratio}".`);
  const clusters = number(opts.clusters, '--clusters') ?? base?.clusters;
  const clusterSize = number(opts.clusterSize, '--cluster-size') ?? base?.sizes;
  const icc = number(opts.icc, '--icc') ?? base?.icc;
  if (clusters === undefined || clusterSize === undefined || icc === undefined) {
    throw new Error('Give --clusters, --cluster-size and --icc, or --baseline <enrolment CSV> --outcome <column> to estimate them.');
  }
  const r2 = number(opts.r2, '--r2') ?? base?.r2 ?? 0;
  const sd = number(opts.sd, '--sd') ?? base?.sd ?? 1;
  const design: PowerDesign = {
    clusters,
    clusterSize,
    blocks: number(opts.blocks, '--blocks') ?? base?.strata ?? 1,
    treatedShare: t / (t + c),
    icc,
    r2,
    sd,
    response: number(opts.response, '--response') as number,
    attrition: number(opts.attrition, '--attrition') as number,
    alpha: number(opts.alpha, '--alpha') as number,
    power: number(opts.power, '--power') as number,
  };
  const analytic = mdeAnalytic(design);
  const S = number(opts.simulate, '--simulate') as number;
  const seed = number(opts.seed, '--seed') as number;
  const report: PowerReport = {
    design,
    ...(base ? { baseline: { n: base.n, clusters: base.clusters, icc: base.icc, sd: base.sd, mean: base.mean, ...(base.r2 !== undefined ? { r2: base.r2 } : {}), outcome: base.outcome, covariates: base.covariates } } : {}),
    analytic,
    table: mdeTable(design, list(opts.tableClusters, '--table-clusters'), list(opts.tableSizes, '--table-sizes')),
  };
  if (S > 0) report.simulation = { ...simulatePower(design, { simulations: S, seed }), seed };
  return report;
}

/** The table as a chart: MDE against the number of clusters, one line per cluster size (standalone SVG). */
export function powerChart(r: PowerReport): string {
  const sizes = [...new Set(r.table.map((row) => row.clusterSize))];
  const svg = lineChart({
    title: 'Minimum detectable effect by number of clusters',
    xLabel: 'clusters randomized',
    yLabel: r.design.sd === 1 && !r.baseline ? 'MDE (SD)' : 'MDE',
    seriesOf: 'cluster size',
    series: sizes.map((m) => ({ name: `${m} per cluster`, points: r.table.filter((row) => row.clusterSize === m).map((row) => ({ x: row.clusters, y: row.mde })) })),
  });
  return svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ');
}

function printReport(r: PowerReport): void {
  const d = r.design;
  const unit = d.sd === 1 && !r.baseline ? 'SD' : `(${num(r.analytic.mdeSd, 3)} SD)`;
  const mde = (v: number) => (d.sd === 1 && !r.baseline ? `${num(v, 3)} SD` : num(v, 1));
  if (r.baseline) {
    const b = r.baseline;
    print(`Baseline (${b.outcome}, ${b.n} people in ${b.clusters} clusters): ICC ${num(b.icc, 3)}, SD ${num(b.sd, 1)}, mean ${num(b.mean, 1)}${b.r2 !== undefined ? `, R² ${num(b.r2, 3)} on ${b.covariates.join(', ')}` : ''}`);
  }
  print(
    `Design: ${d.clusters} clusters (${r.analytic.treatedClusters} treated, ${r.analytic.controlClusters} control) in ${d.blocks ?? 1} block(s), ${d.clusterSize} enrolled each, ${num(r.analytic.answering, 1)} expected to answer (response ${num(d.response, 2)}, attrition ${num(d.attrition, 2)}); ICC ${num(d.icc, 3)}, R² ${num(d.r2, 3)}, alpha ${num(d.alpha, 3)}, power ${num(d.power, 2)}`,
    `Analytic MDE: ${mde(r.analytic.mde)} ${d.sd === 1 && !r.baseline ? '' : unit} (multiplier ${num(r.analytic.multiplier, 3)} on df ${r.analytic.df}, SE ${num(r.analytic.se, 3)}, design effect ${num(r.analytic.designEffect, 2)})`.replace('  (', ' ('),
  );
  if (r.simulation) {
    const s = r.simulation;
    print(`Simulated (${s.simulations} replications through the study's assignment and CR2, seed ${s.seed}): power at the analytic MDE ${num(s.power, 3)} ± ${num(s.mcSe, 3)}; MDE ${mde(s.mde)} ± ${num(s.mdeSe, 3)}${s.failed > 0 ? `; ${s.failed} replication(s) failed` : ''}`);
  }
  const sizes = [...new Set(r.table.map((row) => row.clusterSize))];
  const clusters = [...new Set(r.table.map((row) => row.clusters))];
  print('', `MDE by number of clusters (rows) and people enrolled per cluster (columns)${d.sd === 1 && !r.baseline ? ', in SD' : ''}:`);
  print(
    table(
      ['clusters', ...sizes.map((m) => ({ header: String(m), align: 'right' as const }))],
      clusters.map((J) => [String(J), ...sizes.map((m) => {
        const row = r.table.find((x) => x.clusters === J && x.clusterSize === m);
        return row?.mde === null || row === undefined ? '–' : num(row.mde, d.sd === 1 && !r.baseline ? 3 : 1);
      })]),
    ),
  );
  const why = [...new Set(r.table.filter((x) => x.why).map((x) => x.why as string))];
  for (const w of why) print(`–: ${w}`);
}

export function powerCommand(program: Command): void {
  program
    .command('power')
    .summary('Minimum detectable effect of a planned study, analytic and simulated, offline')
    .description('Power and minimum detectable effect (MDE) before randomizing: analytically (design effect, df from the number of clusters, covariate adjustment) and by simulation through the study\'s own assignment and CR2 estimator, with a table of MDE against clusters and cluster size')
    .option('--clusters <J>', 'clusters (factories) to randomize')
    .option('--cluster-size <m>', 'people enrolled per cluster')
    .option('--blocks <B>', 'strata the clusters are blocked in')
    .option('--ratio <t:c>', 'treated:control ratio', '1:1')
    .option('--icc <rho>', 'intra-cluster correlation of the outcome, in [0, 1)')
    .option('--r2 <R2>', 'share of the outcome\'s variance the baseline covariates explain, in [0, 1)')
    .option('--sd <sigma>', 'outcome SD (the MDE is then in outcome units)')
    .option('--response <share>', 'expected share who answer the follow-up', '1')
    .option('--attrition <share>', 'expected share lost before follow-up', '0')
    .option('--alpha <a>', 'two-sided significance level', '0.05')
    .option('--power <p>', 'target power', '0.8')
    .option('--baseline <csv>', 'enrolment CSV with baseline data: ICC, SD, R², clusters, size and blocks are estimated from it')
    .option('--outcome <col>', 'baseline measure of the outcome in --baseline')
    .option('--cluster-column <col>', 'cluster column in --baseline', 'cluster')
    .option('--block-column <col>', 'stratum column in --baseline', 'stratum')
    .option('--covariates <a,b,...>', 'covariates in --baseline the analysis will adjust for (gives R²)')
    .option('--table-clusters <list>', 'numbers of clusters for the table', '10,16,20,24,30,40')
    .option('--table-sizes <list>', 'people per cluster for the table', '10,25,50')
    .option('--simulate <S>', 'simulation replications (0: analytic only)', '1000')
    .option('--seed <n>', 'seed of the simulation', '1')
    .option('--chart <file.svg>', 'also write the table as a chart (SVG)')
    .action(async (opts: PowerOptions, cmd: Command) => {
      const text = opts.baseline !== undefined ? await readText(opts.baseline, 'baseline CSV') : undefined;
      let report: PowerReport;
      try {
        report = powerReport(opts, text);
      } catch (err) {
        throw new CliError([err instanceof Error ? err.message : String(err)]);
      }
      if (opts.chart) writeFileSync(opts.chart, `${powerChart(report)}\n`);
      if ((cmd.optsWithGlobals() as { format?: string }).format === 'table') printReport(report);
      else printJson(report);
    });
}
