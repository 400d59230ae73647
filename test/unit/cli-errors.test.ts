import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalFileSink } from '../../functions/adapters/export/local-sink.js';

/**
 * Every `sauti` command, given bad arguments, ends in one clear line on stderr and exit code 1,
 * never a Node stack trace; and the README's `analyze --csv` path works however many exports
 * there are.
 */
const dir = mkdtempSync(join(tmpdir(), 'sauti-cli-errors-'));
// Nothing listens on port 9 (discard): commands that need the API fail to reach it.
const offline = ['--url', 'http://127.0.0.1:9', '--token', 'local-researcher'];

function sauti(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['cli/sauti.mjs', ...args], { cwd: process.cwd(), env: { ...process.env, SAUTI_URL: '', SAUTI_TOKEN: '', SAUTI_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** 250 people in each of two arms named as the demo's exports name them. */
const arms = ['pid,arm,saved_amount,cluster', ...Array.from({ length: 500 }, (_, i) => `p${i},${i % 2 === 0 ? 'lessons' : 'diary'},${(i * 37) % 900},c${i % 20}`)].join('\n');
const csv = join(dir, 'wide.csv');
writeFileSync(csv, arms);
writeFileSync(join(dir, 'study.json'), '{"studyId": "x"');

const cases: [string, string[], RegExp][] = [
  ['an unknown dataset', ['export', 'x', '--dataset', 'diary_widee', ...offline], /^error: --dataset must be one of diary_long, /],
  ['a treated value no row has', ['analyze', '--csv', csv, '--outcome', 'saved_amount', '--treatment', 'arm', '--treated-value', 'treatment'], /^error: no row has arm = treatment; values found: lessons \(250\), diary \(250\)\.$/],
  ['an unknown outcome', ['analyze', '--csv', csv, '--outcome', 'saved', '--treatment', 'arm', '--treated-value', 'lessons'], /^error: The file has no column "saved" \(columns: pid, arm, saved_amount, cluster\)\.$/],
  ['a missing CSV file', ['analyze', '--csv', join(dir, 'nope.csv'), '--outcome', 'y', '--treatment', 'arm'], /^error: no such file: .*nope\.csv$/],
  ['an unknown estimator', ['analyze', '--csv', csv, '--outcome', 'saved_amount', '--treatment', 'arm', '--estimator', 'cr3'], /^error: --estimator must be dim, ols or cr2/],
  ['two files for --csv (a shell glob)', ['analyze', '--csv', csv, csv, '--outcome', 'saved_amount', '--treatment', 'arm'], /^error: too many arguments for 'analyze'/],
  ['a study file that is not JSON', ['study', 'create', join(dir, 'study.json'), ...offline], /study\.json is not valid JSON: /],
  ['a missing enrolment file', ['enrol', 'x', join(dir, 'none.csv'), ...offline], /^No CSV file at .*none\.csv\.$/],
  ['an unknown randomization method', ['randomize', 'x', '--method', 'coin', ...offline], /^error: /],
  ['an unreachable stack (studies)', ['studies', ...offline], /^(error: )?.*127\.0\.0\.1:9/],
  ['an unreachable stack (balance)', ['balance', 'x', ...offline], /^(error: )?.*127\.0\.0\.1:9/],
  ['an unreachable stack (impact)', ['impact', 'x', '--out', dir, ...offline], /^(error: )?.*127\.0\.0\.1:9/],
  ['weeks that are not a number (simulate)', ['simulate', 'x', '--weeks', 'many', ...offline], /^(error: |Could not reach )/],
  ['a missing campaign file', ['campaign', 'preview', 'x', join(dir, 'none.json'), ...offline], /^No campaign file at .*none\.json\.$/],
  ['a limit that is not a number (outbox)', ['outbox', 'x', '--limit', 'lots', ...offline], /^error: /],
];

describe('sauti with bad arguments', () => {
  it.each(cases)('%s: one clear line, exit 1, no stack trace', async (_what, args, message) => {
    const r = await sauti(args);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
    const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('(add --help'));
    expect(lines[0]).toMatch(message);
    expect(lines.length, r.stderr).toBe(1);
  });
});

describe("the README's analyze command after two exports", () => {
  it('reads the newest export by its stable -latest name', async () => {
    const sink = new LocalFileSink(dir);
    const older = arms.replace(/lessons/g, 'old');
    await sink.write('s1/diary_wide-2026-11-27T10-00-00-000Z.csv', 'text/csv', Readable.from([older]));
    await sink.write('s1/diary_wide-2026-11-28T10-00-00-000Z.csv', 'text/csv', Readable.from([arms]));
    expect(readFileSync(join(dir, 's1/diary_wide-latest.csv'), 'utf8')).toBe(arms);
    const r = await sauti(['analyze', '--csv', join(dir, 's1/diary_wide-latest.csv'), '--outcome', 'saved_amount', '--treatment', 'arm', '--treated-value', 'lessons', '--cluster', 'cluster', '--estimator', 'cr2', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ n_treated: 250, n_control: 250 });
  });
});

describe('output into a pipe that closes early (sauti … | head)', () => {
  it('stops quietly with exit code 0, no stack trace', async () => {
    // A table of 2,000 rows: far more than a pipe buffer, so writes go on after the reader left.
    const rows = Array.from({ length: 2000 }, (_, i) => 4 + 2 * i).join(',');
    const child = spawn(process.execPath, ['cli/sauti.mjs', 'power', '--clusters', '20', '--cluster-size', '30', '--icc', '0.1', '--table-clusters', rows, '--format', 'json'], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Like `head -c 1`: read the first chunk, then close the read end.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe("the README's research commands, as a new user copies them", () => {
  const readme = readFileSync('README.md', 'utf8');
  const ignored = readFileSync('.gitignore', 'utf8').split('\n');

  it('names one export file for analyze, however many exports there are (no glob)', () => {
    const analyze = /npx sauti analyze --csv (\S+)/.exec(readme)?.[1];
    expect(analyze).toBe('.data/exports/nairobi-epz-2027/diary_wide-latest.csv');
  });

  it('writes the impact report where git ignores it', () => {
    const out = /npx sauti impact \S+ --out (\S+)/.exec(readme)?.[1] as string;
    expect(ignored.some((line) => line !== '' && `${out}/`.startsWith(line.replace(/^\//, '')))).toBe(true);
  });

  it('says the CLI needs SAUTI_URL when PORT is not 3000', () => {
    expect(readme.split('\n').find((line) => line.startsWith('| `PORT`'))).toMatch(/SAUTI_URL=http:\/\/127\.0\.0\.1:\$PORT/);
  });
});
