import { ambiguousSends, atFaults, crashes } from './faults-sms.js';
import { sslWirelessFaults } from './faults-providers.js';
import { type ScenarioResult, startRig } from './faults-rig.js';
import { dynamoRestartUnderLoad, persistentStoreFaults, transientStoreFaults } from './faults-ussd.js';

/**
 * The fault part of the reliability suite: every scenario in turn on one rig (its own
 * DynamoDB Local on disk, the real handlers), each printing what it tried and what it found.
 * `faults.test.ts` runs the same scenarios smaller.
 */
export interface FaultScale {
  /** USSD participants at once, and seconds, for the transient-fault and restart scenarios. */
  concurrency: number;
  seconds: number;
  restartSeconds: number;
  persistentParticipants: number;
}

export const FULL_FAULTS: FaultScale = { concurrency: 40, seconds: 20, restartSeconds: 30, persistentParticipants: 6 };

export async function runFaults(scale: FaultScale, log: (line: string) => void = () => {}): Promise<ScenarioResult[]> {
  const rig = await startRig();
  const results: ScenarioResult[] = [];
  const scenario = async (run: () => Promise<ScenarioResult>) => {
    const r = await run();
    results.push(r);
    log(`\n${r.ok ? 'ok  ' : 'FAIL'} ${r.name}\n  tried: ${r.tried}\n  found: ${r.found}${r.problems.length > 0 ? `\n  problems: ${r.problems.slice(0, 5).join('; ')}` : ''}`);
  };
  try {
    await scenario(() => transientStoreFaults(rig, { concurrency: scale.concurrency, seconds: scale.seconds }));
    await scenario(() => persistentStoreFaults(rig, scale.persistentParticipants));
    await scenario(() => atFaults(rig));
    await scenario(() => crashes(rig));
    await scenario(() => ambiguousSends(rig));
    await scenario(() => sslWirelessFaults(rig));
    await scenario(() => dynamoRestartUnderLoad(rig, { concurrency: scale.concurrency, seconds: scale.restartSeconds }));
  } finally {
    await rig.stop();
  }
  return results;
}

/** Whether the results meet the bar; the ambiguous sends are a measured limit, judged on loss and contamination only. */
export function faultsOk(results: readonly ScenarioResult[]): boolean {
  return results.every((r) => r.ok && r.lost === 0 && r.contaminations === 0 && r.http5xx === 0 && (r.name.includes('known limit') || r.duplicates === 0));
}

export function formatFaults(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => `| ${r.name} | ${r.injected} | ${r.retries} | ${r.lost} | ${r.duplicates} | ${r.contaminations} | ${r.http5xx} | ${r.ok ? 'ok' : 'FAILED'} |`);
  const total = (k: 'injected' | 'retries' | 'lost' | 'duplicates' | 'contaminations' | 'http5xx', except?: string) => results.filter((r) => !except || !r.name.includes(except)).reduce((n, r) => n + r[k], 0);
  return [
    '| scenario | faults injected | retries | lost | duplicates | contaminations | USSD 5xx | result |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    `| **total** (known limit excluded from duplicates) | ${total('injected')} | ${total('retries')} | ${total('lost')} | ${total('duplicates', 'known limit')} | ${total('contaminations')} | ${total('http5xx')} | ${faultsOk(results) ? 'ok' : 'FAILED'} |`,
    '',
    ...results.flatMap((r) => [`**${r.name}.** Tried: ${r.tried}. Found: ${r.found}.${r.problems.length > 0 ? ` Problems: ${r.problems.slice(0, 5).join('; ')}` : ''}`, '']),
  ].join('\n');
}
