import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { killAll, startStack, stopStack } from '../support/stack.js';

/**
 * The `sauti` CLI as a researcher runs it, against `npm start`: list studies, create one,
 * enrol from CSV (a bad row refused by line, nothing imported; then the fixed file, in
 * chunks; a re-run adds nobody), randomize, balance; help, a wrong token, no stack.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'sauti-e2e-cli-'));
const files = mkdtempSync(join(tmpdir(), 'sauti-e2e-cli-files-'));

afterAll(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sauti(args: string[]): Promise<Run> {
  const env = { ...process.env };
  delete env.SAUTI_URL;
  delete env.SAUTI_TOKEN;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['cli/sauti.mjs', ...args], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const file = (name: string, text: string) => {
  const path = join(files, name);
  writeFileSync(path, text);
  return path;
};

const study = {
  studyId: 'cli-test-2027', name: 'CLI test study', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['en', 'sw'],
  serviceCode: '*384*901#', smsShortCode: '20901', contact: '0800 000 901',
  arms: [{ armId: 'lessons', name: 'Lessons', ratio: 1, treatment: true }, { armId: 'diary', name: 'Diary only', ratio: 1, treatment: false }],
};

/** Twelve consented people in two shifts, with two numeric covariates. */
const header = 'phone,language,stratum,consent,consent_version,age,wage';
const row = (n: number) => `07${String(13000000 + n).padStart(8, '0')},${n % 3 === 0 ? 'en' : 'sw'},${n % 2 === 0 ? 'day' : 'night'},consented,2026-11-v2,${20 + ((n * 7) % 17)},${3000 + ((n * 37) % 900)}`;
const rows = Array.from({ length: 12 }, (_, i) => row(i + 1));

