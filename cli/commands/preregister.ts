import { riDrawOptions } from './analyze-ri.js';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { freezePreregistration, hashPlan, type Preregistration, type PreregistrationPlan } from '../../functions/core/impact/preregistration.js';
import type { OutcomeDefinition } from '../../functions/core/impact/outcomes.js';
import type { Study } from '../../functions/core/model.js';
import { METHODS, type RandomizationMethod } from '../../functions/core/randomize/design.js';
import { CliError } from '../client.js';
import { readJson } from '../files.js';
import { print, printJson } from '../format.js';

/**
 * `sauti preregister`: freeze the plan before the first prompt (design with method, seed and
 * algorithm version; outcomes; the power calculation; the analysis plan with RI settings) as
 * canonical JSON with its SHA-256, offline; `--verify` recomputes the hash of a snapshot.
 */
interface PreregisterOptions {
  study?: string;
  method?: string;
  seed?: string;
  outcomes?: string;
  power?: string;
  alpha: string;
  riLimit: string;
  riPermutations: string;
  riSeed: string;
  out?: string;
  verify?: string;
}

const whole = (v: string, flag: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError([`${flag} must be a whole number, not "${v}".`]);
  return n;
};

export function preregisterCommand(program: Command): void {
  riDrawOptions(program.command('preregister'))
    .summary('Freeze and hash the pre-registration (design, outcomes, power, analysis plan), offline')
    .description('Write the pre-registration snapshot as canonical JSON with its SHA-256 (the impact report cites the hash and lists deviations), or --verify one')
    .option('--study <file.json>', 'the study definition (arms, ratios; its outcomes unless --outcomes)')
    .option('--method <method>', `randomization method: ${METHODS.join(' | ')}`)
    .option('--seed <n>', 'the randomization seed that will be used')
    .option('--outcomes <file.json>', 'pre-specified outcomes (default: the study\'s, or the demo diary\'s)')
    .option('--power <file.json>', 'the power calculation (sauti power --format json)')
    .option('--alpha <a>', 'significance level', '0.05')
    .option('--out <file.json>', 'where to write the snapshot (default: print it)')
    .option('--verify <file.json>', 'check that a snapshot still matches its hash')
    .action(async (opts: PreregisterOptions, cmd: Command) => {
      const format = (cmd.optsWithGlobals() as { format?: string }).format;
      if (opts.verify) {
        const snap = (await readJson(opts.verify, 'pre-registration')) as Preregistration;
        if (!snap || typeof snap !== 'object' || typeof snap.hash !== 'string' || !snap.plan) throw new CliError([`${opts.verify} is not a pre-registration snapshot (no plan and hash).`]);
        const actual = hashPlan(snap.plan as PreregistrationPlan);
        if (actual !== snap.hash) throw new CliError([`${opts.verify} was changed after it was frozen: its plan hashes to sha256:${actual}, not sha256:${snap.hash}.`]);
        return format === 'json' ? printJson({ hash: snap.hash, intact: true }) : print(`sha256:${snap.hash} intact`);
      }
      if (!opts.study || !opts.method || opts.seed === undefined) throw new CliError(['preregister needs --study, --method and --seed (the randomization that will be run).']);
      if (!METHODS.includes(opts.method as RandomizationMethod)) throw new CliError([`--method must be one of ${METHODS.join(', ')}, not "${opts.method}".`]);
      const study = (await readJson(opts.study, 'study')) as Study;
      if (!study || !Array.isArray(study.arms) || typeof study.studyId !== 'string') throw new CliError([`${opts.study} is not a study definition (studyId and arms).`]);
      const outcomes = opts.outcomes ? ((await readJson(opts.outcomes, 'outcomes')) as OutcomeDefinition[]) : undefined;
      const power = opts.power ? await readJson(opts.power, 'power calculation') : undefined;
      const alpha = Number(opts.alpha);
      if (!(alpha > 0 && alpha < 1)) throw new CliError([`--alpha must be between 0 and 1, not "${opts.alpha}".`]);
      const snapshot = freezePreregistration({
        study,
        method: opts.method as RandomizationMethod,
        seed: whole(opts.seed, '--seed'),
        ...(outcomes ? { outcomes } : {}),
        alpha,
        ri: { limit: whole(opts.riLimit, '--ri-limit'), permutations: whole(opts.riPermutations, '--ri-permutations'), seed: whole(opts.riSeed, '--ri-seed') },
        ...(power !== undefined ? { power } : {}),
      });
      if (opts.out) writeFileSync(opts.out, `${JSON.stringify(snapshot, null, 2)}\n`);
      if (format === 'json' && !opts.out) printJson(snapshot);
      else print(`sha256:${snapshot.hash}${opts.out ? ` (written to ${opts.out})` : ''}`);
    });
}
