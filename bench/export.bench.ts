/**
 * Research exports: time and memory of the export pipeline (rows made page by page, CSV,
 * the sink reading the stream), then of a real export from DynamoDB Local.
 *
 * 1. Pipeline: `diary_long` rows of a synthetic study (SyntheticExportSource, made on the fly)
 *    through runExport into a sink that reads and discards, at 1,000, 200,000 and 1,000,000
 *    rows (`SAUTI_BENCH_EXPORT_ROWS` sets the largest). Memory is sampled two ways: the raw
 *    heap on a timer (what the process uses, garbage included) and the live heap after a forced
 *    collection every 1 MB of CSV (what the export holds on to). Target: the largest run's live
 *    peak within 1.5× + 16 MB of the 1,000-row run's. Floor: the same number of flat rows
 *    through csv-stringify alone, so the ratio is the cost of making the rows (skip logic,
 *    codes, pseudonyms) over writing them.
 * 2. DynamoDB Local (in memory): `SAUTI_BENCH_EXPORT_PARTICIPANTS` participants (1,000) with
 *    8 diary weeks each, exported as diary_long and response through DynamoExportSource: one
 *    Query per participant (8 at once) and one per page of participants.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { content } from '../content/index.js';
import { createDocumentClient, createDynamoClient } from '../functions/adapters/dynamo/client.js';
import { DynamoExportSource } from '../functions/adapters/dynamo/export-source.js';
import { participantItem } from '../functions/adapters/dynamo/items.js';
import { keys } from '../functions/adapters/dynamo/keys.js';
import { createStudy } from '../functions/adapters/dynamo/study-admin.js';
import { ensureTable } from '../functions/adapters/dynamo/table.js';
import { DiscardSink } from '../functions/adapters/export/discard-sink.js';
import type { ExportSource } from '../functions/core/export/ports.js';
import { studyKey } from '../functions/core/export/pseudonym.js';
import { runExport } from '../functions/core/export/run.js';
import { SyntheticExportSource } from '../functions/core/export/synthetic.js';
import type { Dataset } from '../functions/core/export/variables.js';
import type { Study } from '../functions/core/model.js';
import { demoStudy } from '../infra/local/demo.js';
import { startDynamoLocal } from '../infra/local/dynamodb.js';
import { type BenchResult, type Metric, atMost, batchWrite, bytes, fullGc, mdTable, progress, sampleMemory, timed, withinFloor } from './lib.js';

const LARGEST = Number(process.env.SAUTI_BENCH_EXPORT_ROWS ?? 1_000_000);
const SIZES = [...new Set([1_000, 200_000, LARGEST])].sort((a, b) => a - b);
const PARTICIPANTS = Number(process.env.SAUTI_BENCH_EXPORT_PARTICIPANTS ?? 1_000);
const WEEKS = 8;
const MB = 1024 * 1024;
const TABLE = 'sauti-bench-export';
const CREATED = new Date('2026-09-07T06:00:00Z'); // Monday of 2026-W37, 09:00 in Nairobi
const NOW = new Date('2026-11-04T09:00:00Z'); // Wednesday of 2026-W45: study weeks 0-8
const form = content.diary!;
const int = (n: number): string => n.toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mb = (n: number): string => `${(n / MB).toFixed(2)} MB`;

interface Run {
  rows: number;
  ms: number;
  csvBytes: number;
  /** Heap on a timer, garbage included. */
  rawHeap: number;
  rss: number;
  /** Heap after a forced collection every 1 MB of CSV: what the export holds. */
  liveHeap: number;
}

