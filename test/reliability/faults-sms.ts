import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { content } from '../../content/index.js';
import { AfricasTalkingSmsGateway } from '../../functions/adapters/africastalking/sms-gateway.js';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.js';
import { DynamoCampaignStore } from '../../functions/adapters/dynamo/campaign-store.js';
import { dispatchAll } from '../../functions/adapters/dynamo/dispatch-ports.js';
import type { MessageRecord } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import type { Participant } from '../../functions/core/model.js';
import type { SendQueue } from '../../functions/core/ports/index.js';
import type { SmsGateway } from '../../functions/core/ports/sms.js';
import { LocalQueue } from '../../infra/local/queue.js';
import { type FakeAt, type FakeAtRule, startFakeAt } from '../support/fake-at-server.js';
import { injectFaults } from './faults-inject.js';
import { type Rig, type ScenarioResult, tally } from './faults-rig.js';
import { randomUUID } from 'node:crypto';

/**
 * The SMS path under faults: the real dispatcher and sender on DynamoDB Local, the real
 * `africastalking` SDK against the fake AT server, the local queue (SQS semantics: partial batch
 * failures, redelivery after the visibility timeout, DLQ after max receives) on a fake clock.
 * Afterwards, everything a handset got is checked against the rules.
 */

const FRIDAY_18_NAIROBI = Date.parse('2026-11-27T15:00:00Z');
const MAX_RECEIVES = 5;
const KEY = 'faults-at-key';
const num = (n: number) => `+2547000000${String(n).padStart(2, '0')}`;

interface SmsWorld {
  table: string;
  fake: FakeAt;
  queue: LocalQueue;
  now: { t: number };
  dispatch(doc?: ReturnType<typeof createDocumentClient>, queue?: SendQueue): Promise<unknown>;
  /** Polls until the queue is empty, moving the clock past the visibility timeout each time. */
  drain(maxRounds?: number): Promise<number>;
  close(): Promise<void>;
}

async function smsWorld(rig: Rig, name: string, wrap: (g: SmsGateway) => SmsGateway = (g) => g): Promise<SmsWorld> {
  const table = await rig.newTable(`${name}-${randomUUID().slice(0, 8)}`);
  const fake = await startFakeAt({ apiKey: KEY });
  const gateway = new AfricasTalkingSmsGateway({ username: 'sandbox', apiKey: KEY, baseUrl: fake.url, timeoutMs: 500 });
  const now = { t: FRIDAY_18_NAIROBI };
  const clock = { now: () => new Date(now.t) };
  const saved = process.env.TABLE_NAME;
  process.env.TABLE_NAME = table;
  const { createSendHandler } = await import('../../functions/sms-send/handler.js');
  const handler = createSendHandler({ gateway: wrap(gateway), clock, maxReceives: MAX_RECEIVES });
  process.env.TABLE_NAME = saved;
  // Redelivery after 6 simulated minutes: above the sender's 5-minute claim lease, as the
  // deployed queue's visibility timeout is (infra/stack.ts).
  const queue = new LocalQueue(handler, { now: () => now.t, batchSize: 100, backoffMs: () => 6 * 60_000, maxReceives: MAX_RECEIVES });
  const doc = createDocumentClient({ endpoint: rig.endpoint });
  return {
    table,
    fake,
    queue,
    now,
    dispatch: (d = doc, q: SendQueue = queue) => dispatchAll(d, table, q, content, clock.now()),
    async drain(maxRounds = 12) {
      let rounds = 0;
      for (; rounds < maxRounds && queue.size > 0; rounds += 1) {
        await queue.poll();
        now.t += 6 * 60_000;
      }
      return rounds;
    },
    close: () => fake.close(),
  };
}

interface SmsCheck {
  messages: MessageRecord[];
  handset: number;
  duplicates: string[];
  lost: string[];
  contaminations: string[];
  byStatus: Record<string, number>;
}

