import { Presets, SingleBar } from 'cli-progress';
import { CliError } from './client.js';

/**
 * Output of the `sauti` CLI: JSON (the API's answer as it is, for scripts and `jq`) or
 * aligned text tables for people; errors on stderr, one line each; progress on stderr.
 */

export type Format = 'json' | 'table';
export const FORMATS: readonly Format[] = ['json', 'table'];

/** Tables on a terminal, JSON when piped or captured. */
export function defaultFormat(): Format {
  return process.stdout.isTTY ? 'table' : 'json';
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(...lines: string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
}

/**
 * Each line of a failure on stderr, and exit code 1. Never a stack trace: a researcher's typo
 * is not a crash (`SAUTI_DEBUG=1` shows the stack for a bug report).
 */
export function printError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  const lines = err instanceof CliError ? err.lines : process.env.SAUTI_DEBUG && err instanceof Error ? [err.stack ?? message] : [`error: ${readable(message)}`];
  process.stderr.write(lines.map((l) => `${l}\n`).join(''));
  process.exitCode = 1;
}

/** A Node error about a file, said plainly (`ENOENT: no such file or directory, open 'x.csv'`). */
function readable(message: string): string {
  const file = /^(ENOENT|EACCES|EISDIR)[^']*'([^']+)'/.exec(message);
  if (file) return `${file[1] === 'ENOENT' ? 'no such file' : file[1] === 'EACCES' ? 'not allowed to read' : 'a folder, not a file'}: ${file[2]}`;
  return message.split('\n')[0] as string;
}

export interface Column {
  header: string;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
}

const segmenter = new Intl.Segmenter();

/**
 * Columns a string takes on a terminal, as wcwidth counts them: combining marks and format
 * characters none (Bengali's virama, zero-width joiners), wide CJK and emoji two, others one.
 */
export function width(s: string): number {
  let n = 0;
  for (const ch of s) {
    if (/[\p{Mn}\p{Me}\p{Cf}]/u.test(ch)) continue;
    const cp = ch.codePointAt(0) ?? 0;
    n += /\p{Extended_Pictographic}/u.test(ch) && cp > 0x2000 ? 2 : (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x20000 && cp <= 0x3fffd) ? 2 : 1;
  }
  return n;
}

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** An aligned text table: a header line, a rule, the rows (cells are single-line). */
export function table(columns: readonly (Column | string)[], rows: readonly (readonly string[])[]): string {
  const cols = columns.map((c): Required<Column> => (typeof c === 'string' ? { header: c, align: 'left' } : { header: c.header, align: c.align ?? 'left' }));
  const cells = rows.map((r) => cols.map((_, i) => (r[i] ?? '').replace(/\s*\n\s*/g, ' ')));
  const widths = cols.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (r: readonly string[]) => cols.map((c, i) => pad(r[i] ?? '', widths[i] ?? 0, c.align)).join('  ').trimEnd();
  return [line(cols.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  ').trimEnd(), ...cells.map(line)].join('\n');
}

/** A number with at most `digits` decimals, without trailing zeros (1234.5, 0.123, 20). */
export function num(n: number | undefined, digits = 2): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  return Number(n.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits, useGrouping: false });
}

export function pValue(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** Shortens a long cell (an SMS text) for a table; JSON output keeps it whole. */
export function clip(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ');
  if (width(flat) <= max) return flat;
  let out = '';
  for (const { segment } of segmenter.segment(flat)) {
    if (width(out + segment) > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}

/**
 * For one long request (a randomization of thousands, a slow network): "label… 12 s" on a
 * terminal's stderr, updated every second and cleared at the end; nothing otherwise.
 */
export async function waiting<T>(label: string, work: Promise<T>): Promise<T> {
  if (!process.stderr.isTTY) return work;
  const started = performance.now();
  let drawn = false;
  const show = () => {
    drawn = true;
    process.stderr.write(`\r${label}… ${Math.round((performance.now() - started) / 1000)} s`);
  };
  const timer = setInterval(show, 1000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    if (drawn) process.stderr.write('\r\x1b[2K');
  }
}

export interface Progress {
  update(value: number, payload: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A one-line progress bar on stderr (cli-progress), so stdout stays clean for JSON. When
 * stderr is not a terminal (CI logs, a captured run), one plain line per update instead.
 */
export function progressBar(total: number, unit: string, describe: (payload: Record<string, string | number>) => string): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `{bar} {percentage}% | {value}/{total} ${unit} | {detail}`, stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 5 },
      Presets.shades_classic,
    );
    bar.start(total, 0, { detail: '' });
    return {
      update: (value, payload) => bar.update(value, { detail: describe(payload) }),
      stop: () => bar.stop(),
    };
  }
  return {
    update: (value, payload) => process.stderr.write(`${value}/${total} ${unit}: ${describe(payload)}\n`),
    stop: () => undefined,
  };
}
