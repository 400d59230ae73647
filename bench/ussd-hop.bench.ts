/**
 * USSD hop: drives complete sessions of three kinds (a new number's enrolment, a consented
 * participant's weekly diary, a treatment participant's lesson and quiz) through the USSD
 * handler in-process against DynamoDB Local, counting the DynamoDB requests each hop makes
 * and timing the handler.
 * Floor, measured in the same run and interleaved hop by hop so both share the machine's
 * noise: one bare GetItem (consistent) plus one PutItem of an item the size of a session,
 * with the same document client configuration the handler uses.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../functions/adapters/dynamo/table.js';
import { keys } from '../functions/adapters/dynamo/keys.js';
import { startDynamoLocal } from '../infra/local/dynamodb.js';
import { atCallbackEvent, lambdaContext } from '../infra/local/event.js';
import { DEMO_SERVICE_CODE } from '../infra/local/demo.js';
import { seedDemo } from '../infra/local/seed.js';
import { content } from '../content/index.js';
import { DynamoParticipantStore } from '../functions/adapters/dynamo/participant-store.js';
import { lessonSequence } from '../functions/core/ussd/lessons-flow.js';
import { type BenchResult, atMost, groupBy, mdTable, mean, median, ms, percentile, progress, timed, withinFloor } from './lib.js';
import { systemClock } from '../functions/core/ports/index.js';
import { createDocumentClient, createDynamoClient } from '../functions/adapters/dynamo/client.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100);
// DynamoDB Local is a JVM: its JIT needs a few hundred requests before timings settle.
const WARMUP_SESSIONS = Number(process.env.BENCH_WARMUP_SESSIONS ?? 30);
const TABLE = 'sauti-bench';
const TOKEN = 'bench-token';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** One DynamoDB call as the SDK made it: operation name and time (SDK + HTTP + DynamoDB Local). */
interface Call {
  op: string;
  ms: number;
}

type Kind = 'enrolment' | 'diary' | 'lesson';

interface Hop {
  ms: number;
  calls: Call[];
  kind: Kind;
  /** The last hop of a session: it records consent, saves the diary or finishes the lesson. */
  commit: boolean;
  /** The floor, run right after this hop: its time and its calls. */
  floorMs: number;
  floor: Call[];
}

const sum = (calls: Call[]) => calls.reduce((a, c) => a + c.ms, 0);
const reads = (h: Hop) => h.calls.filter((c) => READS.has(c.op)).length;
const writes = (h: Hop) => h.calls.filter((c) => WRITES.has(c.op)).length;
const isCommit = (h: Hop) => h.commit;

/**
 * Records every DynamoDB call a document client makes. At the initialize step the document
 * client has already swapped in the low-level command, so commandName is e.g. "BatchGetItemCommand";
 * one record per `send` (SDK retries happen further down the stack).
 */
function recordCalls(doc: DynamoDBDocumentClient): { take(): Call[] } {
  const calls: Call[] = [];
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName ?? '').replace(/Command$/, '');
      if (!READS.has(op) && !WRITES.has(op)) throw new Error(`Unexpected DynamoDB call: ${op}`);
      const { ms: took, result } = await timed(() => next(args));
      calls.push({ op, ms: took });
      return result;
    },
    { step: 'initialize', name: 'benchRecordCalls' },
  );
  return { take: () => calls.splice(0) };
}

/** The event API Gateway (HTTP API, payload 2.0) delivers: form body base64-encoded. */
function ussdEvent(sessionId: string, phoneNumber: string, text: string): APIGatewayProxyEventV2 {
  const form = new URLSearchParams({ sessionId, serviceCode: DEMO_SERVICE_CODE, phoneNumber, networkCode: '63902', text }).toString();
  return atCallbackEvent(TOKEN, '/ussd', form, systemClock.now(), { source: 'bench', requestId: `${sessionId}-${text.length}` });
}

