import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { DiscardSink } from '../../functions/adapters/export/discard-sink.js';
import { LocalFileSink } from '../../functions/adapters/export/local-sink.js';
import type { Question } from '../../functions/core/content/schema.js';
import type { WeekRecord } from '../../functions/core/diary/week-record.js';
import { buildCodebook, codebookMarkdown } from '../../functions/core/export/codebook.js';
import { enrolledIn, planDataset, responseStatus } from '../../functions/core/export/datasets.js';
import { questionStates } from '../../functions/core/export/diary.js';
import type { ExportMessage, ExportSource } from '../../functions/core/ports/exports.js';
import { PSEUDONYM_LENGTH, pseudonym, studyKey } from '../../functions/core/export/pseudonym.js';
import { redactNumbers } from '../../functions/core/export/redact.js';
import { csvBody, runExport } from '../../functions/core/export/run.js';
import { DATASETS, type Row } from '../../functions/core/export/variables.js';
import { studyWeeks } from '../../functions/core/time/study-calendar.js';
import type { Complaint, Participant } from '../../functions/core/model.js';
import { participant, study } from '../support/fixtures.js';

const SECRET = 'unit-test-secret-of-some-length';
const form = content.diary!;
const kenya = study({ startsOn: '2026-11-23' });
const EXPORTED_AT = new Date('2026-12-14T09:00:00Z');
const key = studyKey(SECRET, kenya.studyId);

/** A study in memory, served through the same port as DynamoDB. */
class MemorySource implements ExportSource {
  constructor(
    readonly people: Participant[],
    readonly weekRecords: WeekRecord[] = [],
    readonly complaintRecords: Complaint[] = [],
    readonly messageRecords: ExportMessage[] = [],
  ) {}
  async *participants(): AsyncGenerator<Participant[]> {
    for (let i = 0; i < this.people.length; i += 2) yield this.people.slice(i, i + 2);
  }
  async weeks(p: Participant): Promise<WeekRecord[]> {
    return this.weekRecords.filter((w) => w.participantId === p.participantId);
  }
  async complaints(p: Participant): Promise<Complaint[]> {
    return this.complaintRecords.filter((c) => c.participantId === p.participantId);
  }
  async *messages(): AsyncGenerator<ExportMessage[]> {
    yield this.messageRecords;
  }
}

function week(p: Participant, id: string, studyWeek: number, answers: Record<string, string | number | string[] | null>, extra: Partial<WeekRecord> = {}): WeekRecord {
  const at = '2026-11-25T10:00:00.000Z';
  return {
    studyId: p.studyId, participantId: p.participantId, phone: p.phone, week: id, studyWeek, questionnaireId: form.id, questionnaireVersion: form.version,
    answers: Object.fromEntries(Object.entries(answers).map(([q, value]) => [q, { value, at, channel: 'ussd' as const }])),
    complete: false, version: 1, createdAt: at, updatedAt: at, ...extra,
  };
}

