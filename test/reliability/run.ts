import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { formatReport, reconciled, summarize } from './load.js';
import { runSuite } from './suite.js';

/**
 * `npm run reliability`: 200 virtual participants doing whole USSD diaries for 60 s against
 * `npm start`, with incoming SMS and delivery reports at the same time, then the reconciliation
 * of every acknowledged answer against the store. Writes RELIABILITY.md. Options:
 * `-- --concurrency 200 --seconds 60 --per-worker 2 --out RELIABILITY.md`.
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const concurrency = Number(arg('concurrency', '200'));
const seconds = Number(arg('seconds', '60'));
const participantsPerWorker = Number(arg('per-worker', '2'));
const out = arg('out', 'RELIABILITY.md');

const startedAt = new Date();
const { load, rec, imported, tampered } = await runSuite({ concurrency, seconds, participantsPerWorker, smsEveryMs: 50, deliveryEveryMs: 50 }, (l) => console.log(l));
const report = formatReport(load, rec);
console.log(`\n${report}\n`);

const cpus = os.cpus();
const errors = summarize(load).reduce((n, k) => n + k.http5xx + k.httpOther + k.networkErrors + k.apologies, 0);
const checkerWorks = tampered.changed.length === 1 && tampered.lost.length === 1;
const ok = reconciled(rec) && errors === 0 && load.sessions.failed === 0 && checkerWorks;
writeFileSync(
  out,
  `# Reliability: load

What \`npm run reliability\` measured: the local stack (\`npm start\`: the Lambda handlers behind
one Node HTTP server, on DynamoDB Local) under many concurrent USSD diary sessions, with incoming
SMS and delivery reports at the same time; then every answer acknowledged to a client read back
from the store. **Verdict: ${ok ? 'every acknowledged answer stored exactly once; no HTTP error, no apology' : 'FAILED — see below'}.**

- Date: ${startedAt.toISOString()}
- Command: \`npm run reliability${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`
- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}. The driver, the stack and DynamoDB Local (Java) share these cores.
- Participants: ${imported} consented English-speaking participants imported into \`athi-river-2026\` by CSV through the admin API before the run; each virtual participant owns ${participantsPerWorker} and dials them in turn (a new session each time); once through, it re-dials the first ones, which lands on the review of the saved week: it changes one answer and saves again.

## Figures

${report}

## How

- Driver: \`test/reliability/load.ts\`, Node's \`http\` with a keep-alive agent, not autocannon: a USSD
  session is a stateful multi-hop conversation (each request carries every answer so far, the next
  input depends on the screen received, and the driver must know which question each answer
  answered), which fixed request lists cannot express.
- An answer is *acknowledged* when the screen after it is the next question or the review (an
  apology, an error or a re-asked question is not an acknowledgement). The driver records
  (participant, ISO week, question, value, session) for each answer it sends and whether it was
  acknowledged.
- Reconciliation: every diary week of the study in the run's ISO weeks is read with
  \`DynamoDiaryReader.week\` (gsi1) from the stack's DynamoDB Local, participants mapped back to
  their numbers with \`DynamoParticipantStore.listByStudy\`. For each (participant, week,
  question) acknowledged, the stored value must be the last acknowledged one, written by the same
  session (or a later unacknowledged try); no load participant may have more than one week
  record for a week, nor a stored answer the driver never sent; every week acknowledged as saved
  must be complete.
- The checker is checked too: the same reconciliation run on the ledger with one acknowledged
  answer altered and one invented reported ${tampered.changed.length} changed and ${tampered.lost.length} lost (expected 1 and 1).
- Latency is measured at the driver, from sending the request to the last byte of the response,
  so it includes the driver's own queueing on the shared cores.
- The short version (20 at once for 5 s) runs in \`npm test\` (\`test/reliability/load.test.ts\`)
  and asserts zero lost answers, zero 5xx, zero apologies.
`,
);
console.log(`wrote ${out}${ok ? '' : ' (FAILED)'}`);
process.exit(ok ? 0 : 1);
