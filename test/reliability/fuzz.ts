import { startDynamoLocal } from '../../infra/local/dynamodb.js';
import { fuzzApiRoutes, fuzzCallbackRoutes, httpFuzzWorld } from './fuzz-http.js';
import { fuzzContent, fuzzCsv, fuzzSms } from './fuzz-parsers.js';
import type { FuzzResult } from './fuzz-strings.js';

/**
 * The hostile-input part of the reliability suite: property-based fuzzing of every parser and
 * every HTTP route, on an in-memory DynamoDB Local of its own. `fuzz.test.ts` runs fewer cases.
 */
export interface FuzzScale {
  sms: number;
  csv: number;
  content: number;
  /** Per callback route. */
  callbacks: number;
  /** Over all admin routes. */
  api: number;
}

export const FULL_FUZZ: FuzzScale = { sms: 20_000, csv: 3_000, content: 800, callbacks: 200, api: 1_500 };

export async function runFuzz(scale: FuzzScale, log: (line: string) => void = () => {}): Promise<{ results: FuzzResult[]; unhandled: number }> {
  let unhandled = 0;
  const onUnhandled = () => {
    unhandled += 1;
  };
  process.on('unhandledRejection', onUnhandled);
  const results: FuzzResult[] = [];
  const report = (r: FuzzResult) => {
    results.push(r);
    log(`${fuzzClean(r) ? 'ok  ' : 'FAIL'} ${r.name}: ${r.runs} inputs, ${r.rejected} rejected, ${r.http5xx} 5xx, ${r.thrown} thrown, ${r.stateChanges} state changes on rejection${r.problems.length > 0 ? `\n  problems: ${r.problems.slice(0, 5).join('; ')}` : ''}`);
  };
  const dynamo = await startDynamoLocal();
  try {
    report(fuzzSms(scale.sms));
    report(fuzzCsv(scale.csv));
    report(fuzzContent(scale.content));
    const world = await httpFuzzWorld(dynamo.endpoint);
    report(await fuzzCallbackRoutes(world, scale.callbacks));
    report(await fuzzApiRoutes(world, scale.api));
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await dynamo.stop();
  }
  return { results, unhandled };
}

export const fuzzClean = (r: FuzzResult) => r.problems.length === 0 && r.http5xx === 0 && r.thrown === 0 && r.stateChanges === 0;

export function formatFuzz(results: readonly FuzzResult[], unhandled: number): string {
  const statuses = (r: FuzzResult) => Object.entries(r.statuses).map(([s, n]) => `${s}: ${n}`).join(', ') || '-';
  return [
    '| target | inputs | rejected | HTTP statuses | 5xx | thrown | state changed on rejection | result |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${r.runs} | ${r.rejected} | ${statuses(r)} | ${r.http5xx} | ${r.thrown} | ${r.stateChanges} | ${fuzzClean(r) ? 'ok' : 'FAILED'} |`),
    '',
    `Unhandled promise rejections during the run: ${unhandled}.`,
    ...results.filter((r) => !fuzzClean(r)).flatMap((r) => ['', `**${r.name}** problems: ${r.problems.slice(0, 5).join('; ')}`, ...r.examples.slice(0, 3).map((e) => `- counterexample: \`${e}\``)]),
  ].join('\n');
}
