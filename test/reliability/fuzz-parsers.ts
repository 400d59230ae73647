import fc from 'fast-check';
import { content } from '../../content/index.js';
import { loadContentFromDisk } from '../../content/load.js';
import { contentProblems } from '../../functions/core/content/check.js';
import { parseEnrolmentCsv } from '../../functions/core/enrol/csv-import.js';
import { toE164 } from '../../functions/core/phone.js';
import { interpretInbound } from '../../functions/core/sms/inbound.js';
import { keywordOf, normalizeSms } from '../../functions/core/sms/keywords.js';
import { parseDiaryReply } from '../../functions/core/sms/diary-reply.js';
import type { Keywords } from '../../functions/core/content/schema.js';
import { demoStudy, DEMO_SERVICE_CODE } from '../../infra/local/demo.js';
import { type FuzzResult, hostile, newResult } from './fuzz-strings.js';

/**
 * The pure parsers, fed hostile text: SMS bodies (keywords, diary replies, complaints), CSV
 * enrolment files, and content files with random mutations. None may throw; what they accept
 * must be well-formed; what they refuse comes with a message.
 */

/** Runs one property, counting runs and refusals; a failure becomes a problem with its counterexample. */
function run<T>(result: FuzzResult, arb: fc.Arbitrary<T>, check: (x: T) => 'accepted' | 'rejected', runs: number, seed: number): void {
  const out = fc.check(
    fc.property(arb, (x) => {
      result.runs += 1;
      let verdict: 'accepted' | 'rejected';
      try {
        verdict = check(x);
      } catch (err) {
        result.thrown += 1;
        throw err;
      }
      if (verdict === 'rejected') result.rejected += 1;
    }),
    { numRuns: runs, seed },
  );
  if (out.failed) {
    result.problems.push(`${out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)}`.slice(0, 300));
    result.examples.push(JSON.stringify(out.counterexample).slice(0, 300));
  }
}

const smsBody = fc.oneof(
  hostile(400),
  // Near-misses of the formats people actually send.
  fc.tuple(fc.constantFrom('d', 'D', 'd ', ' D', 'P', 'p:', 'tatizo', 'সমস্যা', 'stop', 'START', 'help', 'forget', 'yes'), fc.array(fc.oneof(fc.nat().map(String), fc.constantFrom('m', 'c', 'b', 'x', ',', '.', '-', '1,500', '8.000', "1'000", '١٢', '১২', '99999999999999999999')), { maxLength: 6 }))
    .map(([k, parts]) => `${k} ${parts.join(' ')}`),
);

export function fuzzSms(runs: number, seed = 7): FuzzResult {
  const r = newResult('SMS bodies: keywords, diary replies, complaints (functions/core/sms)');
  const diary = content.diary;
  if (!diary) throw new Error('no diary in the content');
  const ids = new Set(diary.questions.map((q) => q.id));
  run(r, smsBody, (text) => {
    normalizeSms(text);
    keywordOf(text, content.keywords as Keywords);
    const intent = interpretInbound(text, content);
    const reply = parseDiaryReply(text, diary);
    if (reply.ok) {
      for (const [id, v] of Object.entries(reply.answers)) {
        if (!ids.has(id)) throw new Error(`diary reply ${JSON.stringify(text)} answered an unknown question ${id}`);
        const q = diary.questions.find((x) => x.id === id);
        if (q && (q.type === 'integer' || q.type === 'decimal') && (typeof v !== 'number' || !Number.isFinite(v) || v < q.constraint.min || v > q.constraint.max)) {
          throw new Error(`diary reply ${JSON.stringify(text)} accepted ${id}=${String(v)} outside ${q.constraint.min}..${q.constraint.max}`);
        }
      }
    }
    if (intent.kind === 'complaint' && (intent.text.length === 0 || intent.text.length > 300)) throw new Error(`complaint of ${intent.text.length} characters accepted`);
    return intent.kind === 'unknown' || intent.kind === 'diaryInvalid' ? 'rejected' : 'accepted';
  }, runs, seed);
  return r;
}

