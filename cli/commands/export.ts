import type { Command } from 'commander';
import { DATASETS } from '../../functions/core/export/variables.js';
import { contextOf, seg } from '../context.js';
import { print, printJson, waiting } from '../format.js';

/** `sauti export <study> --dataset …`: a CSV and its codebook, written by the stack (a file locally, a link in AWS). */
export function exportCommand(program: Command): void {
  program
    .command('export')
    .summary('Export a dataset as CSV with its codebook (pseudonymous ids)')
    .description('Export a dataset of a study as CSV (RFC 4180, UTF-8) with a JSON and Markdown codebook (POST /studies/{id}/exports)')
    .argument('<study>', 'study id')
    .requiredOption('--dataset <name>', `one of: ${DATASETS.join(', ')}`)
    .option('--bom', 'start the CSV with a byte-order mark, for Excel')
    .option('--include-phone', 'add phone numbers (admin only; the request is logged)')
    .addHelpText('after', '\nParticipants appear by a pseudonymous id (a keyed hash of the phone, per study). Locally the files are written\nunder .data/exports/; a deployment answers with a link valid for 15 minutes.')
    .action(async (study: string, opts: { dataset: string; bom?: boolean; includePhone?: boolean }, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      if (!(DATASETS as readonly string[]).includes(opts.dataset)) throw new Error(`--dataset must be one of ${DATASETS.join(', ')}.`);
      const res = await waiting('Exporting', client.post<{ dataset: string; rows: number; file?: string; url?: string; codebook?: unknown }>(`/studies/${seg(study)}/exports`, {
        dataset: opts.dataset, bom: Boolean(opts.bom), includePhone: Boolean(opts.includePhone),
      }));
      if (format === 'json') return printJson(res);
      print(`${res.rows} row(s) of ${res.dataset}: ${res.file ?? res.url}`);
    });
}
