import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { DiscardSink } from '../../functions/adapters/export/discard-sink.js';
import { studyKey } from '../../functions/core/export/pseudonym.js';
import { runExport } from '../../functions/core/export/run.js';
import { SyntheticExportSource } from '../../functions/core/export/synthetic.js';
import { study } from '../support/fixtures.js';

/**
 * Constant memory: 200,000 diary rows go through the very pipeline of an export (rows made
 * page by page, CSV, the sink reading the stream) with no more live heap than 1,000 do. The
 * live heap is sampled after a forced garbage collection every 1 MB of CSV (and at the first chunk), so what is
 * measured is what the export holds on to, not garbage waiting for the collector. Rows
 * gathered anywhere (an array, a stream without back-pressure) would add tens of MB.
 * Timings and raw heap figures: bench/export.bench.ts.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

async function peakLiveHeap(rows: number): Promise<{ rows: number; peak: number; bytes: number }> {
  const form = content.diary!;
  const weeks = 10;
  const s = study();
  const source = new SyntheticExportSource(s, form, Math.ceil(rows / (weeks * form.questions.length)), weeks);
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let next = 0;
  const sink = new DiscardSink(() => {
    if (sink.bytes < next) return;
    next = sink.bytes + 1024 * 1024;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  });
  const result = await runExport(
    { study: s, dataset: 'diary_long', bom: false, includePhone: false, by: 'memory test', now: new Date('2026-12-01T00:00:00Z') },
    { source, sink, content, key: studyKey('memory-test-secret-0123456789', s.studyId) },
  );
  return { rows: result.rows, peak, bytes: sink.bytes };
}

describe('export memory', () => {
  it('is flat in the number of rows: 200,000 rows peak within 1.5× + 16 MB of 1,000', async () => {
    await peakLiveHeap(1_000); // warm-up: code compiled, caches filled
    const small = await peakLiveHeap(1_000);
    const large = await peakLiveHeap(200_000);
    expect(small.rows).toBeGreaterThanOrEqual(1_000);
    expect(large.rows).toBeGreaterThanOrEqual(200_000);
    expect(large.bytes).toBeGreaterThan(100 * small.bytes);
    console.log(`export memory: ${small.rows} rows peak ${(small.peak / MB).toFixed(2)} MB, ${large.rows} rows peak ${(large.peak / MB).toFixed(2)} MB (${(large.bytes / MB).toFixed(1)} MB of CSV)`);
    expect(large.peak).toBeLessThanOrEqual(1.5 * Math.max(small.peak, 0) + 16 * MB);
  });
});
