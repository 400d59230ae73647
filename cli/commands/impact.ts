import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ImpactReport } from '../../functions/core/impact/report.js';
import { contextOf, seg } from '../context.js';
import { num, print, printJson, pValue, table, waiting } from '../format.js';

/** `sauti impact <study>`: estimates over the API, written as JSON and a self-contained HTML report. */
export function impactCommand(program: Command): void {
  program
    .command('impact')
    .summary('Impact estimates: writes report.json and report.html')
    .description('Estimate the impact of a study (POST /studies/{id}/impact) and write the JSON result and a self-contained HTML report')
    .argument('<study>', 'study id')
    .option('--out <dir>', 'folder for <study>-impact.json and <study>-impact.html', '.')
    .option('--ri', 'add randomization-inference p-values (re-running the study\'s randomization; exact when at most 100,000 assignments, else 10,000 seeded permutations)')
    .addHelpText(
      'after',
      `
Intention-to-treat is the headline: difference in means (blocked when randomized by stratum),
or CR2 cluster-robust regression when whole clusters were randomized; OLS with HC2 and the
baseline (ANCOVA) next to it; Benjamini-Hochberg across outcomes; Lee bounds when response
differs by arm; the complier effect (2SLS) as an extra. Response rates by arm and week, the
attrition test and the balance table come with every report. The HTML opens offline.`,
    )
    .action(async (study: string, opts: { out: string; ri?: boolean }, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await waiting('Estimating', client.post<{ report: ImpactReport; html: string }>(`/studies/${seg(study)}/impact${opts.ri ? '?ri=1' : ''}`, {}));
      const dir = resolve(opts.out);
      mkdirSync(dir, { recursive: true });
      const jsonFile = join(dir, `${study}-impact.json`);
      const htmlFile = join(dir, `${study}-impact.html`);
      writeFileSync(jsonFile, `${JSON.stringify(res.report, null, 2)}\n`);
      writeFileSync(htmlFile, res.html);
      if (format === 'json') return printJson({ json: jsonFile, html: htmlFile, comparisons: res.report.comparisons.length });
      for (const c of res.report.comparisons) {
        print(`${c.treatmentArm} vs ${c.controlArm} (intention to treat)`);
        print(
          table(
            ['outcome', 'estimator', { header: 'estimate', align: 'right' }, { header: '95% CI', align: 'right' }, { header: 'p', align: 'right' }, { header: 'p (BH)', align: 'right' }, ...(opts.ri ? [{ header: 'p (RI)', align: 'right' as const }] : [])],
            c.outcomes
              .filter((o) => o.headline)
              .map((o) => {
                const h = o.headline as NonNullable<typeof o.headline>;
                const ri = h.estimator === 'cr2' ? o.ri?.cr2 : o.ri?.dim;
                const riCell = ri ? `${pValue(ri.p)} (${ri.exact ? `exact, ${ri.permutations}` : `MC ${ri.permutations}, SE ${num(ri.mcSe, 4)}`})` : '';
                return [o.label, h.estimator, num(h.estimate, 3), `${num(h.ciLower, 3)} to ${num(h.ciUpper, 3)}`, pValue(h.p), h.pAdjusted === null ? '' : pValue(h.pAdjusted), ...(opts.ri ? [riCell] : [])];
              }),
          ),
        );
        for (const o of c.outcomes) for (const n of o.notes) print(`Note (${o.label}): ${n}`);
      }
      print(`Wrote ${jsonFile}\nWrote ${htmlFile}`);
    });
}
