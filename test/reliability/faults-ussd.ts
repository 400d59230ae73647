import { performance } from 'node:perf_hooks';
import { content } from '../../content/index.js';
import { renderScreen } from '../../functions/core/ussd/screen.js';
import { dialHttp } from '../support/stack.js';
import { importParticipants, loadPhones, type LoadResult, type Reconciliation, reconcile, reconciled, runLoad, summarize } from './load.js';
import type { Rig, ScenarioResult } from './faults-rig.js';
import { snapshot } from './faults-rig.js';
import { randomUUID } from 'node:crypto';

/** USSD under store faults: transient (retried), persistent (a clean apology), and DynamoDB Local killed mid-load. */

const WRITES = /^(TransactWriteItems|PutItem|UpdateItem|DeleteItem|BatchWriteItem)Command$/;
const sorry = (lang: string) => renderScreen('END', [content.strings[lang]?.sorry ?? 'Sorry.']);

/** Participants at once, and how much work: seconds (the full suite) or whole sessions each (npm test). */
export type UssdLoadScale = { concurrency: number } & ({ seconds: number; sessionsPerWorker?: undefined } | { sessionsPerWorker: number; seconds?: undefined });

const workOf = (scale: UssdLoadScale) => (scale.seconds !== undefined ? `for ${scale.seconds} s` : `for ${scale.sessionsPerWorker} whole sessions each`);
const amount = (scale: UssdLoadScale) => (scale.seconds !== undefined ? { seconds: scale.seconds } : { sessionsPerWorker: scale.sessionsPerWorker });

function loadFigures(load: LoadResult, rec: Reconciliation) {
  const kinds = summarize(load);
  const ussd = kinds.find((k) => k.kind === 'ussd');
  return {
    // USSD must never answer 5xx (the participant would see an operator error). An SMS callback
    // answered 5xx while the store is down asks Africa's Talking to send it again, which is
    // what keeps an SMS diary from being lost: counted apart.
    http5xx: ussd?.http5xx ?? 0,
    callbacks5xx: kinds.filter((k) => k.kind !== 'ussd').reduce((n, k) => n + k.http5xx, 0),
    networkErrors: kinds.reduce((n, k) => n + k.networkErrors, 0),
    apologies: ussd?.apologies ?? 0,
    hops: ussd?.requests ?? 0,
    p99: ussd?.p99 ?? Number.NaN,
    lost: rec.lost.length + rec.notComplete.length,
    changed: rec.changed.length + rec.unexpected.length,
    duplicates: rec.duplicateRecords.length,
    problems: [...rec.lost.map((x) => `lost ${x}`), ...rec.changed.map((x) => `changed ${x}`), ...rec.duplicateRecords.map((x) => `twice ${x}`), ...rec.unexpected.map((x) => `never sent ${x}`), ...rec.notComplete.map((x) => `saved, not complete ${x}`)].slice(0, 10),
  };
}

/** (a) A share of all store calls throttled or failed, some after being applied: retries absorb them; nothing acknowledged is lost. */
export async function transientStoreFaults(rig: Rig, scale: UssdLoadScale, rate = 0.1): Promise<ScenarioResult> {
  const phones = loadPhones(scale.concurrency, 30_000_000);
  await importParticipants(rig.stack, phones);
  const before = { ...rig.ussdFaults.stats, injected: { ...rig.ussdFaults.stats.injected } };
  const injectedBefore = rig.ussdFaults.total();
  rig.ussdFaults.set({ rate, afterShare: 0.25 });
  let load: LoadResult;
  try {
    load = await runLoad({ stack: rig.stack, concurrency: scale.concurrency, ...amount(scale), participantsPerWorker: 1, smsEveryMs: 200, deliveryEveryMs: 200, phoneOffset: 30_000_000 });
  } finally {
    rig.ussdFaults.set(undefined);
  }
  const rec = await reconcile(rig.endpoint, rig.table, load);
  const f = loadFigures(load, rec);
  const s = rig.ussdFaults.stats;
  const injected = rig.ussdFaults.total() - injectedBefore;
  const problems = [...f.problems];
  if (f.http5xx + f.networkErrors > 0) problems.push(`${f.http5xx} HTTP 5xx, ${f.networkErrors} network errors`);
  if (load.sessions.saved === 0) problems.push('no diary was saved');
  if (injected === 0) problems.push('no fault was injected');
  return {
    name: 'DynamoDB throttling and 5xx, transient',
    tried: `${scale.concurrency} participants doing USSD diaries ${workOf(scale)} while ${Math.round(rate * 100)}% of the USSD handler's store calls (every attempt) failed with ThrottlingException / ProvisionedThroughputExceededException / HTTP 500, a quarter of them after DynamoDB had applied the write`,
    found: `${f.hops} hops, ${load.sessions.saved} diaries saved of ${load.sessions.started} sessions; ${injected} faults injected (${s.afterApplied - before.afterApplied} after the write was applied), ${s.retries - before.retries} SDK retries, ${s.failedCalls - before.failedCalls} calls failed on all 3 attempts → ${f.apologies} apology screens (those answers were not acknowledged); ${rec.acked} answers acknowledged, ${f.lost} lost, ${f.changed} changed, ${f.duplicates} stored twice; ${f.http5xx} HTTP 5xx`,
    injected,
    retries: s.retries - before.retries,
    lost: f.lost,
    duplicates: f.duplicates + f.changed,
    contaminations: 0,
    http5xx: f.http5xx,
    ok: problems.length === 0,
    problems,
  };
}