async function rowsOf(batches: AsyncIterable<readonly Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('pseudonymous ids', () => {
  it('are stable: the same phone in the same study always gets the same pid', () => {
    const a = pseudonym('+254700000001', studyKey(SECRET, 'athi-river-2026'));
    expect(pseudonym('+254700000001', studyKey(SECRET, 'athi-river-2026'))).toBe(a);
    expect(a).toMatch(new RegExp(`^[0-9a-f]{${PSEUDONYM_LENGTH}}$`));
  });

  it('differ by study, by phone and by secret: ids of two studies cannot be joined', () => {
    const phone = '+254700000001';
    const ids = [
      pseudonym(phone, studyKey(SECRET, 'athi-river-2026')),
      pseudonym(phone, studyKey(SECRET, 'dhaka-2026')),
      pseudonym('+254700000002', studyKey(SECRET, 'athi-river-2026')),
      pseudonym(phone, studyKey(`${SECRET}!`, 'athi-river-2026')),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never contain the phone number, nor its digits', () => {
    for (let i = 0; i < 500; i += 1) {
      const phone = `+2547${String(10_000_000 + i * 7919)}`;
      const pid = pseudonym(phone, key);
      expect(pid).not.toContain(phone.slice(1));
      expect(pid).not.toContain(phone.slice(-9));
      expect(pid.length).toBe(PSEUDONYM_LENGTH);
    }
  });

  it('refuse a short secret', () => {
    expect(() => studyKey('short', 'x')).toThrow(/at least 16/);
  });
});

describe('redaction of free text', () => {
  it('replaces phone-like runs of digits, in any script, and keeps amounts', () => {
    expect(redactNumbers('call me on +254 712 345 678 please')).toBe('call me on [number] please');
    expect(redactNumbers('agent 0712-345-678 took 500')).toBe('agent [number] took 500');
    expect(redactNumbers('নম্বর ০১৭১২৩৪৫৬৭৮ টাকা ৫০০')).toBe('নম্বর [number] টাকা ৫০০');
    expect(redactNumbers('fee 12,000 on 8000')).toBe('fee 12,000 on 8000');
  });
});

describe('codebook', () => {
  const base = { study: kenya, content, generatedAt: '2026-11-24T09:00:00.000Z', generatedBy: 'Dr R', rows: 12, file: 'x.csv', bom: false, includePhone: false };

  it.each(['diary_long', 'diary_wide'] as const)('of %s has every diary question with its labels, choices and codes, skip logic and rotation', (dataset) => {
    const plan = planDataset(dataset, { study: kenya, content, key, includePhone: false, now: new Date('2026-12-01T00:00:00Z') }, new MemorySource([]));
    const cb = buildCodebook({ ...base, dataset, variables: plan.variables });
    const json = JSON.parse(JSON.stringify(cb)) as typeof cb;
    expect(json.questionnaire?.questions.map((q) => q.id)).toEqual(form.questions.map((q) => q.id));
    const md = codebookMarkdown(cb);
    for (const q of form.questions) {
      const entry = json.questionnaire?.questions.find((x) => x.id === q.id);
      expect(entry?.type).toBe(q.type);
      expect(entry?.labels).toEqual(q.label);
      expect(entry?.relevant).toBe(q.relevant);
      expect(entry?.rotation).toEqual(q.rotation);
      expect(md).toContain(`### \`${q.id}\` (${q.type})`);
      if (q.relevant) expect(md).toContain(`Asked when: \`${q.relevant}\``);
      if (q.rotation) expect(md).toContain(`multiple of ${q.rotation.every}`);
      for (const lang of ['en', 'sw', 'bn']) expect(md).toContain(String(q.label[lang]).replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' '));
      if (q.type === 'select_one' || q.type === 'select_multiple') {
        expect(entry?.choices).toEqual(q.choices.map((c) => ({ code: c.code, name: c.name, labels: c.label })));
        for (const c of q.choices) expect(md).toContain(`| ${c.code} | ${c.name} | ${c.label.en}`);
      }
    }
    expect(json.pid).toMatch(/HMAC-SHA256/);
    expect(json.containsPhoneNumbers).toBe(false);
  });

  it('of the wide file has one column per question, and a 1/0 column per choice of a select_multiple', () => {
    const plan = planDataset('diary_wide', { study: kenya, content, key, includePhone: false, now: EXPORTED_AT }, new MemorySource([]));
    const names = plan.variables.map((v) => v.name);
    for (const q of form.questions) {
      expect(names).toContain(q.id);
      if (q.type === 'select_multiple') for (const c of q.choices) expect(names).toContain(`${q.id}__${c.name}`);
    }
    expect(names).not.toContain('phone');
  });

  it('of lessons lists the modules and their quiz choices', () => {
    const plan = planDataset('lessons', { study: kenya, content, key, includePhone: false, now: EXPORTED_AT }, new MemorySource([]));
    const cb = buildCodebook({ ...base, dataset: 'lessons', variables: plan.variables });
    expect(cb.modules?.map((m) => m.id)).toEqual(content.modules?.map((m) => m.id));
    expect(cb.questionnaire).toBeUndefined();
    expect(codebookMarkdown(cb)).toContain('## Modules and quizzes');
  });
});

describe('CSV (RFC 4180, UTF-8)', () => {
  const tricky: Row[] = [
    { a: 'plain', b: 'comma, inside', c: 'quote " inside' },
    { a: 'line\nbreak', b: 'carriage\rreturn', c: 'both\r\nhere' },
    { a: 'বাংলা লেখা', b: 'Kiswahili: ada', c: undefined },
    { a: ' spaces ', b: 42, c: 3.5 },
  ];

  it('quotes commas, quotes and line breaks, doubles quotes, ends records with CRLF, and reads back the same', async () => {
    const out = await text(csvBody(Readable.from([tricky]), ['a', 'b', 'c'], false));
    expect(out.startsWith('a,b,c\r\n')).toBe(true);
    expect(out).toContain('"comma, inside","quote "" inside"\r\n');
    expect(out).toContain('"line\nbreak","carriage\rreturn","both\r\nhere"\r\n');
    expect(out).toContain('বাংলা লেখা,Kiswahili: ada,\r\n');
    expect(out.endsWith(' spaces ,42,3.5\r\n')).toBe(true);
    // Outside quoted fields, every line ends in CRLF.
    const unquoted = out.replace(/"(?:[^"]|"")*"/g, '');
    expect(unquoted.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const back = parse(out, { columns: true, record_delimiter: '\r\n', relax_quotes: false }) as Record<string, string>[];
    expect(back).toEqual(tricky.map((r) => ({ a: String(r.a ?? ''), b: String(r.b ?? ''), c: String(r.c ?? '') })));
  });

  it('is UTF-8, with a byte-order mark only when asked (for Excel)', async () => {
    const plain = Buffer.from(await text(csvBody(Readable.from([tricky]), ['a', 'b', 'c'], false)), 'utf8');
    const chunks: Buffer[] = [];
    for await (const c of csvBody(Readable.from([tricky]), ['a', 'b', 'c'], true)) chunks.push(Buffer.from(c as Buffer));
    const withBom = Buffer.concat(chunks);
    expect([...plain.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect([...withBom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(withBom.subarray(3).equals(plain)).toBe(true);
    expect(plain.includes(Buffer.from('বাংলা', 'utf8'))).toBe(true);
  });

  it('defuses formulas in free text (CSV injection) but leaves numbers and phone numbers alone', async () => {
    const rows: Row[] = [{ a: '=HYPERLINK("http://x")', b: '+254712000001', c: '-5' }, { a: '@SUM(A1)', b: '+cmd|calc', c: 'fine' }];
    const back = parse(await text(csvBody(Readable.from([rows]), ['a', 'b', 'c'], false)), { columns: true }) as Record<string, string>[];
    expect(back).toEqual([
      { a: `'=HYPERLINK("http://x")`, b: '+254712000001', c: '-5' },
      { a: "'@SUM(A1)", b: "'+cmd|calc", c: 'fine' },
    ]);
  });

  it('writes byte for byte what csv-stringify (RFC 4180 options, formula guard) writes, on any rows and chunk boundaries', async () => {
    // csv-stringify configured as the exports used it before the hand-written writer (csv.ts says why).
    const reference = (rows: Row[], columns: string[]) =>
      new Promise<string>((resolve, reject) => {
        stringify(
          rows,
          {
            header: true, columns, delimiter: ',', quote: '"', escape: '"', record_delimiter: '\r\n', quoted_match: /[\r\n]/,
            cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) && !/^[+-]?\d[\d.]*$/.test(v) ? `'${v}` : v) },
          },
          (err, out) => (err ? reject(err) : resolve(out)),
        );
      });
    const cell = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ unit: fc.constantFrom('a', 'ব', ',', '"', '\r', '\n', ' ', '=', '+', '-', '@', '\t', '1', '.', "'") , maxLength: 12 }),
      fc.string({ maxLength: 200 }),
    );
    const columns = ['a', 'b', 'c'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ a: cell, b: cell, c: cell }, { requiredKeys: [] }), { maxLength: 400 }), async (rows) => {
        // In batches of any size, as the datasets give them.
        const batches = rows.reduce<Row[][]>((acc, row, i) => (i % 7 === 0 ? [...acc, [row]] : (acc.at(-1)!.push(row), acc)), []);
        expect(await text(csvBody(Readable.from(batches), columns, false))).toBe(await reference(rows, columns));
      }),
      { numRuns: 150 },
    );
  });

  it('ends the stream with the error when reading the rows fails, and stops the rows when the reader stops', async () => {
    async function* failing(): AsyncGenerator<Row[]> {
      yield [{ a: 'x'.repeat(70_000) }];
      throw new Error('DynamoDB went away');
    }
    await expect(text(csvBody(failing(), ['a'], false))).rejects.toThrow('DynamoDB went away');
    let finished = false;
    async function* endless(): AsyncGenerator<Row[]> {
      try {
        for (;;) yield [{ a: 'row' }];
      } finally {
        finished = true;
      }
    }
    for await (const chunk of csvBody(endless(), ['a'], false)) {
      expect((chunk as Buffer).length).toBeGreaterThan(60_000);
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(finished).toBe(true);
  });

  it('writes the header even with no rows', async () => {
    expect(await text(csvBody(Readable.from([]), ['pid', 'week'], false))).toBe('pid,week\r\n');
  });
});

