import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { enrolmentInputs, texts } from '../support/ussd.js';

/**
 * Starts the local stack exactly as a user does (`npm start`) in a scratch data folder,
 * and talks to it over HTTP as Africa's Talking does.
 */
interface Stack {
  child: ChildProcess;
  output: () => string;
  base: string;
}

const dataDir = mkdtempSync(join(tmpdir(), 'sauti-e2e-'));
let port = 0;
const running: ChildProcess[] = [];

async function start(): Promise<Stack> {
  port ||= await freePort();
  const child = spawn('npm', ['start'], {
    env: { ...process.env, PORT: String(port), SAUTI_DATA_DIR: dataDir, SAUTI_CALLBACK_TOKEN: 'e2e-token', POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Sauti local stack is ready.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start not ready in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output, base: `http://127.0.0.1:${port}` };
}

/**
 * SIGTERM to npm, as a service manager would; SIGINT to the whole process group, as Ctrl-C
 * in a terminal does. Resolves once the stack says it has stopped.
 */
async function stop(stack: Stack, how: 'SIGTERM' | 'ctrl-c' = 'SIGTERM'): Promise<void> {
  const exited = new Promise<void>((r) => stack.child.once('exit', () => r()));
  if (how === 'ctrl-c' && stack.child.pid) process.kill(-stack.child.pid, 'SIGINT');
  else stack.child.kill('SIGTERM');
  await exited;
  await until(() => stack.output().includes('Stopped.'), `the stack to report "Stopped." after ${how}:\n${stack.output().slice(-600)}`);
}

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Percent-encodes a form body the way Africa's Talking's servers do (`*` and `#` escaped). */
function atBody(fields: Record<string, string>): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/\*/g, '%2A');
  return Object.entries(fields).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

async function dial(stack: Stack, sessionId: string, phoneNumber: string, text: string, token = 'e2e-token') {
  const res = await fetch(`${stack.base}/at/${token}/ussd`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: atBody({ sessionId, serviceCode: '*384*123#', phoneNumber, networkCode: '63902', text }),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  for (const child of running) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves the enrolment over HTTP, stops cleanly and keeps its data across a restart', async () => {
    const stack = await start();
    expect(stack.output()).toContain(`curl -s http://127.0.0.1:${port}/at/e2e-token/ussd`);
    expect(stack.output()).toContain('36 participants (just seeded)');

    expect(await (await fetch(`${stack.base}/health`)).json()).toEqual({ status: 'ok' });
    const first = await dial(stack, 'ATUid_e2e1', '+254714000001', '');
    expect(first).toEqual({ status: 200, type: 'text/plain; charset=utf-8', body: expect.stringMatching(/^CON Welcome to Sauti/) });
    expect((await dial(stack, 'ATUid_e2e1', '+254714000001', '', 'wrong')).status).toBe(404);
    expect((await dial(stack, 'ATUid_e2e1', '+254714000001', '5')).body).toMatch(/^CON Please reply with one of the numbers shown/);

    let last = '';
    for (const text of texts(enrolmentInputs(1, ['2', '1', '33'])).slice(1)) last = (await dial(stack, 'ATUid_e2e1', '+254714000001', text)).body;
    expect(last).toMatch(/^END Thank you, you have joined Sauti/);
    // Africa's Talking resends the last request: same answer, no second enrolment.
    const resent = await dial(stack, 'ATUid_e2e1', '+254714000001', texts(enrolmentInputs(1, ['2', '1', '33'])).at(-1) as string);
    expect(resent.body).toBe(last);
    expect((await dial(stack, 'ATUid_e2e2', '+254714000001', '')).body).toMatch(/^CON Sauti\n1\. This week's diary/);

    const sms = await fetch(`${stack.base}/at/e2e-token/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: atBody({ id: 'ATXid_e2e', from: '+254714000001', to: '12345', text: 'hello', date: '2026-11-23 09:00:00', linkId: '', networkCode: '63902' }),
    });
    expect(sms.status).toBe(200);

    const javaPid = Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    expect(isAlive(javaPid)).toBe(true);
    await stop(stack);
    await until(() => !isAlive(javaPid), 'DynamoDB Local to exit');
    expect(stack.output()).not.toMatch(/error|exception/i);

    const again = await start();
    // 36 seeded plus the number enrolled above: the data survived the stop.
    expect(again.output()).toContain('37 participants.');
    expect(again.output()).not.toContain('just seeded');
    expect((await dial(again, 'ATUid_e2e3', '+254714000001', '')).body).toMatch(/^CON Sauti\n1\. This week's diary/);
    const javaPid2 = Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    await stop(again, 'ctrl-c');
    await until(() => !isAlive(javaPid2), 'DynamoDB Local to exit after Ctrl-C');
  }, 120_000);
});
