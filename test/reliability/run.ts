import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { FULL_FAULTS, faultsOk, formatFaults, runFaults } from './faults.js';
import { formatFuzz, FULL_FUZZ, fuzzClean, runFuzz } from './fuzz.js';
import { formatReport, reconciled, summarize } from './load.js';
import { runSuite } from './suite.js';
import { systemClock } from '../../functions/core/ports/index.js';

/**
 * `npm run reliability`: the three parts of the reliability suite, each writing its own section
 * of RELIABILITY.md (the other sections are kept as they are):
 * - load: 200 virtual participants doing whole USSD diaries for 60 s against `npm start`, with
 *   incoming SMS and delivery reports at the same time, then every acknowledged answer
 *   reconciled against the store;
 * - faults: DynamoDB throttling / outages / restarts, Africa's Talking failures, crashed
 *   dispatcher and sender, each reconciled;
 * - fuzz: property-based hostile input to every parser and every HTTP route.
 * Options: `-- --only load|faults|fuzz`, and for the load `--concurrency 200 --seconds 60
 * --per-worker 2`; `--out RELIABILITY.md`. Without `--only`, each part runs in a process of its
 * own (the handlers read their configuration once per process).
 */
const PARTS = ['load', 'faults', 'fuzz'] as const;
type Part = (typeof PARTS)[number];

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const only = arg('only', '');
const out = arg('out', 'RELIABILITY.md');
const command = `npm run reliability${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

if (only === '') {
  let failed = false;
  for (const part of PARTS) {
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string, ...process.argv.slice(2), '--only', part], { stdio: 'inherit' });
    failed ||= r.status !== 0;
  }
  process.exit(failed ? 1 : 0);
}
if (!(PARTS as readonly string[]).includes(only)) {
  console.error(`--only takes one of ${PARTS.join(', ')}; got "${only}".`);
  process.exit(2);
}

const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
const startedAt = systemClock.now();
const log = (l: string) => console.log(l);

const TITLE = {
  load: 'Load',
  faults: 'Faults',
  fuzz: 'Hostile input (fuzzing)',
} as const satisfies Record<Part, string>;

const { ok, body } = only === 'load' ? await load() : only === 'faults' ? await faults() : await fuzz();
writeFileSync(out, merge(existsSync(out) ? readFileSync(out, 'utf8') : '', only as Part, `## ${TITLE[only as Part]}\n\n${body.trim()}\n`));
console.log(`wrote the ${only} section of ${out}${ok ? '' : ' (FAILED)'}`);
process.exit(ok ? 0 : 1);

