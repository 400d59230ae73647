import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * One clock: calendar time comes from the `Clock` port, injected by each composition root,
 * so a test, a benchmark or the local stack that supplies a clock is obeyed everywhere. A
 * sender that stamped with the system clock once made a dispatcher test fail by itself when
 * the real date passed the test's dates. This reads the source tree and fails on any new read
 * of the system clock outside the two places that define it. Elapsed time (deadlines, rate
 * caps, benchmarks) uses `performance.now()`, the monotonic clock, which no faked date moves.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['functions', 'infra', 'cli', 'bench', 'test', 'content'];
/** The clock's own definitions: the system clock behind the port, and the local fast clock. */
const ALLOWED = new Set(['functions/core/ports/clock.ts', 'functions/adapters/clock.ts', 'test/unit/clock-source.test.ts']);
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

/** `Date.now`, `new Date()` with no argument, and `Date()` called as a function. */
const SYSTEM_CLOCK = /\bDate\.now\b|\bnew\s+Date\s*\(\s*\)|(?<![\w.]|new\s)Date\s*\(\s*\)/g;

/** The source without its comments, line for line (a comment may name what it forbids). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, '')).replace(/(^|[^:])\/\/.*$/gm, '$1');
}

function systemClockReads(source: string): string[] {
  return withoutComments(source).match(SYSTEM_CLOCK) ?? [];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : SOURCE.test(e.name) ? [path] : [];
  });
}

describe('one clock', () => {
  it('finds each way of reading the system clock, and not the injected ones', () => {
    expect(systemClockReads('const t = Date.now();')).toHaveLength(1);
    expect(systemClockReads('x = new Date();\ny = new Date ( )')).toHaveLength(2);
    expect(systemClockReads('const s = Date();')).toHaveLength(1);
    expect(systemClockReads('now ?? Date.now')).toHaveLength(1);
    expect(systemClockReads("new Date(0); new Date('2026-12-28'); clock.now(); Date.parse(x); performance.now()")).toEqual([]);
    expect(systemClockReads('// never Date.now() here\n/* nor new Date() */')).toEqual([]);
  });

  it('no handler, store, sender, stack, CLI, benchmark or test reads the system clock itself', () => {
    const offenders = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d)))
      .map((f) => relative(ROOT, f).split(sep).join('/'))
      .filter((f) => !ALLOWED.has(f))
      .flatMap((f) => {
        const lines = withoutComments(readFileSync(join(ROOT, f), 'utf8')).split('\n');
        return lines.flatMap((line, i) => (systemClockReads(line).length > 0 ? [`${f}:${i + 1}: ${line.trim()}`] : []));
      });
    expect(offenders, 'take a Clock (or `now`) from the caller; elapsed time: performance.now()').toEqual([]);
  });
});