describe('diary rows', () => {
  const p = participant({ participantId: 'p1', phone: '+254711000001', armId: 'treatment' });

  it('follow the skip logic: answered, skipped, unanswered, not asked and off the path', () => {
    // Wage received in cash: the fee and trouble questions are off the path; the amount was skipped.
    const w = week(p, '2026-W48', 0, { wage_received: 'yes', wage_how: 'cash', wage_amount: null, fee_paid: 'yes', saved_amount: 0 });
    const states = Object.fromEntries(questionStates(form, w).map((s) => [s.question.id, s.status]));
    expect(states).toMatchObject({
      wage_received: 'answered', wage_how: 'answered', wage_amount: 'skipped', fee_paid: 'off_path', fee_amount: 'not_asked',
      trouble: 'not_asked', saved_amount: 'answered', saved_where: 'not_asked', borrowed: 'unanswered',
      // Study week 0: only the rotation item with offset 0 is asked.
      respect: 'unanswered', choice: 'not_asked', voice: 'not_asked', control: 'not_asked',
    });
  });

  it('long: one row per participant × week × question, codes beside names, pid and never the phone', async () => {
    const q = form.questions.find((x) => x.id === 'trouble') as Question & { type: 'select_multiple' };
    const two = q.choices.filter((c) => !c.exclusive).slice(0, 2);
    const weeks = [
      week(p, '2026-W48', 0, { wage_received: 'yes', wage_how: 'bank', trouble: two.map((c) => c.name) }),
      week(p, '2026-W49', 1, { wage_received: 'no' }, { complete: true, completedAt: '2026-12-01T10:00:00.000Z' }),
    ];
    const plan = planDataset('diary_long', { study: kenya, content, key, includePhone: false, now: new Date('2026-12-05T00:00:00Z') }, new MemorySource([p], weeks));
    const rows = await rowsOf(plan.rows);
    expect(rows).toHaveLength(2 * form.questions.length);
    const trouble = rows.find((r) => r.week === '2026-W48' && r.question === 'trouble');
    expect(trouble).toMatchObject({ pid: pseudonym(p.phone, key), arm: 'treatment', status: 'answered', value: two.map((c) => c.name).join(' '), code: two.map((c) => c.code).join(' '), channel: 'ussd' });
    expect(rows.find((r) => r.question === 'wage_received' && r.week === '2026-W49')).toMatchObject({ value: 'no', code: 0 });
    expect(JSON.stringify(rows)).not.toContain('+254');
    expect(Object.keys(rows[0] ?? {})).not.toContain('phone');
  });

  it('wide: one row per participant × week with codes and 1/0 choice columns; phone only when included', async () => {
    const weeks = [week(p, '2026-W48', 0, { wage_received: 'yes', wage_how: 'mobile_money', wage_amount: 8000, trouble: ['none'] }, { complete: true })];
    const pseud = await rowsOf(planDataset('diary_wide', { study: kenya, content, key, includePhone: false, now: EXPORTED_AT }, new MemorySource([p], weeks)).rows);
    expect(pseud).toHaveLength(1);
    const how = form.questions.find((x) => x.id === 'wage_how') as Question & { type: 'select_one' };
    expect(pseud[0]).toMatchObject({ complete: 1, wage_received: 1, wage_how: how.choices.find((c) => c.name === 'mobile_money')?.code, wage_amount: 8000, trouble__none: 1, answered: 4 });
    expect(pseud[0]?.phone).toBeUndefined();
    const withPhone = await rowsOf(planDataset('diary_wide', { study: kenya, content, key, includePhone: true, now: EXPORTED_AT }, new MemorySource([p], weeks)).rows);
    expect(withPhone[0]?.phone).toBe('+254711000001');
  });
});