async function load(): Promise<{ ok: boolean; body: string }> {
  const concurrency = Number(arg('concurrency', '200'));
  const seconds = Number(arg('seconds', '60'));
  const participantsPerWorker = Number(arg('per-worker', '2'));
  const { load, rec, imported, tampered } = await runSuite({ concurrency, seconds, participantsPerWorker, smsEveryMs: 50, deliveryEveryMs: 50 }, log);
  const report = formatReport(load, rec);
  console.log(`\n${report}\n`);
  const errors = summarize(load).reduce((n, k) => n + k.http5xx + k.httpOther + k.networkErrors + k.apologies, 0);
  const checkerWorks = tampered.changed.length === 1 && tampered.lost.length === 1;
  const ok = reconciled(rec) && errors === 0 && load.sessions.failed === 0 && checkerWorks;
  return {
    ok,
    body: `What \`npm run reliability\` measured: the local stack (\`npm start\`: the Lambda handlers behind
one Node HTTP server, on DynamoDB Local) under many concurrent USSD diary sessions, with incoming
SMS and delivery reports at the same time; then every answer acknowledged to a client read back
from the store. **Verdict: ${ok ? 'every acknowledged answer stored exactly once; no HTTP error, no apology' : 'FAILED — see below'}.**

- Date: ${startedAt.toISOString()}
- Command: \`${command}\`
- Machine: ${machine}. The driver, the stack and DynamoDB Local (Java) share these cores.
- Participants: ${imported} consented English-speaking participants imported into \`athi-river-2026\` by CSV through the admin API before the run; each virtual participant owns ${participantsPerWorker} and dials them in turn (a new session each time); once through, it re-dials the first ones, which lands on the review of the saved week: it changes one answer and saves again.

### Figures

${report}

### How

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
  };
}

async function faults(): Promise<{ ok: boolean; body: string }> {
  const results = await runFaults(FULL_FAULTS, log);
  const ok = faultsOk(results);
  const figures = formatFaults(results);
  console.log(`\n${figures}`);
  return {
    ok,
    body: `What \`npm run reliability -- --only faults\` did: each fault below, injected into the real
handlers (USSD, callbacks, admin API, dispatcher, sender) running on a DynamoDB Local of their own
(data on disk) and, for SMS, the real \`africastalking\` SDK talking to a fake Africa's Talking
server; then a reconciliation of what was acknowledged or sent against the store and the handsets.
**Verdict: ${ok ? 'no acknowledged answer lost or stored twice, no duplicate message outside the known limit, nothing to a control participant or an opted-out number, no USSD 5xx' : 'FAILED — see below'}.**

- Date: ${startedAt.toISOString()}
- Command: \`${command}\`
- Machine: ${machine}.

### Figures

${figures}
### How

- Store faults: an SDK middleware (\`test/reliability/faults-inject.ts\`) on the USSD handler's
  DynamoDB client, in the \`deserialize\` step, i.e. inside the SDK's retry loop: each attempt may
  throw \`ThrottlingException\`, \`ProvisionedThroughputExceededException\` or an HTTP 500, before the
  call or after DynamoDB applied it (the answer lost, the write not). Retries are the SDK's, with the
  explicit policy of \`functions/adapters/dynamo/client.ts\` (standard mode, 3 attempts, socket
  timeouts). "Retries" counts \`$metadata.attempts - 1\` over all calls.
- Acknowledged answers are reconciled with \`reconcile\` from \`load.ts\` (same rules as the load part).
- Persistent faults: a Scan of the whole table before and after each faulted hop must be equal.
- SMS: the dispatcher (\`dispatchAll\`) and the sender Lambda handler (\`createSendHandler\`) on the
  local queue (SQS semantics: partial batch failures, redelivery after a 6-minute visibility timeout,
  DLQ after ${5} receives), on a fake clock; every recipient Africa's Talking accepted is a message
  on a handset. Lost: a message record still queued/sending at the end, or accepted but never at AT.
  Duplicate: the same text twice on the same handset. Contamination: a lesson on a control
  participant's handset, or anything on an opted-out number.
- Crashes: the dispatcher's client applies its K-th TransactWriteItems then fails every call
  (the process died; its enqueue never happens); the sender's gateway throws after the claims.
- The ambiguous sends are the one window at-least-once delivery cannot close without an
  idempotency key at the provider (AT's SMS API has none): they are measured, not hidden.
- The short version (\`test/reliability/faults.test.ts\`, in \`npm test\`) runs the same scenarios smaller.
`,
  };
}