/** Every message record against what reached handsets (the fake AT's accepted recipients). */
async function checkSms(rig: Rig, w: SmsWorld, optedOut: ReadonlySet<string>): Promise<SmsCheck> {
  const doc = createDocumentClient({ endpoint: rig.endpoint });
  const messages: MessageRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: w.table, ConsistentRead: true, FilterExpression: 'sk = :msg', ExpressionAttributeValues: { ':msg': 'MSG' }, ...(start ? { ExclusiveStartKey: start } : {}) }));
    messages.push(...((out.Items ?? []) as MessageRecord[]));
    start = out.LastEvaluatedKey;
  } while (start);
  const store = new DynamoParticipantStore(doc, w.table);
  const people = new Map<string, Participant>();
  for (const studyId of new Set(messages.map((m) => m.studyId))) for (const p of await store.listByStudy(studyId)) people.set(p.phone, p);
  const lessonTexts = new Set(messages.filter((m) => m.treatmentOnly).map((m) => m.text));
  const got = new Map<string, number>();
  let handset = 0;
  const contaminations: string[] = [];
  for (const r of w.fake.requests) {
    for (const to of r.accepted) {
      handset += 1;
      const k = `${to} ${JSON.stringify(r.message)}`;
      got.set(k, (got.get(k) ?? 0) + 1);
      const p = people.get(to);
      if (r.message !== undefined && lessonTexts.has(r.message) && p?.armId !== 'treatment') contaminations.push(`lesson to ${p?.armId ?? 'unknown'} ${to}`);
      if (optedOut.has(to)) contaminations.push(`sent to opted-out ${to}: ${r.message?.slice(0, 30)}`);
    }
  }
  const byStatus: Record<string, number> = {};
  const lost: string[] = [];
  for (const m of messages) {
    byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
    const reached = got.get(`${m.phone} ${JSON.stringify(m.text)}`) ?? 0;
    if (m.status === 'queued' || m.status === 'sending') lost.push(`${m.messageId} still ${m.status}`);
    else if (m.status === 'accepted' && reached === 0) lost.push(`${m.messageId} accepted, never reached AT`);
    else if ((m.status === 'failed' || m.status === 'skipped') && !m.failureReason) lost.push(`${m.messageId} ${m.status} without a reason`);
  }
  return { messages, handset, duplicates: [...got].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`), lost, contaminations, byStatus };
}

const statusLine = (c: SmsCheck) => Object.entries(c.byStatus).map(([s, n]) => `${n} ${s}`).join(', ');

/** Africa's Talking failing: a whole-request 500, a timeout, per-recipient 500/502 (retry), 406/403 (permanent), a recipient missing, one number failing forever. */
export async function atFaults(rig: Rig): Promise<ScenarioResult> {
  const w = await smsWorld(rig, 'faults-at');
  try {
    const FLAKY = num(10), FLAKY2 = num(13), BLACKLISTED = num(11), DEAD = num(12), INVALID = num(14), OMITTED = num(15);
    const rules: FakeAtRule[] = [
      { httpStatus: 500, times: 1 },
      { delayMs: 1500, times: 1 }, // the gateway gives up after 500 ms; AT never processed it
      { number: FLAKY, statusCode: 500, times: 2 },
      { number: FLAKY2, statusCode: 502, times: 1 },
      { number: BLACKLISTED, statusCode: 406 },
      { number: DEAD, statusCode: 500 },
      { number: INVALID, statusCode: 403 },
      { number: OMITTED, omit: true, times: 1 },
    ];
    w.fake.script(...rules);
    await w.dispatch();
    const rounds = await w.drain();
    const c = await checkSms(rig, w, new Set());
    const byId = (phone: string) => c.messages.filter((m) => m.phone === phone);
    const problems = [...c.lost, ...c.duplicates.map((d) => `twice: ${d}`), ...c.contaminations];
    const dlq = w.queue.deadLetters.map((d) => (JSON.parse(d.body) as { phone: string }).phone);
    if (!dlq.includes(DEAD) || dlq.length !== new Set(byId(DEAD).map((m) => m.messageId)).size) problems.push(`DLQ holds ${JSON.stringify(dlq)}, expected the messages to ${DEAD}`);
    if (!byId(DEAD).every((m) => m.status === 'failed' && /gave up after 5/.test(m.failureReason ?? ''))) problems.push(`${DEAD}'s messages not recorded as given up`);
    for (const phone of [FLAKY, FLAKY2, OMITTED]) if (!byId(phone).every((m) => m.status === 'accepted')) problems.push(`${phone} was not retried until accepted: ${byId(phone).map((m) => m.status).join(',')}`);
    for (const phone of [BLACKLISTED, INVALID]) if (!byId(phone).every((m) => m.status === 'failed')) problems.push(`${phone}: permanent failure not recorded`);
    const black = await new DynamoParticipantStore(createDocumentClient({ endpoint: rig.endpoint }), w.table).getByPhone('athi-river-2026', BLACKLISTED);
    if (black?.consent.state !== 'withdrawn') problems.push('the 406 number was not opted out');
    if (w.queue.size > 0) problems.push(`${w.queue.size} messages still queued after ${rounds} rounds`);
    const aborted = w.fake.requests.filter((r) => r.aborted).length;
    return {
      name: "Africa's Talking 5xx, timeouts, per-recipient failures",
      tried: `one dispatch at Friday 18:00 Nairobi (${c.messages.length} messages); AT answered the first bulk request HTTP 500, let the second time out (${aborted} aborted by the gateway's 500 ms timeout), then per recipient: 500 twice, 502 once, 406, 403, one recipient left out of the answer, one number 500 for ever`,
      found: `${w.fake.requests.length} AT requests over ${rounds} queue rounds; ${c.handset} messages reached handsets; records: ${statusLine(c)}; ${w.queue.deadLetters.length} in the DLQ (the number failing for ever, after ${MAX_RECEIVES} receives, recorded "gave up"); the 406 number opted out; ${c.duplicates.length} duplicates, ${c.lost.length} lost`,
      injected: rules.length,
      retries: w.fake.requests.length - 1,
      ...tally(c, problems),
    };
  } finally {
    await w.close();
  }
}

