import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, startStack, stopStack } from '../support/stack.js';
import { dynamoOf, importParticipants, type LoadOptions, type LoadResult, loadPhones, type Reconciliation, reconcile, runLoad } from './load.js';

export type SuiteOptions = Omit<LoadOptions, 'stack'>;

/** Starts `npm start` in a scratch data folder, imports the participants, runs the load, reconciles, stops. */
export async function runSuite(
  o: SuiteOptions,
  log: (line: string) => void = () => {},
): Promise<{ load: LoadResult; rec: Reconciliation; imported: number; tampered: Reconciliation }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sauti-reliability-'));
  try {
    const stack = await startStack(dataDir);
    try {
      const phones = loadPhones(o.concurrency * o.participantsPerWorker, o.phoneOffset);
      log(`stack ready at ${stack.base}; importing ${phones.length} participants…`);
      const imported = await importParticipants(stack, phones);
      log(`imported ${imported}; ${o.concurrency} virtual participants for ${o.seconds === undefined ? `${o.sessionsPerWorker} sessions each` : `${o.seconds} s`}…`);
      const load = await runLoad({ ...o, stack });
      log(`load done in ${(load.elapsedMs / 1000).toFixed(1)} s; reconciling…`);
      const { endpoint, table } = dynamoOf(stack);
      const rec = await reconcile(endpoint, table, load);
      // The checker must not be vacuous: one acknowledged answer altered in the ledger and one
      // invented must come out as one changed and one lost.
      const acked = load.attempts.findLast((a) => a.acked);
      const forged = acked ? [{ ...acked, value: 'forged' }, { ...acked, questionId: 'never_asked' }] : [];
      const tampered = await reconcile(endpoint, table, { ...load, attempts: [...load.attempts, ...forged] });
      return { load, rec, imported, tampered };
    } finally {
      await stopStack(stack).catch(() => killAll());
    }
  } finally {
    killAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
