/**
 * Shared helpers of the benchmarks: the result shape `bench/run.ts` collects, statistics,
 * timing and Markdown tables. One helper per idea, so every benchmark computes a median or
 * formats a ratio the same way.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One figure checked against a target, relative to a floor measured in the same run. */
export interface Metric {
  metric: string;
  /** The figure, already formatted with its unit (e.g. "4.1 ms"). */
  value: string;
  /** The floor it is compared with, formatted; "—" when the target is absolute. */
  floor: string;
  /** value / floor (or the raw figure for absolute targets), formatted. */
  ratio: string;
  target: string;
  /** null: a figure reported without a target (counted neither as met nor as missed). */
  pass: boolean | null;
}

export interface BenchResult {
  title: string;
  /** The benchmark's section of BENCHMARKS.md (tables and notes), without its heading. */
  markdown: string;
  metrics: Metric[];
}

/** What every `bench/*.bench.ts` exports. */
export type Bench = () => Promise<BenchResult>;

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

/** Items grouped by a key, in order of first appearance. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Milliseconds an async call takes, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

export const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

export const ratio = (value: number, floor: number): number => value / floor;

export const times = (r: number): string => `${r.toFixed(2)}×`;

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/**
 * A Metric for "value must be at most `limit` × floor". `format` renders value and floor
 * in their unit.
 */
export function withinFloor(metric: string, value: number, floor: number, limit: number, format: (n: number) => string): Metric {
  const r = ratio(value, floor);
  return { metric, value: format(value), floor: format(floor), ratio: times(r), target: `≤ ${limit}× floor`, pass: r <= limit };
}

/** A Metric for an absolute ceiling (no floor), e.g. DynamoDB reads per hop. */
export function atMost(metric: string, value: number, limit: number, format: (n: number) => string): Metric {
  return { metric, value: format(value), floor: '—', ratio: '—', target: `≤ ${format(limit)}`, pass: value <= limit };
}

/** A GitHub-flavoured Markdown table; numeric-looking columns are right-aligned. */
export function mdTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+/.test(r[i] ?? '') || r[i] === '—'));
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  const rule = `|${headers.map((_, i) => (numeric[i] ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** The table of metrics each benchmark ends its section with, and the summary reuses. */
export function metricsTable(metrics: readonly Metric[]): string {
  return mdTable(
    ['Metric', 'Value', 'Floor', 'Ratio', 'Target', 'Met'],
    metrics.map((m) => [m.metric, m.value, m.floor, m.ratio, m.target, m.pass === null ? '—' : m.pass ? 'yes' : '**NO**']),
  );
}

/** Progress on stderr, so stdout stays the figures. */
export const progress = (message: string): void => {
  process.stderr.write(`  … ${message}\n`);
};

/** Runs `task` over `items` with at most `concurrency` in flight; results in input order. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await task(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/**
 * A forced full garbage collection, for a clean memory baseline: `global.gc` when Node runs
 * with --expose-gc, otherwise obtained by setting the flag at run time (V8 allows it).
 */
export async function fullGc(): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') (gc as () => void)();
}

/** Peak heapUsed and rss over a stretch of time, sampled on a timer, as increases over the baseline. */
export interface MemoryPeak {
  baselineHeap: number;
  baselineRss: number;
  peakHeapIncrease: number;
  peakRssIncrease: number;
  samples: number;
}

/**
 * Samples `process.memoryUsage()` every `everyMs` until `stop()` is called (and once more
 * then). The baseline is taken at the start: call `fullGc()` first for a clean one.
 */
export function sampleMemory(everyMs = 50): { stop(): MemoryPeak } {
  const base = process.memoryUsage();
  let heap = base.heapUsed;
  let rss = base.rss;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
    samples += 1;
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { baselineHeap: base.heapUsed, baselineRss: base.rss, peakHeapIncrease: heap - base.heapUsed, peakRssIncrease: rss - base.rss, samples };
    },
  };
}

/**
 * Writes items with BatchWriteItem, 25 per call (DynamoDB's limit), `concurrency` calls in
 * flight, retrying unprocessed items. Returns the number of BatchWriteItem calls made.
 */
export async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, items: readonly Record<string, unknown>[], concurrency = 1): Promise<number> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25) as Record<string, unknown>[]);
  let calls = 0;
  await inPool(chunks, concurrency, async (chunk) => {
    let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > 5) throw new Error('DynamoDB left items unprocessed after retries');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      calls += 1;
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
    }
  });
  return calls;
}

/**
 * The garbage collector as a function, for repeated forced collections (e.g. the live heap
 * every few MB of output): like `fullGc`, without Node's --expose-gc.
 */
export async function gcFunction(): Promise<() => void> {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('No garbage collector function (--expose-gc)');
  return gc as () => void;
}