/** Sets environment variables and returns how to put the previous values back. */
function setEnv(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Runs one enrolment by reading the screens, so a change in the number of consent pages
 * does not break the benchmark: language 1, "98" while the consent text has more, agree,
 * mobile money, own account, age 30. Returns the text of every hop ("", "1", "1*98", …), to
 * replay on every later session.
 */
/** The `text` of every hop for a list of inputs: "", "1", "1*98", … */
function cumulative(inputs: readonly string[]): string[] {
  return ['', ...inputs.map((_, i) => inputs.slice(0, i + 1).join('*'))];
}

async function deriveEnrolment(send: (text: string) => Promise<string>): Promise<string[]> {
  const inputs: string[] = [];
  const go = async (input: string) => {
    inputs.push(input);
    return send(inputs.join('*'));
  };
  let screen = await send('');
  screen = await go('1');
  while (/^98\./m.test(screen)) screen = await go('98');
  for (const input of ['1', '3', '1', '30']) screen = await go(input);
  if (!screen.startsWith('END Thank you')) throw new Error(`Enrolment did not finish as expected; last screen:\n${screen}`);
  return cumulative(inputs);
}

export async function run(): Promise<BenchResult> {
  progress('starting DynamoDB Local');
  const local = await startDynamoLocal({});
  const restoreEnv = setEnv({
    DYNAMODB_ENDPOINT: local.endpoint, TABLE_NAME: TABLE, SAUTI_CALLBACK_TOKEN: TOKEN,
    AWS_REGION: 'local', POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const admin = createDynamoClient({ endpoint: local.endpoint });
  const setupDoc = createDocumentClient({ endpoint: local.endpoint });
  // The floor's own client, configured as the handler's is (createDocumentClient), so the
  // difference between the two is the handler's doing.
  const floorDoc = createDocumentClient({ endpoint: local.endpoint });
  const floorCalls = recordCalls(floorDoc);
  let handlerDoc: DynamoDBDocumentClient | undefined;
  try {
    await ensureTable(admin, TABLE);
    await seedDemo(setupDoc, TABLE, DEMO_SERVICE_CODE, systemClock.now());
    // Imported only now: the handler reads its configuration from the environment at import.
    const mod = await import('../functions/ussd/handler.js');
    const handler = mod.handler;
    handlerDoc = mod.dynamo;
    const handlerCalls = recordCalls(mod.dynamo);

    let sessionNo = 0;
    const newSession = () => {
      sessionNo += 1;
      return { id: `bench-${process.pid}-${sessionNo}`, phone: `+2547110${String(sessionNo).padStart(5, '0')}` };
    };
    const hop = async (s: { id: string; phone: string }, text: string) => {
      const event = ussdEvent(s.id, s.phone, text);
      const context = lambdaContext('ussd', 10_000);
      const { ms: took, result } = await timed(() => handler(event, context));
      return { ms: took, body: result.body ?? '', calls: handlerCalls.take() };
    };

    const first = newSession();
    const texts = await deriveEnrolment(async (text) => (await hop(first, text)).body);
    // The floor writes an item as large as a session item (the enrolment's last, its largest).
    const sessionItem = (await setupDoc.send(new GetCommand({ TableName: TABLE, Key: keys.session(first.id) }))).Item;
    const itemBytes = Buffer.byteLength(JSON.stringify(sessionItem ?? {}));
    const payload = 'x'.repeat(Math.max(0, itemBytes - 60));

    const floorOnce = async (sessionId: string) => {
      const key = { pk: `BENCHFLOOR#${sessionId}`, sk: 'SESSION' };
      const { ms: took } = await timed(async () => {
        await floorDoc.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }));
        await floorDoc.send(new PutCommand({ TableName: TABLE, Item: { ...key, payload, at: systemClock.now().getTime() } }));
      });
      return { floorMs: took, floor: floorCalls.take() };
    };

    // A full weekly diary (payday: wage by mobile money, no fee, no trouble, saved, no borrowing)
    // and the first lesson with its quiz, each by a consented participant of the demo study.
    const diaryTexts = cumulative(['1', '1', '3', '5,000', '2', '1', '500', '1', '2', '1', '1', '1']);
    const firstLesson = lessonSequence(content)[0]?.lesson;
    const lessonTexts = cumulative(['2', ...Array(firstLesson?.ussd.en?.length ?? 0).fill('98'), '1']);
    const participants = new DynamoParticipantStore(setupDoc, TABLE);
    const member = async (armId: string) => {
      const s = newSession();
      const stamp = systemClock.now().toISOString();
      await participants.addParticipant({
        studyId: 'athi-river-2026', participantId: `bench-${s.id}`, phone: s.phone, lang: 'en', armId,
        consent: { state: 'consented', version: content.consent.version, channel: 'import' }, source: 'seed', createdAt: stamp, updatedAt: stamp,
      });
      return s;
    };
    const scripts: Record<Kind, { texts: string[]; open: () => Promise<{ id: string; phone: string }> }> = {
      enrolment: { texts, open: async () => newSession() },
      diary: { texts: diaryTexts, open: () => member('control') },
      lesson: { texts: lessonTexts, open: () => member('treatment') },
    };

    const session = async (kind: Kind): Promise<Hop[]> => {
      const { texts, open } = scripts[kind];
      const s = await open();
      const hops: Hop[] = [];
      for (const [i, text] of texts.entries()) {
        // Alternate which goes first, so neither always follows the other's work in DynamoDB Local.
        const floorFirst = i % 2 === 1;
        const before = floorFirst ? await floorOnce(s.id) : undefined;
        const { ms: took, body, calls } = await hop(s, text);
        const last = i === texts.length - 1;
        if (!body.startsWith(last ? 'END ' : 'CON ')) throw new Error(`Hop ${JSON.stringify(text)} answered:\n${body}`);
        hops.push({ ms: took, calls, kind, commit: i === texts.length - 1, ...(before ?? (await floorOnce(s.id))) });
      }
      return hops;
    };

    const kinds: Kind[] = ['enrolment', 'diary', 'lesson'];
    progress(`warming up: ${WARMUP_SESSIONS} sessions of each kind`);
    for (let i = 0; i < WARMUP_SESSIONS; i += 1) for (const kind of kinds) await session(kind);
    progress(`measuring: ${SESSIONS} enrolment, diary and lesson sessions each, interleaved`);
    const hops: Hop[] = [];
    for (let i = 0; i < SESSIONS; i += 1) for (const kind of kinds) hops.push(...(await session(kind)));
    return report(hops, Object.fromEntries(kinds.map((k) => [k, scripts[k].texts.length])) as Record<Kind, number>, itemBytes);
  } finally {
    for (const client of [handlerDoc, setupDoc, floorDoc, admin]) client?.destroy();
    await local.stop();
    restoreEnv();
  }
}