/** A misconfigured campaign (control arm targeted) and an opted-out number, for the crash scenarios. */
async function traps(rig: Rig, table: string): Promise<Set<string>> {
  const doc = createDocumentClient({ endpoint: rig.endpoint });
  await new DynamoCampaignStore(doc, table).create({
    campaignId: 'misconfigured', studyId: 'athi-river-2026', name: 'Wrong', modules: ['pin_fraud_safety'], targetArms: ['control', 'treatment'],
    startsOn: '2026-11-23', everyWeeks: 1, day: 5, hour: 18, channel: 'sms', status: 'scheduled', shiftPeriods: 0,
    createdAt: '2026-11-23T06:00:00Z', updatedAt: '2026-11-23T06:00:00Z',
  });
  const stopped = num(20);
  const p = await new DynamoParticipantStore(doc, table).getByPhone('athi-river-2026', stopped);
  if (!p) throw new Error(`no demo participant ${stopped}`);
  const at = '2026-11-27T12:00:00.000Z';
  await new DynamoUssdStore(doc, table).saveParticipant({ ...p, consent: { ...p.consent, state: 'withdrawn', at, channel: 'sms' }, updatedAt: at }, p.updatedAt);
  return new Set([stopped]);
}

/**
 * The dispatcher dies right after its K-th TransactWriteItems was applied (its enqueue never
 * happens), is run again at once and at the next ticks; the sender dies mid-batch (after
 * claiming, before sending) and its batch comes back after the visibility timeout.
 */
export async function crashes(rig: Rig, k = 1): Promise<ScenarioResult> {
  let senderCrashes = 0;
  let crashNext = true;
  const w = await smsWorld(rig, 'faults-crash', (g) => ({
    async sendBulk(batch) {
      if (crashNext) {
        crashNext = false;
        senderCrashes += 1;
        throw new Error('sender killed (simulated) after claiming its batch');
      }
      return g.sendBulk(batch);
    },
  }));
  try {
    const optedOut = await traps(rig, w.table);
    const doomed = createDocumentClient({ endpoint: rig.endpoint });
    const faults = injectFaults(doomed, 2);
    faults.crashAfter('TransactWriteItemsCommand', k);
    const deadQueue: SendQueue = { enqueue: async (ms) => (faults.crashed() ? undefined : w.queue.enqueue(ms)) };
    await w.dispatch(doomed, deadQueue);
    const createdByCrashed = (await checkSms(rig, w, optedOut)).messages.length;
    // The restarted dispatcher, at once and at the next two 15-minute ticks, each followed by the sender.
    await w.dispatch();
    await w.drain();
    const ticks = [15, 30].map((m) => FRIDAY_18_NAIROBI + m * 60_000);
    for (const t of ticks) {
      w.now.t = Math.max(w.now.t, t);
      await w.dispatch();
      await w.drain();
    }
    const c = await checkSms(rig, w, optedOut);
    const problems = [...c.lost, ...c.duplicates.map((d) => `twice: ${d}`), ...c.contaminations];
    if (faults.stats.injected.crash === 0) problems.push('the dispatcher crash never struck');
    if (senderCrashes === 0) problems.push('the sender crash never struck');
    const prompts = c.messages.filter((m) => m.purpose === 'prompt' && m.studyId === 'athi-river-2026');
    if (prompts.length === 0) problems.push('no prompt was planned');
    const lessons = c.messages.filter((m) => m.purpose === 'lesson');
    return {
      name: 'Dispatcher and sender killed half-way, restarted',
      tried: `the dispatcher killed right after its ${k === 1 ? 'first' : `${k}th`} TransactWriteItems was applied (${createdByCrashed} messages recorded, none enqueued), then run again at once and at the next two ticks; the sender killed once mid-batch after claiming (its batch redelivered after the 6-minute visibility timeout, above the 5-minute claim lease); a campaign misconfigured to target the control arm too, and one number opted out before the run`,
      found: `${c.messages.length} messages recorded (${prompts.length} Kenyan prompts, ${lessons.length} lessons planned for the treatment arm), records: ${statusLine(c)}; ${c.handset} reached handsets; ${c.lost.length} lost, ${c.duplicates.length} duplicates, ${c.contaminations.length} to a control participant or an opted-out number`,
      injected: faults.stats.injected.crash + senderCrashes,
      retries: 0,
      ...tally(c, problems),
    };
  } finally {
    await w.close();
  }
}

