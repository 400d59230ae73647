/**
 * Sending: prompts in three languages through the sender Lambda's handler
 * (`createSendHandler`), behind the local queue (SQS semantics, batches of 100, a rate cap),
 * through the official Africa's Talking SDK (`AfricasTalkingSmsGateway`) to the fake AT
 * server, against DynamoDB Local (in memory). Counts the bulk API calls against the fewest
 * possible (one per 100 recipients of each text), and the throughput against the cap; run
 * once uncapped first, to show what the machine can do.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { content } from '../content/index.js';
import { AfricasTalkingSmsGateway } from '../functions/adapters/africastalking/sms-gateway.js';
import { participantItem } from '../functions/adapters/dynamo/items.js';
import { envPhoneKeys } from '../functions/adapters/phone-key.js';
import { DynamoMessageStore } from '../functions/adapters/dynamo/message-store.js';
import { createStudy } from '../functions/adapters/dynamo/study-admin.js';
import { ensureTable } from '../functions/adapters/dynamo/table.js';
import type { Participant, Study } from '../functions/core/model.js';
import type { RecipientOutcome, SmsBatch, SmsGateway } from '../functions/core/ports/sms.js';
import { messageId } from '../functions/core/schedule/policy.js';
import type { OutboundMessage } from '../functions/core/sms/send.js';
import { smsText } from '../functions/core/sms/text.js';
import { demoStudy } from '../infra/local/demo.js';
import { startDynamoLocal } from '../infra/local/dynamodb.js';
import { LocalQueue } from '../infra/local/queue.js';
import { type FakeAt, startFakeAt } from '../test/support/fake-at-server.js';
import { type BenchResult, type Metric, atMost, batchWrite, inPool, mdTable, progress, times, timed } from './lib.js';

import { createDocumentClient, createDynamoClient } from '../functions/adapters/dynamo/client.js';
import { BENCH_DAYTIME, type ProviderRun, providerReport, runProviders } from './send-providers.js';

/**
 * Messages sent under the cap. 100,000 is the aim, but on this 2-core machine the sender tops
 * out at about 200-250 messages/s against DynamoDB Local (two write requests per message), and
 * the cap must sit below that: the default is the largest N that keeps the run near 4 minutes.
 */
const N_DEFAULT = 15_000;
const N = Number(process.env.SAUTI_BENCH_N ?? N_DEFAULT);
/** Messages of the uncapped run (the machine's own ceiling). */
const M = Math.max(300, Math.round(N / 4));
const WARMUP = Math.min(600, M);
const LANGS = ['en', 'sw', 'bn'] as const;
const TABLE = 'sauti-bench-send';
const API_KEY = 'bench-key';
/** Receives before a message goes to the dead letters; the queue and the sender must agree on it. */
const MAX_RECEIVES = 3;
const CREATED = new Date('2026-11-23T05:00:00Z');
/** Periods the three runs send for, so their message ids differ (same participants). */
const PERIODS = { warmup: '2026-W46', uncapped: '2026-W47', capped: '2026-W48' } as const;
type RunName = keyof typeof PERIODS;

