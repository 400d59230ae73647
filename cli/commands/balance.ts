import type { Command } from 'commander';
import type { ArmComparison } from '../../functions/core/stats/study-balance.js';
import { contextOf, seg } from '../context.js';
import { num, print, printJson, pValue, table } from '../format.js';

/** `sauti balance <study>`: the balance table of each treatment arm against the control arm. */

/** A common rule of thumb: a standardised difference above 0.1 is worth a look. */
const FLAG = 0.1;

export function balanceCommand(program: Command): void {
  program
    .command('balance')
    .summary('Balance table: means by arm, standardised differences, joint test')
    .description('Balance table of a randomized study (GET /studies/{id}/balance): per comparison, means by arm, standardised differences, joint Wald test')
    .argument('<study>', 'study id')
    .addHelpText(
      'after',
      `
Each treatment arm is compared with the control arm on the numeric baseline covariates
(CSV import columns, USSD baseline answers). Standardised differences with |d| > ${FLAG} are
flagged with "!". The joint test is a robust Wald test that all covariates are balanced
(cluster-robust when every participant has a cluster). A covariate known for fewer than 90%
of the people compared is skipped, with the reason.`,
    )
    .action(async (study: string, _opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await client.get<{ comparisons: ArmComparison[] }>(`/studies/${seg(study)}/balance`);
      if (format === 'json') return printJson(res);
      if (res.comparisons.length === 0) return print(`${study} has no treatment and control arms to compare.`);
      res.comparisons.forEach((c, i) => {
        if (i > 0) print('');
        print(`${c.treatmentArm} vs ${c.controlArm}: ${c.n1} treated, ${c.n0} control`);
        if (c.balance) {
          print(
            table(
              ['covariate', { header: 'mean treated', align: 'right' }, { header: 'mean control', align: 'right' }, { header: 'standardised difference', align: 'right' }, ''],
              c.balance.rows.map((r) => [r.name, num(r.mean1, 3), num(r.mean0, 3), num(r.stdDiff, 3), Math.abs(r.stdDiff) > FLAG ? `! |d| > ${FLAG}` : '']),
            ),
          );
          const j = c.balance.joint;
          print(`Joint test: F(${num(j.df1, 2)}, ${num(j.df2, 2)}) = ${num(j.F, 3)}, p = ${pValue(j.p)}`);
        }
        if (c.problem) print(`No table: ${c.problem}`);
        for (const s of c.skipped) print(`Skipped ${s.name}: ${s.reason}`);
      });
    });
}