describe('other datasets', () => {
  const treated = participant({ participantId: 'p1', phone: '+254711000001', armId: 'treatment', lessons: { 'cashing_out/know_the_fee': { choice: 'before', correct: true, at: '2026-11-26T10:00:00.000Z', sessionId: 's' } } });
  const control = participant({ participantId: 'p2', phone: '+254711000002', armId: 'control' });
  const ctx = (includePhone = false) => ({ study: kenya, content, key, includePhone, now: new Date('2026-12-09T09:00:00Z') });

  it('response: one row per participant × study week, answered / partial / none, with the channel', async () => {
    const weeks = [
      week(treated, '2026-W48', 0, { wage_received: 'yes' }, { complete: true }),
      week(treated, '2026-W49', 1, { wage_received: 'no' }),
      { ...week(control, '2026-W49', 1, {}), answers: { wage_received: { value: 'yes', at: 'x', channel: 'sms' as const } } },
    ];
    const rows = await rowsOf(planDataset('response', ctx(), new MemorySource([treated, control], weeks)).rows);
    expect(studyWeeks(kenya, ctx().now).map((w) => w.id)).toEqual(['2026-W48', '2026-W49', '2026-W50']);
    expect(rows).toHaveLength(2 * 3);
    expect(rows.map((r) => [r.arm, r.week, r.status, r.channel])).toEqual([
      ['treatment', '2026-W48', 'answered', 'ussd'],
      ['treatment', '2026-W49', 'partial', 'ussd'],
      ['treatment', '2026-W50', 'none', undefined],
      ['control', '2026-W48', 'none', undefined],
      ['control', '2026-W49', 'answered', 'sms'],
      ['control', '2026-W50', 'none', undefined],
    ]);
    expect(responseStatus(undefined)).toBe('none');
  });

  it('response: enrolled only from consent on, and not after a withdrawal', () => {
    const [w0, w1, w2] = studyWeeks(kenya, new Date('2026-12-09T09:00:00Z'));
    const late = participant({ consent: { state: 'consented', at: '2026-12-02T09:00:00.000Z' } });
    expect([w0, w1, w2].map((w) => enrolledIn(late, w!))).toEqual([false, true, true]);
    const gone = participant({ createdAt: '2026-11-20T00:00:00.000Z', consent: { state: 'withdrawn', at: '2026-12-01T09:00:00.000Z' } });
    expect([w0, w1, w2].map((w) => enrolledIn(gone, w!))).toEqual([true, true, false]);
    expect(enrolledIn(participant({ consent: { state: 'declined' } }), w0!)).toBe(false);
  });

  it('lessons: a row per lesson for treatment participants only, with the quiz answer', async () => {
    const rows = await rowsOf(planDataset('lessons', ctx(), new MemorySource([treated, control])).rows);
    const lessons = (content.modules ?? []).flatMap((m) => m.lessons).length;
    expect(rows).toHaveLength(lessons);
    expect(rows.every((r) => r.arm === 'treatment')).toBe(true);
    const done = rows.filter((r) => r.done === 1);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ module: 'cashing_out', lesson: 'know_the_fee', lesson_order: 1, quiz_choice: 'before', quiz_correct: 1 });
  });

  it('complaints: pid and arm, free text without phone numbers unless they are included', async () => {
    const c: Complaint = { studyId: kenya.studyId, participantId: 'p2', phone: control.phone, ref: 'ABC123', provider: 'mpesa', category: 'fees', text: 'agent +254 799 111 222 charged me 300', week: '2026-W49', at: '2026-12-01T10:00:00.000Z', channel: 'ussd', sessionId: 's' };
    const rows = await rowsOf(planDataset('complaints', ctx(), new MemorySource([treated, control], [], [c])).rows);
    expect(rows).toEqual([{ pid: pseudonym(control.phone, key), arm: 'control', ref: 'ABC123', week: '2026-W49', at: c.at, channel: 'ussd', provider: 'mpesa', category: 'fees', text: 'agent [number] charged me 300' }]);
    const admin = await rowsOf(planDataset('complaints', ctx(true), new MemorySource([treated, control], [], [c])).rows);
    expect(admin[0]).toMatchObject({ phone: control.phone, text: c.text });
  });

  it('messages: status, finality and the pid of the number, never the text', async () => {
    const m: ExportMessage = { messageId: 'prompt#2026-W49#p1#0', studyId: kenya.studyId, participantId: 'p1', purpose: 'prompt', period: '2026-W49', status: 'Success', phone: treated.phone, createdAt: '2026-12-04T15:00:00.000Z', updatedAt: '2026-12-04T15:01:00.000Z', sentAt: '2026-12-04T15:00:05.000Z' };
    const rows = await rowsOf(planDataset('messages', ctx(), new MemorySource([], [], [], [m, { ...m, messageId: 'x', participantId: '-', status: 'queued' }])).rows);
    expect(rows[0]).toMatchObject({ pid: pseudonym(treated.phone, key), enrolled: 1, purpose: 'prompt', status: 'Success', final: 1, treatment_only: 0, sent_at: m.sentAt });
    expect(rows[1]).toMatchObject({ enrolled: 0, status: 'queued', final: 0 });
    expect(JSON.stringify(rows)).not.toContain('+254');
  });
});