/** One export into a discarding sink, with both kinds of memory samples. */
async function measure(study: Study, dataset: Dataset, source: ExportSource): Promise<Run> {
  await fullGc();
  const { runInNewContext } = await import('node:vm');
  const gc = runInNewContext('gc') as () => void;
  const base = process.memoryUsage().heapUsed;
  let live = 0;
  let next = 0;
  const sink = new DiscardSink(() => {
    if (sink.bytes < next) return;
    next = sink.bytes + MB;
    gc();
    live = Math.max(live, process.memoryUsage().heapUsed - base);
  });
  const sampler = sampleMemory(20);
  const { ms, result } = await timed(() =>
    runExport({ study, dataset, bom: false, includePhone: false, by: 'bench', now: NOW }, { source, sink, content, key: studyKey('bench-pseudonym-secret-0123', study.studyId) }),
  );
  const peak = sampler.stop();
  return { rows: result.rows, ms, csvBytes: sink.bytes, rawHeap: peak.peakHeapIncrease, rss: peak.peakRssIncrease, liveHeap: live };
}

/** The floor: as many flat rows (same width) through csv-stringify alone, into a discarding stream. */
async function floor(rows: number, columns: number): Promise<number> {
  const names = Array.from({ length: columns }, (_, i) => `c${i}`);
  async function* flat() {
    for (let i = 0; i < rows; i += 1) {
      const row: Record<string, string | number> = {};
      for (let c = 0; c < columns; c += 1) row[`c${c}`] = c % 3 === 0 ? i : `value-${c}`;
      yield row;
    }
  }
  const { ms } = await timed(() =>
    pipeline(Readable.from(flat()), stringify({ header: true, columns: names, record_delimiter: '\r\n' }), new Writable({ write: (_c, _e, done) => done() })),
  );
  return ms;
}

function benchStudy(studyId: string): Study {
  const { smsShortCode: _s, ...study } = demoStudy('*384*91#', CREATED);
  return { ...study, studyId };
}

/** The synthetic study written to the table: participants and their diary weeks, as the stores write them. */
async function seed(doc: DynamoDBDocumentClient, study: Study, n: number): Promise<void> {
  await createStudy(doc, TABLE, study);
  const synthetic = new SyntheticExportSource(study, form, n, WEEKS);
  for await (const page of synthetic.participants()) {
    const items: Record<string, unknown>[] = [];
    for (const p of page) {
      items.push(participantItem(p));
      for (const w of await synthetic.weeks(p)) {
        const weekId = `2026-W${String(37 + w.studyWeek).padStart(2, '0')}`;
        items.push({ ...keys.week(w.studyId, w.phone, weekId), ...keys.weekIndex(w.studyId, weekId, w.participantId), ...w, week: weekId });
      }
    }
    await batchWrite(doc, TABLE, items, 4);
  }
}

export async function run(): Promise<BenchResult> {
  const study = benchStudy('bench-export');
  const columns = 12;
  progress('warming up (10,000 rows)');
  await measure(study, 'diary_long', new SyntheticExportSource(study, form, Math.ceil(10_000 / (WEEKS * form.questions.length)), WEEKS));
  const runs: { run: Run; floorMs: number }[] = [];
  for (const size of SIZES) {
    progress(`pipeline: ${int(size)} diary_long rows`);
    const r = await measure(study, 'diary_long', new SyntheticExportSource(study, form, Math.ceil(size / (WEEKS * form.questions.length)), WEEKS));
    const f = await floor(r.rows, columns);
    console.log(`  ${int(r.rows)} rows: ${secs(r.ms)} (${int(Math.round(r.rows / (r.ms / 1000)))} rows/s, ${mb(r.csvBytes)} CSV), floor ${secs(f)}; live heap +${mb(r.liveHeap)}, raw heap +${mb(r.rawHeap)}, rss +${mb(r.rss)}`);
    runs.push({ run: r, floorMs: f });
  }

  progress(`DynamoDB Local: seeding ${int(PARTICIPANTS)} participants × ${WEEKS} weeks (not timed)`);
  const local = await startDynamoLocal({});
  const admin = createDynamoClient({ endpoint: local.endpoint });
  const doc = createDocumentClient({ endpoint: local.endpoint });
  const dynamo: { dataset: Dataset; run: Run; queries: number }[] = [];
  try {
    await ensureTable(admin, TABLE);
    const seeded = { ...benchStudy('bench-export-dynamo'), createdAt: CREATED.toISOString() };
    await seed(doc, seeded, PARTICIPANTS);
    let queries = 0;
    doc.middlewareStack.add((next) => async (args) => {
      queries += 1;
      return next(args);
    }, { step: 'initialize', name: 'benchExportQueries' });
    for (const dataset of ['diary_long', 'response'] as const) {
      progress(`DynamoDB Local: ${dataset}`);
      queries = 0;
      const r = await measure(seeded, dataset, new DynamoExportSource(doc, TABLE));
      console.log(`  ${dataset}: ${int(r.rows)} rows in ${secs(r.ms)} (${int(Math.round(r.rows / (r.ms / 1000)))} rows/s), ${int(queries)} Query calls; live heap +${mb(r.liveHeap)}, rss +${mb(r.rss)}`);
      dynamo.push({ dataset, run: r, queries });
    }
  } finally {
    doc.destroy();
    admin.destroy();
    await local.stop();
  }
  return report(runs, dynamo);
}

