import type { Command } from 'commander';
import { contextOf, seg } from '../context.js';
import { print, printJson, waiting } from '../format.js';

/** `sauti simulate <study>`: synthetic diaries in the local stack, to try the research workflow end to end. */
export function simulateCommand(program: Command): void {
  program
    .command('simulate')
    .summary('Local stack only: synthetic diaries for the last N weeks (admin)')
    .description('Fill the last N weeks of a study with synthetic diaries (POST /studies/{id}/simulate), with a planted savings effect in the treatment arm; the local stack only, never a deployment')
    .argument('<study>', 'study id')
    .option('--weeks <n>', 'weeks, up to the current one', '8')
    .option('--seed <n>', 'seed of the simulation', '1')
    .option('--effect <amount>', 'extra saved a week in the treatment arm', '300')
    .action(async (study: string, opts: { weeks: string; seed: string; effect: string }, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const body = { weeks: Number(opts.weeks), seed: Number(opts.seed), savingsEffect: Number(opts.effect) };
      const res = await waiting('Simulating', client.post<{ weeks: string[]; written: number; kept: number }>(`/studies/${seg(study)}/simulate`, body));
      if (format === 'json') return printJson(res);
      print(`${res.written} diary week(s) written for ${res.weeks[0]} to ${res.weeks.at(-1)}; ${res.kept} already there, left as they were.`);
    });
}
