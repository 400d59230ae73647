import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Content } from '../content/schema.js';
import type { Study } from '../model.js';
import type { Logger } from '../ports/logger.js';
import { buildCodebook, codebookMarkdown } from './codebook.js';
import { CSV_CONTENT_TYPE, csvStream } from './csv.js';
import { planDataset } from './datasets.js';
import type { ExportSink, ExportSource, StoredFile } from '../ports/exports.js';
import type { Dataset, Row } from './variables.js';

export interface ExportRequest {
  study: Study;
  dataset: Dataset;
  /** Start the CSV with a UTF-8 byte-order mark (Excel). */
  bom: boolean;
  /** Add the `phone` column. The caller checks the role (admins only) before asking. */
  includePhone: boolean;
  /** Who asked, for the codebook and the audit log: a label, and the immutable id (log only). */
  by: string;
  byId?: string;
  now: Date;
}

export interface ExportDeps {
  source: ExportSource;
  sink: ExportSink;
  content: Pick<Content, 'diary' | 'modules' | 'complaints'>;
  /** The study's pseudonym key (pseudonym.ts, studyKey). */
  key: Uint8Array;
  log?: Logger;
}

export interface ExportResult {
  dataset: Dataset;
  rows: number;
  csv: StoredFile;
  codebook: { json: StoredFile; md: StoredFile };
}

/** `2026-11-24T09:00:00.000Z` → `2026-11-24T09-00-00-000Z`: sortable, and safe in any file system. */
export const fileStamp = (d: Date): string => d.toISOString().replace(/[:.]/g, '-');

/**
 * One export: the dataset's rows streamed as CSV into the sink (constant memory: rows are
 * made as the sink takes them, never gathered), then its codebook as JSON and Markdown.
 * Every export is logged with who, when and what; one with phone numbers is logged as such
 * (never the numbers).
 */
export async function runExport(req: ExportRequest, deps: ExportDeps): Promise<ExportResult> {
  const plan = planDataset(req.dataset, { study: req.study, content: deps.content, key: deps.key, includePhone: req.includePhone, now: req.now }, deps.source);
  // A file with phone numbers gets an unguessable name (128 random bits), so knowing when an
  // admin exported is not enough to fetch it; it also gets no `-latest` alias (see latestName).
  const base = req.includePhone
    ? `${req.study.studyId}/${req.dataset}-with-phones-${fileStamp(req.now)}-${randomBytes(16).toString('hex')}`
    : `${req.study.studyId}/${req.dataset}-${fileStamp(req.now)}`;
  const counter = { rows: 0 };
  const body = csvBody(counted(plan.rows, counter), plan.variables.map((v) => v.name), req.bom);
  const csv = await deps.sink.write(`${base}.csv`, CSV_CONTENT_TYPE, body);

  const codebook = buildCodebook({
    dataset: req.dataset,
    variables: plan.variables,
    study: req.study,
    content: deps.content,
    generatedAt: req.now.toISOString(),
    generatedBy: req.by,
    rows: counter.rows,
    file: `${base.split('/').pop()}.csv`,
    bom: req.bom,
    includePhone: req.includePhone,
  });
  const json = await deps.sink.write(`${base}.codebook.json`, 'application/json; charset=utf-8', Readable.from([`${JSON.stringify(codebook, null, 2)}\n`]));
  const md = await deps.sink.write(`${base}.codebook.md`, 'text/markdown; charset=utf-8', Readable.from([codebookMarkdown(codebook)]));

  const audit = { studyId: req.study.studyId, dataset: req.dataset, rows: counter.rows, by: req.by, ...(req.byId ? { byId: req.byId } : {}), at: req.now.toISOString(), includePhone: req.includePhone, location: csv.location };
  if (req.includePhone) deps.log?.warn('export with phone numbers', { ...audit, audit: 'export-phone-numbers' });
  else deps.log?.info('export', { ...audit, audit: 'export' });
  return { dataset: req.dataset, rows: counter.rows, csv, codebook: { json, md } };
}

async function* counted(batches: AsyncIterable<readonly Row[]>, counter: { rows: number }): AsyncGenerator<readonly Row[]> {
  for await (const batch of batches) {
    counter.rows += batch.length;
    yield batch;
  }
}

/** The rows as a CSV byte stream (csv.ts), pulled as fast as the sink reads. */
export function csvBody(rows: AsyncIterable<readonly Row[]>, columns: readonly string[], bom: boolean): Readable {
  return csvStream(rows, columns, { bom });
}