const secs = (n: number): string => `${(n / 1000).toFixed(2)} s`;
const int = (n: number): string => n.toLocaleString('en-US');
const rate = (n: number): string => `${Math.round(n).toLocaleString('en-US')} msg/s`;
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`;

function participant(study: Study, i: number): Participant {
  const stamp = CREATED.toISOString();
  return {
    studyId: study.studyId,
    participantId: `send-${String(i).padStart(7, '0')}`,
    phone: `+2547${10_000_000 + i}`,
    lang: LANGS[i % LANGS.length] as string,
    consent: { state: 'consented', version: content.consent.version, at: stamp, channel: 'import' },
    armId: Math.floor(i / 3) % 2 === 0 ? 'treatment' : 'control',
    source: 'import',
    createdAt: stamp,
    updatedAt: stamp,
  };
}

function outbound(study: Study, p: Participant, period: string): OutboundMessage {
  return {
    messageId: messageId(p, 'prompt', period),
    studyId: study.studyId,
    participantId: p.participantId,
    phone: p.phone,
    text: smsText(content, 'prompt', p.lang ?? 'en', { code: study.serviceCode }),
    treatmentOnly: false,
  };
}

/** Records the messages as the dispatcher does (`createMany`: status queued), several chunks at once. */
async function record(doc: DynamoDBDocumentClient, messages: readonly OutboundMessage[], period: string): Promise<void> {
  const store = new DynamoMessageStore(doc, TABLE);
  const chunks: OutboundMessage[][] = [];
  for (let i = 0; i < messages.length; i += 1000) chunks.push(messages.slice(i, i + 1000));
  await inPool(chunks, 3, async (chunk) => {
    const created = await store.createMany(chunk.map((m) => ({ ...m, purpose: 'prompt', period, createdAt: CREATED.toISOString() })));
    if (created.length !== chunk.length) throw new Error(`createMany created ${created.length} of ${chunk.length}`);
  });
}

/** The gateway with the time spent in it (SDK, HTTP, fake AT), to split the handler's time. */
class TimedGateway implements SmsGateway {
  ms = 0;
  constructor(private readonly inner: SmsGateway) {}

  async sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    const { ms, result } = await timed(() => this.inner.sendBulk(batch));
    this.ms += ms;
    return result;
  }
}

interface SendRun {
  name: RunName;
  messages: number;
  cap: number;
  ms: number;
  /** Time inside the handler (claims, send-time check, AT, records); the rest is the queue and its cap. */
  handlerMs: number;
  /** Of which in the AT gateway (SDK, HTTP, fake server). */
  atMs: number;
  batches: number;
  requests: number;
  ideal: number;
  maxRecipients: number;
  byLang: Record<string, number>;
}

/** Ideal number of bulk requests: one per 100 recipients of each text. */
function idealCalls(messages: readonly OutboundMessage[]): number {
  const perText = new Map<string, number>();
  for (const m of messages) perText.set(m.text, (perText.get(m.text) ?? 0) + 1);
  return [...perText.values()].reduce((a, n) => a + Math.ceil(n / 100), 0);
}

async function send(
  name: RunName,
  messages: OutboundMessage[],
  cap: number,
  handler: (e: SQSEvent) => Promise<SQSBatchResponse>,
  gateway: TimedGateway,
  fake: FakeAt,
  store: DynamoMessageStore,
  langOf: Map<string, string>,
  textLang: Map<string, string>,
): Promise<SendRun> {
  fake.reset();
  gateway.ms = 0;
  let handlerMs = 0;
  let batches = 0;
  const queue = new LocalQueue(
    async (event) => {
      const { ms, result } = await timed(() => handler(event));
      handlerMs += ms;
      batches += 1;
      return result;
    },
    { batchSize: 100, ...(Number.isFinite(cap) ? { ratePerSecond: cap } : {}), maxReceives: MAX_RECEIVES, backoffMs: () => 200 },
  );
  // Same text together, as the dispatcher enqueues them.
  const sorted = [...messages].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  const { ms } = await timed(async () => {
    await queue.enqueue(sorted);
    for (let round = 0; queue.size > 0; round += 1) {
      if (round > 50) throw new Error(`${queue.size} messages still queued after 50 polls`);
      if ((await queue.poll()) === 0) await new Promise((r) => setTimeout(r, 100));
    }
  });
  if (queue.deadLetters.length > 0) throw new Error(`${queue.deadLetters.length} messages dead-lettered: ${queue.deadLetters[0]?.reason}`);

  // Every message accepted in the store.
  const ids = messages.map((m) => m.messageId);
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 1000) chunks.push(ids.slice(i, i + 1000));
  const records = (await inPool(chunks, 2, (chunk) => store.getMany(chunk))).flat();
  const accepted = records.filter((r) => r.status === 'accepted' && r.providerId).length;
  if (accepted !== messages.length) throw new Error(`${name}: ${accepted} of ${messages.length} messages ended accepted`);

  // Every recipient exactly once, in one request of ≤ 100 recipients carrying their language's text.
  const seen = new Map<string, number>();
  const byLang: Record<string, number> = {};
  let maxRecipients = 0;
  for (const req of fake.requests) {
    if (req.apiKey !== API_KEY || req.aborted) throw new Error('A request to the fake AT went without the API key or was aborted');
    const lang = textLang.get(req.message ?? '');
    if (!lang) throw new Error(`A request carried an unexpected text: ${JSON.stringify(req.message?.slice(0, 40))}`);
    if (req.to.length > 100) throw new Error(`A request carried ${req.to.length} recipients (more than 100)`);
    if (req.accepted.length !== req.to.length) throw new Error(`The fake AT accepted ${req.accepted.length} of ${req.to.length} recipients of a request`);
    maxRecipients = Math.max(maxRecipients, req.to.length);
    byLang[lang] = (byLang[lang] ?? 0) + 1;
    for (const to of req.to) {
      if (langOf.get(to) !== lang) throw new Error(`${to} got the ${lang} text; their language is ${langOf.get(to)}`);
      seen.set(to, (seen.get(to) ?? 0) + 1);
    }
  }
  const twice = [...seen.values()].filter((n) => n !== 1).length;
  if (seen.size !== messages.length || twice > 0) throw new Error(`${name}: ${seen.size} recipients reached for ${messages.length} messages, ${twice} more than once`);
  return { name, messages: messages.length, cap, ms, handlerMs, atMs: gateway.ms, batches, requests: fake.requests.length, ideal: idealCalls(messages), maxRecipients, byLang };
}

/**
 * The local queue alone: n messages through a handler that does nothing, no cap. Its own
 * bookkeeping, which the sender runs above, as a function of how many messages wait.
 */
async function queueAlone(messages: readonly OutboundMessage[]): Promise<{ n: number; ms: number }> {
  const queue = new LocalQueue(async () => ({ batchItemFailures: [] }), { batchSize: 100 });
  await queue.enqueue(messages);
  const { ms } = await timed(async () => {
    while (queue.size > 0) await queue.poll();
  });
  return { n: messages.length, ms };
}

/**
 * A round cap below the measured ceiling, so that the cap, not the machine, binds. 70%: under
 * a cap the handler runs faster than flat out (DynamoDB Local catches up between batches), so
 * this leaves room even when the machine's load varies.
 */
function capBelow(ceiling: number): number {
  const wanted = ceiling * 0.7;
  const step = wanted >= 1000 ? 250 : wanted >= 200 ? 50 : 10;
  return Math.max(step, Math.floor(wanted / step) * step);
}

export async function run(): Promise<BenchResult> {
  progress('starting DynamoDB Local (in memory) and the fake AT server');
  const local = await startDynamoLocal({});
  const fake = await startFakeAt({ apiKey: API_KEY });
  const before = { TABLE_NAME: process.env.TABLE_NAME, DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT, AWS_REGION: process.env.AWS_REGION, POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL };
  const admin = createDynamoClient({ endpoint: local.endpoint });
  const doc = createDocumentClient({ endpoint: local.endpoint });
  try {
    await ensureTable(admin, TABLE);
    const study: Study = { ...demoStudy('*384*123#', CREATED), languages: [...LANGS] };
    await createStudy(doc, TABLE, study);
    const people = Array.from({ length: N }, (_, i) => participant(study, i));
    const langOf = new Map(people.map((p) => [p.phone, p.lang ?? 'en']));
    const textLang = new Map(LANGS.map((l) => [smsText(content, 'prompt', l, { code: study.serviceCode }), l as string]));
    const sets: Record<RunName, OutboundMessage[]> = {
      warmup: people.slice(0, WARMUP).map((p) => outbound(study, p, PERIODS.warmup)),
      uncapped: people.slice(0, M).map((p) => outbound(study, p, PERIODS.uncapped)),
      capped: people.map((p) => outbound(study, p, PERIODS.capped)),
    };
    progress(`setup (not timed): ${int(N)} participants (BatchWriteItem) and ${int(WARMUP + M + N)} message records (createMany)`);
    const setup = await timed(async () => {
      const hash = await envPhoneKeys.hasher();
      await batchWrite(doc, TABLE, people.map((p) => participantItem(p, hash)), 3);
      for (const name of ['warmup', 'uncapped', 'capped'] as const) await record(doc, sets[name], PERIODS[name]);
    });
    progress(`  set up in ${secs(setup.ms)}`);

    // The handler reads its table and endpoint from the environment when it is created.
    Object.assign(process.env, { TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: local.endpoint, AWS_REGION: 'local', POWERTOOLS_LOG_LEVEL: 'ERROR' });
    const gateway = new TimedGateway(new AfricasTalkingSmsGateway({ username: 'sauti-bench', apiKey: API_KEY, baseUrl: fake.url }));
    // Imported only now: the module also builds its default handler from the environment.
    const { createSendHandler } = await import('../functions/sms-send/handler.js');
    const handler = createSendHandler({ gateway, clock: { now: () => BENCH_DAYTIME }, maxReceives: MAX_RECEIVES });
    const store = new DynamoMessageStore(doc, TABLE);

    const runs: SendRun[] = [];
    const go = async (name: RunName, cap: number) => {
      progress(`${name}: ${int(sets[name].length)} messages, ${Number.isFinite(cap) ? `cap ${rate(cap)}` : 'no cap'}`);
      const r = await send(name, sets[name], cap, handler, gateway, fake, store, langOf, textLang);
      console.log(
        `  ${name}: ${int(r.messages)} messages in ${secs(r.ms)} = ${rate(r.messages / (r.ms / 1000))}${Number.isFinite(cap) ? ` (cap ${rate(cap)})` : ''}; `
        + `${int(r.requests)} AT calls (ideal ${int(r.ideal)}, ${times(r.requests / r.ideal)}); handler ${secs(r.handlerMs)} over ${r.batches} batches (${(r.handlerMs / r.batches).toFixed(1)} ms each, of which AT ${(r.atMs / r.batches).toFixed(1)} ms)`,
      );
      return r;
    };
    await go('warmup', Number.POSITIVE_INFINITY);
    const uncapped = await go('uncapped', Number.POSITIVE_INFINITY);
    runs.push(uncapped);
    const ceiling = uncapped.messages / (uncapped.ms / 1000);
    const cap = Number(process.env.SAUTI_SEND_CAP ?? capBelow(ceiling));
    runs.push(await go('capped', cap));
    const alone = [];
    for (const n of [Math.round(N / 2), N]) {
      const q = await queueAlone(sets.capped.slice(0, n));
      console.log(`  local queue alone (handler does nothing): ${int(q.n)} messages in ${secs(q.ms)}`);
      alone.push(q);
    }
    return report(runs, alone, setup.ms, await runProviders());
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    doc.destroy();
    admin.destroy();
    await fake.close();
    await local.stop();
  }
}

function report(runs: SendRun[], alone: { n: number; ms: number }[], setupMs: number, providers: readonly ProviderRun[]): BenchResult {
  const perProvider = providerReport(providers);
  const [uncapped, capped] = runs as [SendRun, SendRun];
  const tput = (r: SendRun) => r.messages / (r.ms / 1000);
  const last = alone.at(-1) ?? { n: 1, ms: 0 };
  const queueAt100k = last.ms * (100_000 / last.n) ** 2;
  const table = mdTable(
    ['Run', 'Messages', 'Cap', 'Total time', 'Throughput', 'vs cap', 'AT calls', 'Ideal', 'Calls / ideal', 'Max recipients / call', 'Handler per batch of 100', 'Of which AT', 'Outside the handler'],
    runs.map((r) => [
      r.name, int(r.messages), Number.isFinite(r.cap) ? rate(r.cap) : 'none', secs(r.ms), rate(tput(r)),
      Number.isFinite(r.cap) ? times(tput(r) / r.cap) : '—', int(r.requests), int(r.ideal), times(r.requests / r.ideal), String(r.maxRecipients),
      `${(r.handlerMs / r.batches).toFixed(1)} ms`, `${(r.atMs / r.batches).toFixed(1)} ms`, secs(r.ms - r.handlerMs),
    ]),
  );
  const callsLimit = 1.1;
  const metrics: Metric[] = [
    {
      metric: `Sending: AT bulk calls for ${int(capped.messages)} prompts in 3 languages`,
      value: int(capped.requests), floor: `${int(capped.ideal)} (ideal)`, ratio: times(capped.requests / capped.ideal),
      target: `≤ ${callsLimit}× ideal`, pass: capped.requests <= callsLimit * capped.ideal,
    },
    {
      metric: 'Sending: throughput under the cap',
      value: rate(tput(capped)), floor: `${rate(capped.cap)} (cap)`, ratio: times(tput(capped) / capped.cap),
      target: '≥ 0.9× cap', pass: tput(capped) >= 0.9 * capped.cap,
    },
    atMost('Sending: recipients per AT call (max)', capped.maxRecipients, 100, (n) => String(n)),
    ...perProvider.metrics,
  ];
  const markdown = [
    `${int(capped.messages)} weekly prompts to as many consented participants, a third each in English, Kiswahili and Bengali, recorded`,
    'beforehand with `createMany` (status queued), enqueued sorted by text (as the dispatcher enqueues them) on the local queue',
    '(`LocalQueue`: SQS event shape, batches of 100, a rate cap), delivered to the sender handler (`createSendHandler`) with the',
    "official Africa's Talking SDK (`AfricasTalkingSmsGateway`) pointed at the fake AT server, DynamoDB Local in memory.",
    `Run first without a cap on ${int(uncapped.messages)} messages (the machine's own ceiling; after a warm-up of ${int(WARMUP)}), then with a cap`,
    `set below that ceiling (${rate(capped.cap)}; \`SAUTI_SEND_CAP\` sets another), so that the cap binds.`,
    'Checked on every run: every message ends `accepted` (with its provider id) in the store; every recipient appears in exactly',
    "one AT request, whose one text is their language's prompt; no request has more than 100 recipients.",
    '',
    table,
    '',
    '"Ideal": Σ over the texts of ⌈messages with that text / 100⌉, the fewest bulk requests possible. "Handler per batch" is the',
    'time inside the handler for one SQS batch of 100 (100 conditional claims, one BatchGetItem of the participants, the study,',
    'the AT request(s), 100 TransactWriteItems recording acceptance and the provider-id link); "outside the handler" is the',
    "local queue's own work and, when capped, its waits.",
    '',
    `The local queue alone (a handler that does nothing): ${alone.map((q) => `${int(q.n)} messages in ${secs(q.ms)}`).join(', ')}`
    + `${alone.length === 2 ? ` (${times((alone[1]?.ms ?? 0) / Math.max(1, alone[0]?.ms ?? 1))} the time for 2× the messages)` : ''}.`,
    `The queue's own work grows about linearly (one pass over the pending list per batch); at 100,000 by this growth: about ${secs(queueAt100k)}.`,
    '',
    `**Where the sender's time goes**: of ${(uncapped.handlerMs / uncapped.batches).toFixed(0)} ms per batch of 100 (uncapped), the AT request`
    + ` (SDK, HTTP, fake server) takes ${(uncapped.atMs / uncapped.batches).toFixed(1)} ms; ${pct(uncapped.handlerMs - uncapped.atMs, uncapped.handlerMs)} is DynamoDB`
    + ' Local: 100 conditional UpdateItem claims and 100 TransactWriteItems (status + provider-id link), two write requests per message,',
    'each costing CPU on this 2-core machine. Grouping them (claims as TransactWriteItems of up to 100 conditional updates, dropping',
    'the ones that fail as `createMany` does; acceptances 50 to a transaction) would cut 200 requests per batch to about 3, which',
    'matters on DynamoDB Local; in AWS the requests run in parallel, and transactions double the write cost of the claims.',
    '',
    `**N**: 100,000 is the aim. The sender's ceiling here is ${rate(tput(uncapped))} (uncapped run), so 100,000 messages would take`,
    `about ${secs((100_000 / tput(uncapped)) * 1000)} uncapped, plus the local queue's ${secs(queueAt100k)}, plus their setup: far over 4 minutes. The default`,
    `N (${int(N_DEFAULT)}) is the largest that keeps the run near 4 minutes (setup, untimed: ${secs(setupMs)}); \`SAUTI_BENCH_N=100000\` runs the full size.`,
    'The cap is set from the measured ceiling because a fixed one (2,000 msg/s, say) would be far above what this machine can do.',
    '',
    'Reproduce: `npm run bench -- send` (`SAUTI_BENCH_N=3000 SAUTI_BENCH_PROVIDER_N=1500 npm run bench -- send` for a quick run).',
    '',
    perProvider.markdown,
  ].join('\n');
  return { title: 'Sending: prompts in three languages through the sender', markdown, metrics };
}
