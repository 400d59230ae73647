import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDocumentClient, createDynamoClient } from '../../functions/adapters/dynamo/client.js';
import { ensureTable } from '../../functions/adapters/dynamo/table.js';
import { systemClock } from '../../functions/core/ports/index.js';
import { type DynamoLocal, freePort, startDynamoLocal } from '../../infra/local/dynamodb.js';
import { seedDemos } from '../../infra/local/seed.js';
import { createLocalServer } from '../../infra/local/server.js';
import type { Stack } from '../support/stack.js';
import { type FaultController, injectFaults } from './faults-inject.js';

/**
 * What the fault scenarios run against: a DynamoDB Local of their own, on disk (so it can be
 * killed and restarted with its data), on a fixed port (so the handlers' clients find it again),
 * and the real USSD, callbacks and admin API handlers behind the local stack's HTTP server.
 * The USSD handler's store client carries the fault injector.
 */
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export const RIG_TOKEN = 'faults-token';
// load.ts imports participants as npm start's local admin.
export const ADMIN = 'local-admin';

export interface Rig {
  endpoint: string;
  table: string;
  /** For load.ts's driver: the rig's HTTP server stands in for `npm start`. */
  stack: Stack;
  ussdFaults: FaultController;
  /** Kills DynamoDB Local outright (SIGKILL) and starts it again on the same port and data; the downtime in ms. */
  restartDynamo(pauseMs?: number): Promise<number>;
  /** A fresh table with both demo studies seeded. */
  newTable(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sauti-faults-'));
  const port = await freePort();
  let dynamo: DynamoLocal = await startDynamoLocal({ dataDir, port });
  const endpoint = dynamo.endpoint;
  const table = 'faults';
  const newTable = async (name: string) => {
    await ensureTable(createDynamoClient({ endpoint }), name);
    await seedDemos(createDocumentClient({ endpoint }), name, '*384*123#', new Date('2026-11-16T06:00:00Z'));
    return name;
  };
  await newTable(table);
  // The handlers read their configuration from the environment, as in Lambda.
  Object.assign(process.env, {
    TABLE_NAME: table, DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'local', SAUTI_CALLBACK_TOKEN: RIG_TOKEN, POWERTOOLS_LOG_LEVEL: 'SILENT',
    SAUTI_API_TOKENS: JSON.stringify({ [ADMIN]: { role: 'admin', name: 'Faults' } }), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const ussdModule = await import('../../functions/ussd/handler.js');
  const { createCallbacksHandler } = await import('../../functions/at-callbacks/handler.js');
  const { createApiHandler } = await import('../../functions/api/handler.js');
  const ussdFaults = injectFaults(ussdModule.dynamo, 6);
  const server: Server = createLocalServer({
    ussd: ussdModule.handler as Handler,
    atCallbacks: createCallbacksHandler({ queue: { enqueue: async () => undefined }, clock: systemClock }) as unknown as Handler,
    api: createApiHandler({ runDispatch: async () => ({}), clock: systemClock }) as unknown as Handler,
  }, { clock: systemClock });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // load.ts's driver reads only `base` and `token` of a stack.
  const stack: Stack = { child: undefined as unknown as ChildProcess, output: () => '', base, token: RIG_TOKEN };
  return {
    endpoint,
    table,
    stack,
    ussdFaults,
    newTable,
    async restartDynamo(pauseMs = 500) {
      const t0 = performance.now();
      const exited = new Promise((r) => dynamo.process.once('exit', r));
      dynamo.process.kill('SIGKILL');
      await exited;
      await new Promise((r) => setTimeout(r, pauseMs));
      dynamo = await startDynamoLocal({ dataDir, port });
      return performance.now() - t0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await dynamo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every item of a table, in a stable order: two snapshots are equal when nothing changed. */
export async function snapshot(endpoint: string, table: string): Promise<string> {
  const doc = createDocumentClient({ endpoint });
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  const key = (i: Record<string, unknown>) => `${String(i.pk)}|${String(i.sk)}`;
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortKeys(x)])) : v;
  return JSON.stringify(items.sort((a, b) => (key(a) < key(b) ? -1 : 1)).map(sortKeys));
}

/** One scenario's figures, for the console, the tests and RELIABILITY.md. */
export interface ScenarioResult {
  name: string;
  tried: string;
  found: string;
  injected: number;
  retries: number;
  lost: number;
  duplicates: number;
  contaminations: number;
  http5xx: number;
  /** Whether every check of the scenario held. */
  ok: boolean;
  /** Failed checks, readable. */
  problems: string[];
}

/**
 * The counted part of a scenario that checks lists of lost, duplicated and misdirected items,
 * with its verdict; these scenarios go through no HTTP front, so there is no 5xx to count.
 */
export function tally(
  found: { lost: readonly unknown[]; duplicates: readonly unknown[]; contaminations: readonly unknown[] },
  problems: string[],
): Pick<ScenarioResult, 'lost' | 'duplicates' | 'contaminations' | 'http5xx' | 'ok' | 'problems'> {
  return { lost: found.lost.length, duplicates: found.duplicates.length, contaminations: found.contaminations.length, http5xx: 0, ok: problems.length === 0, problems };
}
