import { type Command, InvalidArgumentError } from 'commander';
import { parse } from 'csv-parse/sync';
import { ApiError, CliError, type SautiClient } from '../client.js';
import { contextOf, seg } from '../context.js';
import { readText } from '../files.js';
import { print, printJson, progressBar, waiting } from '../format.js';

/**
 * `sauti enrol <study> <file.csv>`: the whole file is checked first (a dry run on the server,
 * which reports every bad row), and only then imported, in chunks of rows for large files so
 * no request is too big or too slow for API Gateway, with a progress bar.
 */

interface ImportResult {
  valid: number;
  created: number;
  existing: number;
}

/** Rows a request: a chunk is imported well within API Gateway's 30 s on DynamoDB (and on DynamoDB Local). */
export const DEFAULT_CHUNK_ROWS = 1_000;

export function enrolCommand(program: Command): void {
  program
    .command('enrol')
    .alias('enroll')
    .summary('Enrol participants from a CSV file (checked first; a re-run adds nobody)')
    .description('Enrol participants from a CSV file (POST /studies/{id}/participants/import)')
    .argument('<study>', 'study id')
    .argument('<file.csv>', 'one participant a row, with a header row')
    .option('--dry-run', 'only check the file: report every bad row, import nobody')
    .option('--chunk-rows <n>', 'rows a request: a file of more than twice this many rows is imported in chunks of this many rows (each with the header), after the whole file passed the check', positiveInt, DEFAULT_CHUNK_ROWS)
    .addHelpText(
      'after',
      `
Columns (header row, any order): phone (required), language, stratum, cluster,
consent (consented | pending), consent_version (needed when consented), channel (sms | ussd);
any other column is a baseline covariate (used by \`sauti balance\` when numeric).

The whole file is checked first: if any row is wrong, each is printed as
"line N: field: message" and nobody is imported. Then it is imported: a large file (over
2,000 rows by default) in chunks, with a progress bar, and the created / existing totals.
Idempotent: a number already enrolled is left as it is, so a re-run of the same file adds
nobody (0 created); re-running after an interrupted import finishes it.`,
    )
    .action(async (study: string, file: string, opts: { dryRun?: boolean; chunkRows: number }, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const csv = await readText(file, 'CSV file');
      const path = `/studies/${seg(study)}/participants/import`;
      const checked = await waiting(`Checking ${file}`, importCsv(client, path, csv, true, 0));
      if (opts.dryRun) {
        if (format === 'json') return printJson(checked);
        return print(`${checked.valid} row(s) are valid; nothing was imported (dry run).`);
      }
      const chunks = checked.valid > 2 * opts.chunkRows ? splitCsv(csv, opts.chunkRows) : [{ csv, firstRecord: 0 }];
      let total: ImportResult;
      if (chunks.length === 1) {
        total = await waiting(`Importing ${checked.valid} row(s)`, importCsv(client, path, csv, false, 0));
      } else {
        total = { valid: 0, created: 0, existing: 0 };
        const bar = progressBar(checked.valid, 'rows', (p) => `chunk ${p.chunk}/${chunks.length}: ${p.created} created, ${p.existing} existing`);
        try {
          for (const [i, chunk] of chunks.entries()) {
            const r = await importCsv(client, path, chunk.csv, false, chunk.firstRecord);
            total = { valid: total.valid + r.valid, created: total.created + r.created, existing: total.existing + r.existing };
            bar.update(total.valid, { chunk: i + 1, created: total.created, existing: total.existing });
          }
        } catch (err) {
          bar.stop();
          const lines = err instanceof CliError ? err.lines : [String(err)];
          throw new CliError([...lines, `Stopped after ${total.valid} of ${checked.valid} rows (${total.created} created). Run the same command again to finish: rows already enrolled are skipped.`]);
        }
        bar.stop();
      }
      if (format === 'json') return printJson(total);
      print(`${total.created} created, ${total.existing} existing (already enrolled, left as they were), ${total.valid} row(s) in all.`);
    });
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of rows, at least 1.');
  return n;
}

/**
 * One import request. `firstRecord` is the index (0-based, header excluded) in the whole file
 * of the chunk's first row, so a problem the server reports by chunk line is told by file line.
 */
async function importCsv(client: SautiClient, path: string, csv: string, dryRun: boolean, firstRecord: number): Promise<ImportResult> {
  try {
    return await client.post<ImportResult>(path, { csv, dryRun });
  } catch (err) {
    if (!(err instanceof ApiError) || firstRecord === 0) throw err;
    const shift = (field: string) => field.replace(/^line (\d+)(?=:)/, (_, n: string) => `line ${Number(n) + firstRecord}`);
    throw new ApiError(err.status, err.error, err.problems.map((p) => ({ field: shift(p.field), message: p.message })));
  }
}

/**
 * The file as chunks of at most `rows` rows, each with the header row; one chunk (the file as
 * it is) when it has no more rows than that. Records are split as the server parses them, so
 * a quoted cell over several lines stays whole and row numbers match the server's.
 */
export function splitCsv(text: string, rows: number): { csv: string; firstRecord: number }[] {
  let records: { raw: string }[];
  try {
    // csv-parse's types do not model `raw: true` (each record becomes `{ record, raw }`): checked here.
    const parsed: unknown[] = parse(text.replace(/^\uFEFF/, ''), { raw: true, relax_column_count: true, skip_empty_lines: true, trim: true });
    records = parsed.filter((r): r is { raw: string } => typeof r === 'object' && r !== null && typeof (r as { raw?: unknown }).raw === 'string');
    if (records.length !== parsed.length) return [{ csv: text, firstRecord: 0 }];
  } catch {
    // The server's dry run has read it; if this cannot, send it whole and let the server say.
    return [{ csv: text, firstRecord: 0 }];
  }
  const [header, ...body] = records;
  if (!header || body.length <= rows) return [{ csv: text, firstRecord: 0 }];
  const line = (raw: string) => (raw.endsWith('\n') ? raw : `${raw}\n`);
  const chunks: { csv: string; firstRecord: number }[] = [];
  for (let i = 0; i < body.length; i += rows) {
    chunks.push({ csv: line(header.raw.replace(/^\s+/, '')) + body.slice(i, i + rows).map((r) => line(r.raw)).join(''), firstRecord: i });
  }
  return chunks;
}