async function fuzz(): Promise<{ ok: boolean; body: string }> {
  const { results, unhandled } = await runFuzz(FULL_FUZZ, log);
  const ok = unhandled === 0 && results.every(fuzzClean);
  const figures = formatFuzz(results, unhandled);
  console.log(`\n${figures}`);
  return {
    ok,
    body: `What \`npm run reliability -- --only fuzz\` did: property-based fuzzing (fast-check, fixed seeds)
of every parser and of every HTTP route, against the real handlers on DynamoDB Local (one table per
handler). **Verdict: ${ok ? 'no 5xx, nothing thrown, no unhandled rejection, no state change on rejected input' : 'FAILED — see below'}.**

- Date: ${startedAt.toISOString()}
- Command: \`${command}\`
- Machine: ${machine}.

### Figures

${figures}

### How

- Inputs (\`test/reliability/fuzz-strings.ts\`): random strings (UTF-16, graphemes, binary), and
  a list of classics (empty, \`*\`, \`**\`, \`%zz\`, NUL, BOM, lone surrogates, RTL override,
  \`__proto__\`, Arabic and Bengali digits, emoji, over-long).
- Parsers (\`fuzz-parsers.ts\`): SMS bodies through \`interpretInbound\`, \`keywordOf\`,
  \`parseDiaryReply\` (accepted diary answers must name known questions and lie in range);
  enrolment CSV through \`parseEnrolmentCsv\` (random headers, quoting, line ends, BOM; a refusal
  needs a line and a message, an accepted number must be E.164, no number twice); content files
  through \`contentProblems\` after 1-3 random mutations (delete / empty / replace any value), plus
  two targeted breakages that must be refused.
- HTTP (\`fuzz-http.ts\`): every route of \`infra/routes.ts\` (USSD, USSD events, SMS, delivery
  reports, health) and every admin route of \`functions/api/routes.ts\`, with random methods,
  content types, headers, path tokens and parameters (real ids, hostile segments, 3000
  characters), bodies (form fields with the expected names and hostile values, a field twice,
  stray fields, random JSON, bodies shaped after each route's zod schema, up to 2 MB, base64 or
  not, broken base64), and random query strings. Each request: no throw, no 5xx, a USSD answer is
  \`CON\`/\`END\` and fits the screen; a rejected request (4xx, or a USSD fallback screen) must
  leave a full Scan of the table unchanged.
- Bugs found and fixed: a form field with an empty name (\`=x\`) or named \`constructor\` made
  the callbacks handler throw while storing the raw callback (DynamoDB refuses an empty map key;
  the SDK's marshaller takes a map with its own \`constructor\` for a class instance);
  \`formFields\` now drops such names, which Africa's Talking never sends; a lone surrogate in a
  URL made the fuzzer itself throw (fixed in the fuzzer); an admin path id
  of thousands of characters gave a 500 (DynamoDB key too large; now a 404); the content check
  threw on a language without strings instead of reporting it, and did not check that the
  handlers' last-resort apologies (\`sorry\`, \`unavailable\`) fit a USSD screen (a too-long one
  would make the USSD handler's fallback itself throw).
- The short version (\`test/reliability/fuzz.test.ts\`, in \`npm test\`) runs fewer inputs.
`,
  };
}

/**
 * Replaces one part's section of the report and keeps the others. A report written before the
 * parts had sections (the load report alone) becomes the load section.
 */
function merge(existing: string, part: Part, section: string): string {
  const begin = (p: Part) => `<!-- reliability:${p} -->`;
  const end = (p: Part) => `<!-- /reliability:${p} -->`;
  const sections = new Map<Part, string>();
  if (existing.includes(begin('load')) || existing.includes(begin('faults')) || existing.includes(begin('fuzz'))) {
    for (const p of PARTS) {
      const from = existing.indexOf(begin(p));
      const to = existing.indexOf(end(p));
      if (from >= 0 && to > from) sections.set(p, existing.slice(from + begin(p).length, to).trim());
    }
  } else if (existing.startsWith('# Reliability: load')) {
    // The old single-part report: its headings move one level down under "## Load".
    const body = existing.replace(/^# Reliability: load\n+/, '').replace(/^## /gm, '### ');
    sections.set('load', `## ${TITLE.load}\n\n${body.trim()}`);
  }
  sections.set(part, section.trim());
  const intro = `# Reliability

Figures from \`npm run reliability\` (test/reliability/run.ts), one section per part; each part
can be rerun alone with \`npm run reliability -- --only load|faults|fuzz\`, which rewrites its
section and keeps the others. Short versions of all three run in \`npm test\`.
`;
  return `${intro}\n${PARTS.filter((p) => sections.has(p)).map((p) => `${begin(p)}\n${sections.get(p)}\n${end(p)}`).join('\n\n')}\n`;
}