/**
 * (b) Every store call failing (or every write): each hop answers HTTP 200 `END <apology>`, in
 * the participant's language when the read got that far, in time, and the table is unchanged.
 */
export async function persistentStoreFaults(rig: Rig, participants = 4): Promise<ScenarioResult> {
  const problems: string[] = [];
  const injectedBefore = rig.ussdFaults.total();
  const retriesBefore = rig.ussdFaults.stats.retries;
  let hops = 0;
  let http5xx = 0;
  let maxMs = 0;
  let unchanged = 0;
  // Seeded demo participants 1, 2, 4, 5… speak Kiswahili; 3, 6… English.
  const people = Array.from({ length: participants }, (_, i) => ({ phone: `+2547000000${String(i + 1).padStart(2, '0')}`, lang: (i + 1) % 3 === 0 ? 'en' : 'sw' }));
  const hop = async (sessionId: string, phone: string, text: string) => {
    const t0 = performance.now();
    const res = await dialHttp(rig.stack, { sessionId, phoneNumber: phone, text });
    maxMs = Math.max(maxMs, performance.now() - t0);
    hops += 1;
    if (res.status >= 500) http5xx += 1;
    return res;
  };
  const faulted = async (what: string, sessionId: string, phone: string, text: string, expected: string) => {
    const before = await snapshot(rig.endpoint, rig.table);
    const res = await hop(sessionId, phone, text);
    const after = await snapshot(rig.endpoint, rig.table);
    if (res.status !== 200 || res.body !== expected) problems.push(`${what}: got ${res.status} ${JSON.stringify(res.body)}, expected 200 ${JSON.stringify(expected)}`);
    if (before === after) unchanged += 1;
    else problems.push(`${what}: the table changed`);
  };
  for (const [i, p] of people.entries()) {
    const sessionId = `ATUid_persistent_${i}_${randomUUID().slice(0, 8)}`;
    // Half-way into the diary, then every write fails: the read told us the language.
    const menu = await hop(sessionId, p.phone, '');
    const diary = await hop(sessionId, p.phone, '1');
    if (!menu.body.startsWith('CON') || !diary.body.startsWith('CON')) problems.push(`${p.phone}: no diary to start (${JSON.stringify(diary.body)})`);
    rig.ussdFaults.set({ rate: 1, only: (c) => WRITES.test(c) });
    try {
      await faulted(`writes failing, ${p.lang} participant answering`, sessionId, p.phone, '1*1', sorry(p.lang));
      // Everything failing: not even the participant can be read, so the study's first language.
      rig.ussdFaults.set({ rate: 1 });
      await faulted('every call failing, new session', `${sessionId}_b`, p.phone, '', sorry(content.languages[0] as string));
    } finally {
      rig.ussdFaults.set(undefined);
    }
    // Once the store is back, the same session carries on from its last saved screen.
    const again = await hop(sessionId, p.phone, '1*1');
    if (!again.body.startsWith('CON')) problems.push(`${p.phone}: after the outage the session did not carry on: ${JSON.stringify(again.body)}`);
  }
  if (maxMs > 10_000) problems.push(`a hop took ${Math.round(maxMs)} ms, past Africa's Talking's ~10 s timeout`);
  const injected = rig.ussdFaults.total() - injectedBefore;
  return {
    name: 'DynamoDB failing persistently',
    tried: `${participants} participants half-way into a diary, then every store write failing, then every store call failing (a new session)`,
    found: `${hops} hops, ${injected} faults injected, ${rig.ussdFaults.stats.retries - retriesBefore} SDK retries; every faulted hop answered HTTP 200 \`END\` + the apology (in Kiswahili / English as the participant's record said; in the first language when it could not be read): ${problems.length === 0 ? 'yes' : 'NO'}; table unchanged across ${unchanged} of ${participants * 2} faulted hops; slowest hop ${Math.round(maxMs)} ms; after the outage each session carried on`,
    injected,
    retries: rig.ussdFaults.stats.retries - retriesBefore,
    lost: 0,
    duplicates: 0,
    contaminations: 0,
    http5xx,
    ok: problems.length === 0,
    problems,
  };
}

