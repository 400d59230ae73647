import { type Command, InvalidArgumentError, Option } from 'commander';
import type { NothingToAssign, RandomizeOutcome, StoredRandomization } from '../../functions/core/randomize/study.js';
import { CliError } from '../client.js';
import { contextOf, seg } from '../context.js';
import { print, printJson, table, waiting } from '../format.js';

/** `sauti randomize <study> …` and `sauti randomizations <study>`. */

const METHODS = ['complete', 'block', 'cluster', 'block_cluster'] as const;
const MAX_SEED = 4_294_967_295;

function seed(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n > MAX_SEED) throw new InvalidArgumentError(`a whole number from 0 to ${MAX_SEED}.`);
  return n;
}

const countsLine = (run: StoredRandomization) => run.counts.map((c) => `${c.armId} ${c.n}${c.clusters === undefined ? '' : ` (${c.clusters} clusters)`}`).join(', ');

export function randomizeCommands(program: Command): void {
  program
    .command('randomize')
    .alias('randomise')
    .summary('Randomize a study (seeded, write-once), or assign late joiners (--rolling)')
    .description('Randomize the consented participants of a study, or assign late joiners (POST /studies/{id}/randomize)')
    .argument('<study>', 'study id')
    .addOption(new Option('--method <method>', 'complete, block (within strata), cluster, or block_cluster (clusters within strata)').choices(METHODS))
    .option('--seed <n>', `the random seed (0 to ${MAX_SEED}); a random one when left out (printed: keep it). Needed with --rolling`, seed)
    .option('--rolling', 'assign late joiners (consented after the randomization) by permuted blocks within their stratum; always with the same --seed')
    .addHelpText(
      'after',
      `
Randomization is write-once and audited: nobody's arm is ever changed, and a study is
randomized once; people who consent later are assigned with --rolling.
Keep the seed for the paper: with the same participants, method and seed the run is
reproduced exactly (and a run that stopped half-way is finished by running it again).

Examples:
  sauti randomize mombasa-2027 --method block --seed 20261124
  sauti randomize mombasa-2027 --rolling --seed 7`,
    )
    .action(async (study: string, opts: { method?: (typeof METHODS)[number]; seed?: number; rolling?: boolean }, cmd: Command) => {
      if (opts.rolling && opts.method) throw new CliError(['--rolling takes no --method: late joiners are assigned by permuted blocks within their stratum.']);
      if (opts.rolling && opts.seed === undefined) throw new CliError(['--rolling needs --seed: use the same seed every time (the first rolling run of the study fixes it).']);
      if (!opts.rolling && !opts.method) throw new CliError([`Choose --method (${METHODS.join(', ')}), or --rolling for late joiners.`]);
      const { client, format } = contextOf(cmd);
      const body = { ...(opts.method ? { method: opts.method } : {}), ...(opts.seed === undefined ? {} : { seed: opts.seed }), rolling: opts.rolling === true };
      const res = await waiting(opts.rolling ? 'Assigning late joiners' : 'Randomizing', client.post<RandomizeOutcome | NothingToAssign>(`/studies/${seg(study)}/randomize`, body));
      if (format === 'json') return printJson(res);
      if (!res.run) return print(res.message);
      const { run } = res;
      print(
        `Randomization ${run.randomizationId} (${run.kind === 'rolling' ? 'rolling enrolment' : run.method}), ${run.status}, by ${run.by} at ${run.at}.`,
        `Seed: ${run.seed}  (keep it for the paper: the same inputs and seed reproduce every assignment)`,
        `Assigned now: ${res.assigned}${res.kept > 0 ? `; kept (already assigned by this run before): ${res.kept}` : ''}.`,
        '',
        table(['arm', { header: 'n', align: 'right' }, { header: 'clusters', align: 'right' }], run.counts.map((c) => [c.armId, String(c.n), c.clusters === undefined ? '' : String(c.clusters)])),
      );
      if (run.byBlock.length > 0) {
        print('', table(['block', 'arm', { header: 'n', align: 'right' }, { header: 'clusters', align: 'right' }], run.byBlock.map((b) => [b.block, b.armId, String(b.n), b.clusters === undefined ? '' : String(b.clusters)])));
      }
      print('', `Inputs hash: ${run.inputsHash || '(rolling)'}; algorithm: ${run.algorithm}.`);
    });

  program
    .command('randomizations')
    .summary('The audit of every randomization run of a study')
    .description('The audit of every randomization run of a study: who, when, seed, inputs hash, counts (GET /studies/{id}/randomizations)')
    .argument('<study>', 'study id')
    .action(async (study: string, _opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await client.get<{ randomizations: StoredRandomization[] }>(`/studies/${seg(study)}/randomizations`);
      if (format === 'json') return printJson(res);
      if (res.randomizations.length === 0) return print(`${study} is not randomized yet: sauti randomize ${study} --method <method> --seed <n>`);
      print(
        table(
          ['id', 'kind', 'method', { header: 'seed', align: 'right' }, 'status', 'by', 'at', 'counts', 'inputs hash'],
          res.randomizations.map((r) => [r.randomizationId, r.kind, r.kind === 'rolling' ? '' : r.method, String(r.seed), r.status, r.by, r.at, countsLine(r), r.inputsHash.slice(0, 16)]),
        ),
      );
    });
}
