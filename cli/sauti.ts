/**
 * `sauti`: the command line for Sauti's admin API (/api/v1), against the local stack
 * (`npm start`) or a deployment. Started by cli/sauti.mjs (`npx sauti …`).
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { DEFAULT_URL } from './client.js';
import { analyzeCommand } from './commands/analyze.js';
import { balanceCommand } from './commands/balance.js';
import { exportCommand } from './commands/export.js';
import { simulateCommand } from './commands/simulate.js';
import { campaignCommands } from './commands/campaigns.js';
import { enrolCommand } from './commands/enrol.js';
import { impactCommand } from './commands/impact.js';
import { outboxCommands } from './commands/outbox.js';
import { powerCommand } from './commands/power.js';
import { preregisterCommand } from './commands/preregister.js';
import { randomizeCommands } from './commands/randomize.js';
import { studyCommands } from './commands/studies.js';
import { defaultFormat, FORMATS, printError } from './format.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('sauti')
  .version(version)
  .description("Sauti's admin API from the command line: studies, enrolment, randomization, balance, campaigns, outbox")
  .addOption(new Option('--url <url>', 'the Sauti stack (its root, or …/api/v1)').env('SAUTI_URL').default(DEFAULT_URL))
  .addOption(new Option('--token <token>', 'API token: local-researcher, local-ngo or local-admin on the local stack; a Cognito ID token when deployed').env('SAUTI_TOKEN'))
  .addOption(new Option('--format <format>', 'output: table on a terminal, json otherwise').choices(FORMATS).default(defaultFormat(), process.stdout.isTTY ? 'table (a terminal)' : 'json (not a terminal)'))
  .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Errors from the API are printed one per line (the field at fault first); the exit code is 1.

Examples (with the local stack: npm start):
  export SAUTI_TOKEN=local-researcher
  sauti studies
  sauti study create study.json
  sauti enrol mombasa-2027 participants.csv --dry-run
  sauti enrol mombasa-2027 participants.csv
  sauti randomize mombasa-2027 --method block --seed 20261124
  sauti balance mombasa-2027
  SAUTI_TOKEN=local-ngo sauti campaign preview athi-river-2026 campaign.json
  SAUTI_TOKEN=local-admin sauti outbox athi-river-2026 --phone +254700000001 --limit 5`,
  );

studyCommands(program);
enrolCommand(program);
randomizeCommands(program);
balanceCommand(program);
impactCommand(program);
exportCommand(program);
analyzeCommand(program);
powerCommand(program);
preregisterCommand(program);
simulateCommand(program);
campaignCommands(program);
outboxCommands(program);

// `sauti … | head` closes the pipe early: the reader has what it wanted, so stop quietly
// (exit 0, as `yes | head` does) instead of a stack trace from the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  printError(err);
}
