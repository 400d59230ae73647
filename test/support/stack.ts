import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../infra/local/dynamodb.js';

/** The local stack started exactly as a user does (`npm start`), in a scratch data folder. */
export interface Stack {
  child: ChildProcess;
  output: () => string;
  base: string;
  token: string;
}

const running: ChildProcess[] = [];

export async function startStack(dataDir: string, port?: number, args: string[] = []): Promise<Stack> {
  const p = port ?? (await freePort());
  const token = 'e2e-token';
  const child = spawn('npm', ['start', ...(args.length > 0 ? ['--', ...args] : [])], {
    env: { ...process.env, PORT: String(p), SAUTI_DATA_DIR: dataDir, SAUTI_CALLBACK_TOKEN: token, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await until(() => output.includes('Sauti local stack is ready.') || child.exitCode !== null, 'npm start to be ready');
  if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
  return { child, output: () => output, base: `http://127.0.0.1:${p}`, token };
}

/**
 * SIGTERM to npm, as a service manager would; SIGINT to the whole process group, as Ctrl-C
 * in a terminal does. Resolves once the stack says it has stopped.
 */
export async function stopStack(stack: Stack, how: 'SIGTERM' | 'ctrl-c' = 'SIGTERM'): Promise<void> {
  const exited = new Promise<void>((r) => stack.child.once('exit', () => r()));
  if (how === 'ctrl-c' && stack.child.pid) process.kill(-stack.child.pid, 'SIGINT');
  else stack.child.kill('SIGTERM');
  await exited;
  await until(() => stack.output().includes('Stopped.'), `the stack to report "Stopped." after ${how}:\n${stack.output().slice(-600)}`);
}

/** Kills whatever a failed test left running. */
export function killAll(): void {
  for (const child of running) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Waits for a condition; the budget is generous (a busy machine is slow, not wrong). */
export async function until(condition: () => boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Percent-encodes a form body the way Africa's Talking's servers do (`*` and `#` escaped). */
export function atBody(fields: Record<string, string>): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/\*/g, '%2A');
  return Object.entries(fields).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

export async function dialHttp(stack: Stack, req: { sessionId: string; phoneNumber: string; text: string; serviceCode?: string }, token = stack.token) {
  const res = await fetch(`${stack.base}/at/${token}/ussd`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: atBody({ sessionId: req.sessionId, serviceCode: req.serviceCode ?? '*384*123#', phoneNumber: req.phoneNumber, networkCode: '63902', text: req.text }),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