describe('sauti (the CLI) against npm start', () => {
  it('lists, creates, enrols, randomizes and shows the balance; explains its errors', async () => {
    const stack = await startStack(dataDir);
    try {
      const api = ['--url', stack.base, '--token', 'local-researcher', '--format', 'json'];
      const ok = async (args: string[]) => {
        const r = await sauti([...args, ...api]);
        expect(r.stderr, `sauti ${args.join(' ')}`).toBe('');
        expect(r.code).toBe(0);
        return JSON.parse(r.stdout) as Record<string, unknown>;
      };

      const listed = (await ok(['studies'])).studies as { studyId: string }[];
      expect(listed.map((s) => s.studyId)).toEqual(expect.arrayContaining(['athi-river-2026', 'dhaka-2026']));
      const table = await sauti(['studies', '--url', stack.base, '--token', 'local-researcher', '--format', 'table']);
      expect(table.code).toBe(0);
      const [head, rule] = table.stdout.split('\n');
      expect(head).toMatch(/^id\s+name\s+country\s+time zone\s+languages\s+arms$/);
      expect(rule).toMatch(/^-+( +-+){5}$/);
      expect(table.stdout).toMatch(/^dhaka-2026\s+Dhaka garment workers.*\s+BD\s+Asia\/Dhaka\s+bn, en\s+/m);

      expect(await ok(['study', 'create', file('study.json', JSON.stringify(study))])).toMatchObject({ study: { studyId: 'cli-test-2027' } });
      const again = await sauti(['study', 'create', file('study.json', JSON.stringify(study)), ...api]);
      expect(again).toMatchObject({ code: 1, stdout: '' });
      expect(again.stderr).toMatch(/the study id "cli-test-2027" is already taken/);
      expect(again.stderr).toMatch(/^\s*studyId\b/m);
      // A country that is not ISO 3166 is refused at once, not at the first enrolment.
      const zz = await sauti(['study', 'create', file('zz.json', JSON.stringify({ ...study, studyId: 'zz-2027', country: 'ZZ' })), ...api]);
      expect(zz).toMatchObject({ code: 1, stdout: '' });
      expect(zz.stderr).toMatch(/country.*"ZZ" is not an ISO 3166-1 country code/);
      expect(zz.stderr).not.toMatch(/Invalid input|\n\s+at /);

      // Line 5 (the header is line 1) is wrong: it is named, and nobody is imported.
      const badRows = [...rows];
      badRows[3] = row(4).replace(/^\d+/, '07123');
      const bad = await sauti(['enrol', 'cli-test-2027', file('bad.csv', [header, ...badRows].join('\n')), ...api]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      expect(bad.stderr.split('\n')).toEqual(['1 row(s) need fixing; nothing was imported.', 'line 5: phone: "07123" is not a valid phone number for KE.', '']);

      const good = file('good.csv', `${[header, ...rows].join('\n')}\n`);
      expect(await ok(['enrol', 'cli-test-2027', good, '--dry-run'])).toEqual({ valid: 12, created: 0, existing: 0 });
      // Chunks of 4 rows: three requests, each with the header. All 12 are new: the bad file imported nobody.
      const first = await sauti(['enrol', 'cli-test-2027', good, '--chunk-rows', '4', ...api]);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({ valid: 12, created: 12, existing: 0 });
      expect(first.stderr).toContain('12/12 rows: chunk 3/3: 12 created, 0 existing');
      expect(await ok(['enrol', 'cli-test-2027', good])).toEqual({ valid: 12, created: 0, existing: 12 });

      const randomized = await ok(['randomize', 'cli-test-2027', '--method', 'block', '--seed', '42']);
      expect(randomized).toMatchObject({ assigned: 12, run: { method: 'block', seed: 42, status: 'complete', by: 'Local researcher' } });
      const run = randomized.run as { counts: { armId: string; n: number }[]; byBlock: { block: string; armId: string; n: number }[] };
      expect(run.counts).toEqual([{ armId: 'lessons', n: 6 }, { armId: 'diary', n: 6 }]);
      expect(run.byBlock.map((b) => `${b.block} ${b.armId} ${b.n}`)).toEqual(['day lessons 3', 'day diary 3', 'night lessons 3', 'night diary 3']);
      expect(((await ok(['randomizations', 'cli-test-2027'])).randomizations as { seed: number }[]).map((r) => r.seed)).toEqual([42]);

      const balance = (await ok(['balance', 'cli-test-2027'])).comparisons as { covariates: string[]; balance: { rows: { name: string }[]; joint: { p: number } } }[];
      expect(balance[0]?.covariates).toEqual(['age', 'wage']);
      expect(balance[0]?.balance.joint.p).toBeGreaterThanOrEqual(0);
      const balanceTable = await sauti(['balance', 'cli-test-2027', '--url', stack.base, '--token', 'local-researcher', '--format', 'table']);
      expect(balanceTable.code).toBe(0);
      expect(balanceTable.stdout).toMatch(/^lessons vs diary: 6 treated, 6 control$/m);
      expect(balanceTable.stdout).toMatch(/^covariate\s+mean treated\s+mean control\s+standardised difference$/m);
      expect(balanceTable.stdout).toMatch(/^age\s+[\d.]+\s+[\d.]+\s+-?[\d.]+/m);
      expect(balanceTable.stdout).toMatch(/^Joint test: F\(2, [\d.]+\) = [\d.]+, p = (< 0\.001|[\d.]+)$/m);

      // Synthetic diaries (local stack, admin), an export, and the offline analysis of that export.
      const sim = await sauti(['simulate', 'cli-test-2027', '--weeks', '3', '--url', stack.base, '--token', 'local-admin', '--format', 'json']);
      expect(sim.code).toBe(0);
      expect(JSON.parse(sim.stdout).written).toBeGreaterThan(0);
      const exported = await ok(['export', 'cli-test-2027', '--dataset', 'diary_wide']);
      expect(exported.rows).toBe(JSON.parse(sim.stdout).written);
      expect(readFileSync(exported.file as string, 'utf8')).not.toContain('+254');
      const analysis = await sauti(['analyze', '--csv', exported.file as string, '--outcome', 'saved_amount', '--treatment', 'arm', '--treated-value', 'lessons', '--block', 'stratum', '--format', 'json']);
      expect(analysis.code).toBe(0);
      expect(JSON.parse(analysis.stdout)).toMatchObject({ estimator: 'blocked difference in means', n_treated: expect.any(Number), n_control: expect.any(Number) });

      // Impact: a JSON result and a self-contained HTML report, written where asked.
      const impact = await ok(['impact', 'cli-test-2027', '--out', files]);
      expect(impact).toMatchObject({ comparisons: 1 });
      const html = readFileSync(impact.html as string, 'utf8');
      expect(html).toContain('<svg');
      expect(html).not.toMatch(/<script src|https?:\/\//);
      expect(JSON.parse(readFileSync(impact.json as string, 'utf8'))).toMatchObject({ studyId: 'cli-test-2027' });

      // A draft campaign, previewed by NGO staff on the demo study: one line per lesson, and totals.
      const campaign = { name: 'Fees first', modules: ['cashing_out'], targetArms: ['treatment'], startsOn: '2026-11-30', day: 3, hour: 18, channel: 'sms' };
      const preview = await sauti(['campaign', 'preview', 'athi-river-2026', file('campaign.json', JSON.stringify(campaign)), '--url', stack.base, '--token', 'local-ngo', '--format', 'table']);
      expect(preview.code).toBe(0);
      expect(preview.stdout).toMatch(/^week\s+local time \(Africa\/Nairobi\)\s+lesson\s+recipients\s+segments\s+cost$/m);
      expect(preview.stdout).toMatch(/^total\s+\d+ lesson\(s\), \d+ SMS\s+\d+\s+\d+\s+KES [\d.]+$/m);

      const wrongToken = await sauti(['studies', '--url', stack.base, '--token', 'not-a-token']);
      expect(wrongToken.code).toBe(1);
      expect(wrongToken.stderr).toContain('That token is not valid or has expired; sign in again with a valid token.');
      const forbidden = await sauti(['dispatch', ...api]);
      expect(forbidden.code).toBe(1);
      expect(forbidden.stderr).toContain('This needs the role admin; you have researcher.');
    } finally {
      await stopStack(stack);
    }
  });

  it('says the stack is not running, and how to start it, when nothing listens at --url', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await sauti(['studies', '--url', url, '--token', 'local-researcher']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`The Sauti stack is not running at ${url}`);
    expect(r.stderr).toContain('npm start');
  });

  it('documents every command and option in --help', async () => {
    const root = await sauti(['--help']);
    expect(root.code).toBe(0);
    for (const word of ['--url', 'SAUTI_URL', '--token', 'SAUTI_TOKEN', '--format', 'studies', 'study', 'enrol', 'randomize', 'randomizations', 'balance', 'campaigns', 'campaign', 'outbox', 'dispatch']) {
      expect(root.stdout).toContain(word);
    }
    const randomize = await sauti(['randomize', '--help']);
    expect(randomize.code).toBe(0);
    for (const word of ['--method', 'complete', 'block', 'cluster', 'block_cluster', '--seed', '--rolling', '--url', '--token', '--format', 'keep the seed for the paper']) {
      expect(randomize.stdout.toLowerCase()).toContain(word.toLowerCase());
    }
    const enrol = await sauti(['enrol', '--help']);
    expect(enrol.stdout).toMatch(/--dry-run/);
    expect(enrol.stdout).toMatch(/re-run of the same file adds\s+nobody/);
  });
});