function report(hops: Hop[], hopsPerSession: Record<Kind, number>, itemBytes: number): BenchResult {
  const floor = hops.map((h) => h.floorMs);
  const row = (label: string, t: number[], inDynamo: number[], r: number, w: number) => [
    label, String(t.length), ms(median(t)), ms(percentile(t, 95)), ms(percentile(t, 99)),
    ms(median(inDynamo)), ms(median(t.map((x, i) => x - (inDynamo[i] as number)))), r.toFixed(2), w.toFixed(2),
  ];
  const hopRow = (label: string, set: Hop[]) =>
    row(label, set.map((h) => h.ms), set.map((h) => sum(h.calls)), mean(set.map(reads)), mean(set.map(writes)));
  const table = mdTable(
    ['Hops', 'Count', 'Median', 'p95', 'p99', 'In DynamoDB calls (median)', 'Outside them (median)', 'Reads/hop', 'Writes/hop'],
    [
      hopRow('All hops (handler)', hops),
      hopRow(`Enrolment sessions (${hopsPerSession.enrolment} hops)`, hops.filter((h) => h.kind === 'enrolment')),
      hopRow(`Diary sessions (${hopsPerSession.diary} hops)`, hops.filter((h) => h.kind === 'diary')),
      hopRow(`Lesson sessions (${hopsPerSession.lesson} hops)`, hops.filter((h) => h.kind === 'lesson')),
      hopRow('Last hop of each session (consent, diary saved, quiz answered)', hops.filter(isCommit)),
      row('Floor: GetItem + PutItem', floor, hops.map((h) => sum(h.floor)), 1, 1),
    ],
  );
  // Per operation: tells whether an excess lies in the calls themselves or in the handler's code.
  const opRows = (by: string, calls: Call[]) =>
    [...groupBy(calls, (c) => c.op)].map(([op, group]) => {
      const t = group.map((c) => c.ms);
      return [op, by, String(t.length), ms(median(t)), ms(percentile(t, 99))];
    });
  const opTable = mdTable(
    ['DynamoDB call', 'Made by', 'Calls', 'Median', 'p99'],
    [...opRows('handler', hops.flatMap((h) => h.calls)), ...opRows('floor', hops.flatMap((h) => h.floor))],
  );
  const all = hops.map((h) => h.ms);
  const metrics = [
    atMost('USSD: DynamoDB reads per hop (avg)', mean(hops.map(reads)), 1, (n) => n.toFixed(2)),
    atMost('USSD: DynamoDB writes per hop (avg)', mean(hops.map(writes)), 1, (n) => n.toFixed(2)),
    withinFloor('USSD: handler time per hop, median', median(all), median(floor), 1.3, ms),
    withinFloor('USSD: handler time per hop, p99', percentile(all, 99), percentile(floor, 99), 1.3, ms),
  ];
  const extra = hops.filter((h) => reads(h) > 1 || writes(h) > 1).length;
  const slowest = hops.filter((h) => h.ms > percentile(all, 99));
  const markdown = [
    `${SESSIONS} complete sessions of each kind (a new number's enrolment, a weekly diary on payday, a lesson with its quiz),`,
    'interleaved, in-process against DynamoDB Local (in memory), every answer stored as it is given,'
    + ` after ${WARMUP_SESSIONS} warm-up sessions of each kind. Requests are counted by an SDK middleware on the handler's document client`,
    '(one per `send`; SDK retries not counted). The floor runs alongside every hop (alternately before and after), on the same table, with its own client',
    `configured the same way: one consistent GetItem plus one PutItem of a ${itemBytes}-byte item (the size of a session item).`,
    '"In DynamoDB calls" is the time inside `send` (SDK, HTTP, DynamoDB Local); "outside them" is the handler\'s own code.',
    '',
    table,
    '',
    `Hops with more than one read or one write: ${extra} of ${hops.length}. Hops slower than the p99: ${slowest.length}, of which`,
    `${slowest.filter(isCommit).length} are the last hop of a session.`,
    '',
    'How one read and one write per hop is achieved: the read is a single BatchGetItem of the enrolment session, the',
    "participant and the participant's diary week; the write is a single PutItem of whichever item the hop changes: the",
    'enrolment session, the participant (consent, a finished lesson, a setting), the diary week (each answer together with',
    "the conversation's state, conditional on its version), or a complaint. A hop that ends the session (END) writes only",
    'its record: nothing needs to remember the conversation. "My summary" adds one Query, on that screen only. Replays are',
    "answered from the stored last response without writing; Africa's Talking's cumulative `text` tells replays from new input.",
    '',
    opTable,
  ].join('\n');
  return { title: 'USSD hop', markdown, metrics };
}