const csvCell = fc.oneof(hostile(30), fc.constantFrom('+254711000001', '0711000002', '+8801700000001', 'en', 'sw', 'bn', 'xx', 'consented', 'pending', 'v1', content.consent.version, 'sms', 'ussd', '', '"', '""', '\n', ',', '1e3'));
const csvText = fc.oneof(
  hostile(2000),
  fc.tuple(
    fc.shuffledSubarray(['phone', 'language', 'consent', 'consent_version', 'channel', 'stratum', 'cluster', 'age', 'Phone', 'phone'], { minLength: 1 }),
    fc.array(fc.array(csvCell, { maxLength: 8 }), { maxLength: 20 }),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
  ).map(([header, rows, eol, bom]) => `${bom ? '\uFEFF' : ''}${[header.join(','), ...rows.map((row) => row.map((c) => (/[,"\n]/.test(c) && c !== '"' ? `"${c.replaceAll('"', '""')}"` : c)).join(','))].join(eol)}`),
);

export function fuzzCsv(runs: number, seed = 8): FuzzResult {
  const r = newResult('CSV enrolment (functions/core/enrol/csv-import.ts)');
  const study = demoStudy(DEMO_SERVICE_CODE, new Date('2026-11-16T06:00:00Z'));
  let n = 0;
  run(r, csvText, (text) => {
    const parsed = parseEnrolmentCsv(text, study, { newId: () => `p_${(n += 1)}`, now: new Date('2026-11-23T09:00:00Z') });
    for (const p of parsed.problems) if (!p.message || p.line < 1) throw new Error(`a problem without a message or line: ${JSON.stringify(p)}`);
    if (parsed.problems.length > 0) return 'rejected';
    for (const p of parsed.participants) {
      if (!/^\+\d{8,15}$/.test(p.phone) || toE164(p.phone) !== p.phone) throw new Error(`imported an invalid number ${JSON.stringify(p.phone)} from ${JSON.stringify(text.slice(0, 200))}`);
      if (p.lang && !study.languages.includes(p.lang)) throw new Error(`imported language ${p.lang} the study does not offer`);
    }
    if (new Set(parsed.participants.map((p) => p.phone)).size !== parsed.participants.length) throw new Error('the same number imported twice from one file');
    return 'accepted';
  }, runs, seed);
  return r;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside a JSON document. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function mutate(doc: Json, path: (string | number)[], op: 'delete' | 'replace' | 'empty', value: Json): Json {
  const copy = structuredClone(doc);
  if (path.length === 0) return op === 'replace' ? value : copy;
  let parent: Json = copy;
  for (const k of path.slice(0, -1)) parent = (parent && typeof parent === 'object' ? (parent as Record<string | number, Json>)[k] : undefined) as Json;
  // An earlier mutation may have removed or replaced what this path led into.
  if (!parent || typeof parent !== 'object') return copy;
  const last = path.at(-1) as string | number;
  const holder = parent as Record<string | number, Json>;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete holder[last];
  } else if (op === 'empty') holder[last] = typeof holder[last] === 'string' ? '' : Array.isArray(holder[last]) ? [] : {};
  else holder[last] = value;
  return copy;
}

export function fuzzContent(runs: number, seed = 9): FuzzResult {
  const r = newResult('Content files, mutated (functions/core/content/check.ts)');
  const original = loadContentFromDisk() as Json;
  const all = paths(original).filter((p) => p.length > 0);
  if (contentProblems(original).length > 0) r.problems.push('the shipped content does not pass its own check');
  const mutation = fc.record({
    path: fc.constantFrom(...all),
    op: fc.constantFrom('delete', 'replace', 'empty') as fc.Arbitrary<'delete' | 'replace' | 'empty'>,
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, hostile(300) as fc.Arbitrary<Json>, fc.constant('x'.repeat(2000) as Json)),
  });
  run(r, fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
    let doc = original;
    for (const m of ms) doc = mutate(doc, m.path, m.op, m.value);
    const problems = contentProblems(doc);
    if (!Array.isArray(problems) || problems.some((p) => typeof p !== 'string' || p.length === 0)) throw new Error('contentProblems returned something other than messages');
    return problems.length > 0 ? 'rejected' : 'accepted';
  }, runs, seed);
  // Targeted: content missing a language's strings, or a screen made too long, must be refused.
  const broken: [string, Json][] = [
    ['strings.sw removed', mutate(original, ['strings', 'sw'], 'delete', null)],
    ['strings.en.sorry 300 characters', mutate(original, ['strings', 'en', 'sorry'], 'replace', 'x'.repeat(300))],
  ];
  for (const [what, doc] of broken) {
    r.runs += 1;
    if (contentProblems(doc).length === 0) r.problems.push(`content with ${what} passed the check`);
    else r.rejected += 1;
  }
  return r;
}