describe('runExport', () => {
  const p = participant({ participantId: 'p1', phone: '+254711000001', armId: 'treatment' });
  const req = { study: kenya, bom: false, includePhone: false, by: 'Dr R', now: new Date('2026-12-01T09:00:00.000Z') };

  it.each(DATASETS)('%s: CSV and both codebooks land in the folder, named by study, dataset and time', async (dataset) => {
    const dir = mkdtempSync(join(tmpdir(), 'sauti-export-'));
    const logged: unknown[] = [];
    const log = { info: (m: string, x?: Record<string, unknown>) => logged.push([m, x]), warn: () => undefined, error: () => undefined };
    const result = await runExport({ ...req, dataset }, { source: new MemorySource([p], [week(p, '2026-W49', 1, { wage_received: 'no' })]), sink: new LocalFileSink(dir), content, key, log });
    expect(result.csv.location).toBe(join(dir, kenya.studyId, `${dataset}-2026-12-01T09-00-00-000Z.csv`));
    // Each file also under a stable name, the newest export's (`sauti analyze --csv …-latest.csv`).
    expect(readdirSync(join(dir, kenya.studyId)).sort()).toEqual(
      [`${dataset}-2026-12-01T09-00-00-000Z`, `${dataset}-latest`].flatMap((base) => [`${base}.codebook.json`, `${base}.codebook.md`, `${base}.csv`]).sort(),
    );
    const csv = readFileSync(result.csv.location, 'utf8');
    expect(readFileSync(join(dir, kenya.studyId, `${dataset}-latest.csv`), 'utf8')).toBe(csv);
    expect(parse(csv, { columns: true })).toHaveLength(result.rows);
    expect(JSON.parse(readFileSync(result.codebook.json.location, 'utf8'))).toMatchObject({ dataset, rows: result.rows, generatedBy: 'Dr R' });
    expect(logged).toEqual([['export', expect.objectContaining({ by: 'Dr R', dataset, rows: result.rows, includePhone: false, at: req.now.toISOString() })]]);
    expect(JSON.stringify(logged)).not.toContain('+254');
  });

  it('a failing read fails the export and leaves no file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sauti-export-'));
    const broken = new MemorySource([p]);
    broken.weeks = async () => {
      throw new Error('DynamoDB is down');
    };
    await expect(runExport({ ...req, dataset: 'diary_long' }, { source: broken, sink: new LocalFileSink(dir), content, key })).rejects.toThrow('DynamoDB is down');
    expect(existsSync(join(dir, kenya.studyId)) ? readdirSync(join(dir, kenya.studyId)) : []).toEqual([]);
  });

  it('an export with phone numbers is marked in its name and logged as such, without the numbers', async () => {
    const warned: unknown[] = [];
    const log = { info: () => undefined, warn: (m: string, x?: Record<string, unknown>) => warned.push([m, x]), error: () => undefined };
    const sink = new DiscardSink();
    const result = await runExport({ ...req, dataset: 'lessons', includePhone: true }, { source: new MemorySource([p]), sink, content, key, log });
    expect(result.csv.location).toContain('lessons-with-phones-');
    expect(warned).toEqual([['export with phone numbers', expect.objectContaining({ audit: 'export-phone-numbers', by: 'Dr R', includePhone: true })]]);
    expect(JSON.stringify(warned)).not.toContain('+254');
  });

  it('an export with phone numbers has an unguessable name and no -latest alias', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sauti-export-'));
    const first = await runExport({ ...req, dataset: 'lessons', includePhone: true }, { source: new MemorySource([p]), sink: new LocalFileSink(dir), content, key });
    const second = await runExport({ ...req, dataset: 'lessons', includePhone: true }, { source: new MemorySource([p]), sink: new LocalFileSink(dir), content, key });
    // The same study, dataset and instant: only the random part tells them apart.
    expect(first.csv.location).toMatch(/lessons-with-phones-[\dT-]+Z-[0-9a-f]{32}\.csv$/);
    expect(second.csv.location).not.toBe(first.csv.location);
    expect(readdirSync(join(dir, kenya.studyId)).filter((f) => f.includes('latest'))).toEqual([]);
  });
});