/**
 * The two windows no retry design closes, measured rather than hidden: AT accepted the request
 * but its answer never arrived (timeout), and the sender died after AT accepted, before
 * recording it. Both are retried (at least once), so those recipients get the text twice.
 */
export async function ambiguousSends(rig: Rig): Promise<ScenarioResult> {
  let killAfterSend = true;
  let killedRecipients = 0;
  // Two separate runs (tables, fake AT), so that each one's duplicates are its own.
  const killed = await smsWorld(rig, 'faults-killed', (g) => ({
    async sendBulk(batch) {
      const out = await g.sendBulk(batch);
      if (killAfterSend && [...out.values()].some((o) => o.status === 'accepted')) {
        killAfterSend = false;
        killedRecipients = [...out.values()].filter((o) => o.status === 'accepted').length;
        throw new Error('sender killed (simulated) after AT accepted, before recording');
      }
      return out;
    },
  }));
  const late = await smsWorld(rig, 'faults-late');
  try {
    await killed.dispatch();
    await killed.drain();
    const k = await checkSms(rig, killed, new Set());
    late.fake.script({ respondAfterMs: 1500, times: 1 });
    await late.dispatch();
    await late.drain();
    const l = await checkSms(rig, late, new Set());
    // At least once, and no more: only the recipients of the ambiguous request, once more each.
    const lateRecipients = late.fake.requests.filter((r) => r.aborted).reduce((n, r) => n + r.accepted.length, 0);
    const problems = [...k.lost, ...k.contaminations, ...l.lost, ...l.contaminations];
    const bounded = (c: SmsCheck, bound: number, what: string) => {
      if (c.duplicates.length > bound || c.duplicates.some((d) => !d.endsWith('×2'))) problems.push(`${what}: ${c.duplicates.length} duplicates, more than the ${bound} recipients of the ambiguous request once each`);
    };
    bounded(k, killedRecipients, 'sender killed');
    bounded(l, lateRecipients, 'late answer');
    const lost = k.lost.length + l.lost.length;
    return {
      name: 'Ambiguous sends (known limit)',
      tried: `the sender killed after AT accepted a bulk request (${killedRecipients} recipients), before recording it; in a second run AT accepted a bulk request (${lateRecipients} recipients) and answered after the gateway's 500 ms timeout`,
      found: `${k.messages.length + l.messages.length} messages, records: ${statusLine(k)} and ${statusLine(l)}; ${k.duplicates.length} recipients got the text twice after the kill, ${l.duplicates.length} after the late answer (never more than the recipients of the ambiguous request, never three times); ${lost} lost. At-least-once by design: AT's SMS API has no idempotency key, so a send whose outcome is unknown is retried rather than risked lost`,
      injected: 2,
      retries: killed.fake.requests.length + late.fake.requests.length,
      ...tally({ lost: [...k.lost, ...l.lost], duplicates: [...k.duplicates, ...l.duplicates], contaminations: [...k.contaminations, ...l.contaminations] }, problems),
    };
  } finally {
    await killed.close();
    await late.close();
  }
}