function report(runs: { run: Run; floorMs: number }[], dynamo: { dataset: Dataset; run: Run; queries: number }[]): BenchResult {
  const small = runs[0] as (typeof runs)[number];
  const large = runs.at(-1) as (typeof runs)[number];
  const limit = 1.5 * small.run.liveHeap + 16 * MB;
  const metrics: Metric[] = [
    {
      metric: `Export live heap, ${int(large.run.rows)} rows vs ${int(small.run.rows)}`,
      value: mb(large.run.liveHeap),
      floor: mb(small.run.liveHeap),
      ratio: '—',
      target: '≤ 1.5× + 16 MB',
      pass: large.run.liveHeap <= limit,
    },
    withinFloor(`Export time, ${int(large.run.rows)} diary_long rows, vs csv-stringify alone`, large.run.ms, large.floorMs, 4, secs),
    ...dynamo.map((d) => atMost(`DynamoDB Local ${d.dataset}: Query calls per participant`, d.queries / PARTICIPANTS, 1.1, (n) => n.toFixed(2))),
  ];
  const pipelineTable = mdTable(
    ['Rows', 'Time', 'Rows/s', 'CSV', 'Floor (csv-stringify alone)', 'Live heap +', 'Raw heap +', 'RSS +'],
    runs.map(({ run: r, floorMs }) => [int(r.rows), secs(r.ms), int(Math.round(r.rows / (r.ms / 1000))), bytes(r.csvBytes), secs(floorMs), mb(r.liveHeap), mb(r.rawHeap), mb(r.rss)]),
  );
  const dynamoTable = mdTable(
    ['Dataset', 'Rows', 'Time', 'Rows/s', 'Query calls', 'Live heap +', 'RSS +'],
    dynamo.map(({ dataset, run: r, queries }) => [dataset, int(r.rows), secs(r.ms), int(Math.round(r.rows / (r.ms / 1000))), int(queries), mb(r.liveHeap), mb(r.rss)]),
  );
  const markdown = [
    'The export pipeline (rows made page by page, RFC 4180 CSV, a sink reading the stream) on a synthetic',
    `study, \`diary_long\` (${form.questions.length} rows per participant-week), into a sink that discards. Live heap: sampled after a`,
    'forced garbage collection every 1 MB of CSV (what the export holds); raw heap and RSS: sampled every 20 ms',
    '(garbage included). Floor: as many flat rows of the same width through csv-stringify alone.',
    '',
    pipelineTable,
    '',
    `From DynamoDB Local (in memory): ${int(PARTICIPANTS)} participants × ${WEEKS} diary weeks, through DynamoExportSource`,
    '(a page of participants from gsi1, then one Query per participant, 8 at once).',
    '',
    dynamoTable,
  ].join('\n');
  return { title: 'Research exports: constant memory', markdown, metrics };
}