/** DynamoDB Local killed (SIGKILL) and restarted while diaries run: what was acknowledged survives. */
export async function dynamoRestartUnderLoad(rig: Rig, scale: UssdLoadScale): Promise<ScenarioResult> {
  const phones = loadPhones(scale.concurrency, 32_000_000);
  await importParticipants(rig.stack, phones);
  const retriesBefore = rig.ussdFaults.stats.retries;
  // The local server logs each SMS callback that failed while the store was down; counted in the figures instead.
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('local server error')) consoleError(...args);
  };
  // The kill comes after a third of the run, or (whole sessions) once every participant has had
  // an answer acknowledged: answers on both sides of it, however fast the machine is.
  let firstAcks!: () => void;
  const acksBeforeKill = new Promise<void>((r) => (firstAcks = r));
  const running = runLoad({
    stack: rig.stack, concurrency: scale.concurrency, ...amount(scale), participantsPerWorker: 1, smsEveryMs: 200, deliveryEveryMs: 200, phoneOffset: 32_000_000,
    onAcked: (n) => n >= scale.concurrency && firstAcks(),
  });
  await (scale.seconds !== undefined ? new Promise((r) => setTimeout(r, (scale.seconds * 1000) / 3)) : Promise.race([acksBeforeKill, running]));
  const downMs = await rig.restartDynamo();
  const load = await running.finally(() => {
    console.error = consoleError;
  });
  const rec = await reconcile(rig.endpoint, rig.table, load);
  const f = loadFigures(load, rec);
  const problems = [...f.problems];
  if (f.http5xx > 0) problems.push(`${f.http5xx} HTTP 5xx`);
  // On a slow machine the restart may take most of a short run; some answers must still have been acknowledged.
  if (rec.acked === 0) problems.push('no answer was acknowledged: the run proved nothing');
  return {
    name: 'DynamoDB Local killed and restarted under load',
    tried: `${scale.concurrency} participants doing USSD diaries ${workOf(scale)}; after ${scale.seconds !== undefined ? `${(scale.seconds / 3).toFixed(1)} s` : `${scale.concurrency} acknowledged answers`} DynamoDB Local (on-disk data) killed with SIGKILL and started again on the same port`,
    found: `down ${(downMs / 1000).toFixed(1)} s; ${f.hops} hops, ${f.apologies} apology screens while it was down, ${load.sessions.saved} diaries saved of ${load.sessions.started} sessions; the handlers' clients reconnected by themselves (${rig.ussdFaults.stats.retries - retriesBefore} SDK retries); ${rec.acked} answers acknowledged, ${f.lost} lost, ${f.changed} changed, ${f.duplicates} stored twice; ${f.http5xx} USSD HTTP 5xx; ${f.callbacks5xx} SMS callbacks answered 5xx while the store was down (so that Africa's Talking sends them again)`,
    injected: 1,
    retries: rig.ussdFaults.stats.retries - retriesBefore,
    lost: f.lost,
    duplicates: f.duplicates + f.changed,
    contaminations: 0,
    http5xx: f.http5xx,
    ok: problems.length === 0 && reconciled(rec),
    problems,
  };
}
