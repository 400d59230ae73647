import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { DynamoExportSource } from '../../functions/adapters/dynamo/export-source.js';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import type { WeekRecord } from '../../functions/core/diary/week-record.js';
import { pseudonym, studyKey } from '../../functions/core/export/pseudonym.js';
import { DATASETS, type Dataset } from '../../functions/core/export/variables.js';
import type { Participant, Study } from '../../functions/core/model.js';
import { seedDemos } from '../../infra/local/seed.js';
import { apiEvent } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * Research exports against DynamoDB Local, through the API handler: the two demo studies, a
 * few diary weeks written as the USSD service writes them, complaints (one in Bengali),
 * messages and lessons; every dataset exported to a temporary folder with its codebook;
 * row counts; no phone number in a researcher's export, phone numbers in an admin's who asks;
 * a researcher who asks gets 403.
 */
const KEY = 'integration-test-pseudonym-key';
const SEEDED = new Date('2026-11-23T06:00:00Z'); // Monday 09:00 in Nairobi: the demo studies start in 2026-W48
const NOW = new Date('2026-12-09T09:00:00Z'); // Wednesday of 2026-W50: three study weeks
let t: TestTable;
let dir: string;
let kenya: Study;
let dhaka: Study;
let people: Participant[];
let api: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
const TOKENS = { researcher: 'r-token', admin: 'a-token', ngo: 'n-token' } as const;

const form = content.diary!;
const lessonCount = (content.modules ?? []).reduce((n, m) => n + m.lessons.length, 0);

function week(p: Participant, id: string, studyWeek: number, answers: Record<string, string | number | string[] | null>, complete: boolean, channel: 'ussd' | 'sms' = 'ussd'): WeekRecord {
  const at = '2026-11-27T15:30:00.000Z';
  return {
    studyId: p.studyId, participantId: p.participantId, phone: p.phone, week: id, studyWeek, questionnaireId: form.id, questionnaireVersion: form.version,
    answers: Object.fromEntries(Object.entries(answers).map(([q, value]) => [q, { value, at, channel }])),
    complete, ...(complete ? { completedAt: at } : {}), version: 1, createdAt: at, updatedAt: at,
  };
}

beforeAll(async () => {
  t = await createTestTable();
  [kenya, dhaka] = (await seedDemos(t.doc, t.tableName, '*384*123#', SEEDED)).map((s) => s.study) as [Study, Study];
  const participants = new DynamoParticipantStore(t.doc, t.tableName);
  people = await participants.listByStudy(kenya.studyId);
  const [p1, p2, p3] = people as [Participant, Participant, Participant];
  const bangla = (await participants.listByStudy(dhaka.studyId))[0] as Participant;

  // Five diary weeks in Kenya (three participants), one in Dhaka: written as the USSD service writes them.
  const ussd = new DynamoUssdStore(t.doc, t.tableName);
  for (const w of [
    week(p1, '2026-W48', 0, { wage_received: 'yes', wage_how: 'mobile_money', wage_amount: 8000, fee_paid: 'yes', fee_amount: 120, trouble: ['agent_no_cash', 'network_down'], saved_amount: 500, saved_where: 'account', borrowed: 'no', main_spending: 'food', respect: 'yes' }, true),
    week(p1, '2026-W49', 1, { wage_received: 'no', saved_amount: 0, borrowed: null }, false),
    week(p2, '2026-W48', 0, { wage_received: 'yes', wage_amount: 7000, saved_amount: 200 }, false, 'sms'),
    week(p2, '2026-W50', 2, { wage_received: 'no' }, false),
    week(p3, '2026-W49', 1, { wage_received: 'yes', wage_how: 'cash', wage_amount: 6000, saved_amount: 0, borrowed: 'yes', borrowed_from: ['employer'], main_spending: 'rent', choice: 'no' }, true),
    week(bangla, '2026-W48', 0, { wage_received: 'no' }, true),
  ]) await ussd.saveWeek(w, undefined);

  await ussd.saveComplaint({ studyId: kenya.studyId, participantId: p1.participantId, phone: p1.phone, ref: 'K7P2QX', provider: 'mpesa', category: 'fees', text: 'Agent charged 200, "extra", call him on 0712 345 678', week: '2026-W48', at: '2026-11-27T16:00:00.000Z', channel: 'ussd', sessionId: 's1' });
  await ussd.saveComplaint({ studyId: kenya.studyId, participantId: p3.participantId, phone: p3.phone, ref: 'M4R8TZ', provider: 'equity', category: 'other', text: 'line one\nline two, with a comma', week: '2026-W49', at: '2026-12-02T16:00:00.000Z', channel: 'sms', sessionId: 's2' });
  await ussd.saveComplaint({ studyId: dhaka.studyId, participantId: bangla.participantId, phone: bangla.phone, ref: 'B1N2GL', provider: 'bkash', category: 'fees', text: 'এজেন্ট বেশি টাকা নিয়েছে', week: '2026-W48', at: '2026-11-27T16:00:00.000Z', channel: 'ussd', sessionId: 's3' });

  // A treatment participant who finished two lessons.
  const treated = people.find((p) => p.armId === 'treatment') as Participant;
  await ussd.saveParticipant({ ...treated, lessons: { 'cashing_out/know_the_fee': { choice: 'before', correct: true, at: '2026-11-28T10:00:00.000Z', sessionId: 's4' }, 'cashing_out/fewer_larger': { choice: 'x', correct: false, at: '2026-11-28T10:05:00.000Z', sessionId: 's4' } }, updatedAt: '2026-11-28T10:05:00.000Z' }, treated.updatedAt);

  // Messages: two in Kenya (one created alone, one of a batch), one in Dhaka.
  const messages = new DynamoMessageStore(t.doc, t.tableName);
  const base = { purpose: 'prompt', period: '2026-W48', text: 'Diary time', treatmentOnly: false };
  await messages.create({ ...base, messageId: `prompt#2026-W48#${p1.participantId}#0`, studyId: kenya.studyId, participantId: p1.participantId, phone: p1.phone, createdAt: '2026-11-27T15:00:00.000Z' });
  await messages.createMany([
    { ...base, messageId: `prompt#2026-W48#${p2.participantId}#0`, studyId: kenya.studyId, participantId: p2.participantId, phone: p2.phone, createdAt: '2026-11-27T15:00:01.000Z' },
    { ...base, messageId: `prompt#2026-W48#${bangla.participantId}#0`, studyId: dhaka.studyId, participantId: bangla.participantId, phone: bangla.phone, createdAt: '2026-11-27T12:00:00.000Z' },
  ]);
  await messages.closed(`prompt#2026-W48#${p2.participantId}#0`, 'failed', 'InvalidPhoneNumber', '2026-11-27T15:00:05.000Z');

  dir = mkdtempSync(join(tmpdir(), 'sauti-exports-'));
  Object.assign(process.env, {
    TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, POWERTOOLS_LOG_LEVEL: 'ERROR', SAUTI_PSEUDONYM_KEY: KEY, SAUTI_EXPORT_DIR: dir,
    SAUTI_API_TOKENS: JSON.stringify({ 'r-token': { role: 'researcher', name: 'Dr R' }, 'a-token': { role: 'admin', name: 'Ada Admin' }, 'n-token': { role: 'ngo' } }),
  });
  delete process.env.EXPORTS_BUCKET;
  delete process.env.PSEUDONYM_SECRET_ARN;
  const { createApiHandler } = await import('../../functions/api/handler.js');
  api = createApiHandler({ clock: { now: () => NOW }, runDispatch: async () => ({}) });
});

async function exportOf(studyId: string, body: unknown, token: string = TOKENS.researcher) {
  const res = await api(apiEvent('POST', `/studies/${studyId}/exports`, { token, body }));
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as { dataset: Dataset; rows: number; file: string; codebook: { json: string; md: string }; error?: string } };
}

const csvRows = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];

describe('research exports from DynamoDB Local, through the API', () => {
  const expected: Record<Dataset, number> = {
    diary_long: 5 * form.questions.length,
    diary_wide: 5,
    complaints: 2,
    messages: 2,
    lessons: 18 * lessonCount, // the 18 treatment participants of the demo study
    response: 36 * 3, // 36 participants × study weeks W48, W49, W50
  };

  it.each(DATASETS)('%s: the right rows, a codebook beside it, and no phone number anywhere', async (dataset) => {
    const res = await exportOf(kenya.studyId, { dataset });
    expect(res.status).toBe(200);
    expect(res.body.rows).toBe(expected[dataset]);
    expect(res.body.file).toMatch(new RegExp(`^${dir}/athi-river-2026/${dataset}-2026-12-09T09-00-00-000Z\\.csv$`));
    const raw = readFileSync(res.body.file, 'utf8');
    expect(csvRows(res.body.file)).toHaveLength(expected[dataset]);
    // Privacy (invariant 6): no number, in any column, free text included.
    expect(raw).not.toContain('+254');
    expect(raw).not.toMatch(/2547\d{8}/);
    expect(raw).not.toContain('0712 345 678');
    expect(readFileSync(res.body.codebook.json, 'utf8')).not.toContain('+254');
    expect(JSON.parse(readFileSync(res.body.codebook.json, 'utf8'))).toMatchObject({ dataset, rows: expected[dataset], containsPhoneNumbers: false, generatedBy: 'Dr R' });
    expect(readFileSync(res.body.codebook.md, 'utf8')).toContain(`# Codebook: ${dataset}`);
  });

  it('round-trips: every answer in the store is in the long file, with its value, week and channel, and nothing else is answered', async () => {
    const { DynamoDiaryReader } = await import('../../functions/adapters/dynamo/diary-reader.js');
    const stored = await new DynamoDiaryReader(t.doc, t.tableName).weeks(kenya.studyId, ['2026-W48', '2026-W49', '2026-W50']);
    const key = studyKey(KEY, kenya.studyId);
    const pidOf = new Map(people.map((p) => [p.participantId, pseudonym(p.phone, key)]));
    const long = csvRows((await exportOf(kenya.studyId, { dataset: 'diary_long' })).body.file);
    const answered = long.filter((r) => r.status === 'answered');
    const expected = stored.flatMap((w) =>
      Object.entries(w.answers)
        .filter(([, a]) => a.value !== null)
        .map(([q, a]) => `${pidOf.get(w.participantId)}|${q}|${Array.isArray(a.value) ? a.value.join(' ') : String(a.value)}|${a.channel}`),
    );
    expect(answered.map((r) => `${r.pid}|${r.question}|${r.value}|${r.channel}`).sort()).toEqual(expected.sort());
  });

  it('uses one stable pseudonymous id per participant across datasets, unrelated to the Dhaka study\'s', async () => {
    const key = studyKey(KEY, kenya.studyId);
    const [p1] = people as [Participant];
    const long = csvRows((await exportOf(kenya.studyId, { dataset: 'diary_long' })).body.file);
    const response = csvRows((await exportOf(kenya.studyId, { dataset: 'response' })).body.file);
    const pid = pseudonym(p1.phone, key);
    expect(long.filter((r) => r.pid === pid)).toHaveLength(2 * form.questions.length);
    expect(response.filter((r) => r.pid === pid).map((r) => [r.week, r.status, r.channel])).toEqual([['2026-W48', 'answered', 'ussd'], ['2026-W49', 'partial', 'ussd'], ['2026-W50', 'none', '']]);
    expect(new Set(response.map((r) => r.pid)).size).toBe(36);
    expect(pseudonym(p1.phone, studyKey(KEY, dhaka.studyId))).not.toBe(pid);
    // The diary's skip logic shows in the long file: cash wages take the fee questions off the path.
    const p3 = pseudonym((people[2] as Participant).phone, key);
    expect(Object.fromEntries(long.filter((r) => r.pid === p3).map((r) => [r.question, r.status]))).toMatchObject({ wage_how: 'answered', fee_paid: 'not_asked', trouble: 'not_asked', borrowed_from: 'answered', choice: 'answered', respect: 'not_asked' });
  });

  it('writes the wide diary with codes and choice columns, and complaints with their text, numbers removed', async () => {
    const wide = csvRows((await exportOf(kenya.studyId, { dataset: 'diary_wide' })).body.file);
    const first = wide.find((r) => r.week === '2026-W48' && r.wage_how === '3');
    expect(first).toMatchObject({ complete: '1', channel: 'ussd', wage_received: '1', wage_amount: '8000', trouble: '1 2', trouble__agent_no_cash: '1', trouble__network_down: '1', trouble__none: '0', saved_where: '1' });
    expect(wide.find((r) => r.channel === 'sms')).toMatchObject({ complete: '1', wage_amount: '7000' });
    const complaints = csvRows((await exportOf(kenya.studyId, { dataset: 'complaints' })).body.file);
    expect(complaints.map((c) => c.text).sort()).toEqual(['Agent charged 200, "extra", call him on [number]', 'line one\nline two, with a comma']);
  });

  it('keeps Bengali intact (UTF-8), with a byte-order mark when asked for Excel', async () => {
    const res = await exportOf(dhaka.studyId, { dataset: 'complaints', bom: true });
    expect(res.body.rows).toBe(1);
    const bytes = readFileSync(res.body.file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('এজেন্ট বেশি টাকা নিয়েছে');
    expect(bytes.toString('utf8')).not.toContain('+880');
    expect((await exportOf(dhaka.studyId, { dataset: 'messages' })).body.rows).toBe(1);
  });

  it('gives phone numbers to an admin who asks, marked in the file name and the codebook', async () => {
    const res = await exportOf(kenya.studyId, { dataset: 'diary_wide', includePhone: true }, TOKENS.admin);
    expect(res.status).toBe(200);
    expect(res.body.file).toContain('diary_wide-with-phones-');
    const rows = csvRows(res.body.file);
    expect(rows.map((r) => r.phone).sort()).toEqual([people[0]!.phone, people[0]!.phone, people[1]!.phone, people[1]!.phone, people[2]!.phone].sort());
    expect(readFileSync(res.body.file, 'utf8')).toContain('+254');
    expect(JSON.parse(readFileSync(res.body.codebook.json, 'utf8'))).toMatchObject({ containsPhoneNumbers: true, generatedBy: 'Ada Admin' });
    // Without asking, an admin gets the pseudonymous file too.
    expect(readFileSync((await exportOf(kenya.studyId, { dataset: 'complaints' }, TOKENS.admin)).body.file, 'utf8')).not.toContain('+254');
    // The export with phone numbers is in the study's audit trail (and only that one).
    const trail = await api(apiEvent('GET', `/studies/${kenya.studyId}/audit`, { token: TOKENS.admin }));
    const events = (JSON.parse(String(trail.body)) as { events: { action: string; by: string; detail?: string }[] }).events;
    expect(events.filter((e) => e.action === 'export-with-phones')).toEqual([expect.objectContaining({ by: 'Ada Admin', detail: 'diary_wide' })]);
  });

  it('refuses phone numbers to a researcher (403, saying why), exports to NGO staff, and bad requests', async () => {
    const before = readdirSync(join(dir, kenya.studyId)).length;
    const refused = await exportOf(kenya.studyId, { dataset: 'diary_long', includePhone: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('Phone numbers in an export need the admin role; ask again without includePhone for the pseudonymous export.');
    expect(readdirSync(join(dir, kenya.studyId))).toHaveLength(before);
    expect((await exportOf(kenya.studyId, { dataset: 'diary_long' }, TOKENS.ngo)).status).toBe(403);
    const bad = await exportOf(kenya.studyId, { dataset: 'everything' });
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(['dataset']);
    expect((await exportOf('no-such-study', { dataset: 'response' })).status).toBe(404);
  });

  it('pages the source: participants in pages, messages oldest first, one participant\'s weeks in week order', async () => {
    const source = new DynamoExportSource(t.doc, t.tableName, 5);
    let pages = 0;
    let seen = 0;
    for await (const page of source.participants(kenya.studyId)) {
      pages += 1;
      seen += page.length;
      expect(page.length).toBeLessThanOrEqual(5);
    }
    expect([pages, seen]).toEqual([8, 36]);
    expect((await source.weeks(people[1] as Participant)).map((w) => w.week)).toEqual(['2026-W48', '2026-W50']);
    const messages: string[] = [];
    for await (const page of source.messages(kenya.studyId)) messages.push(...page.map((m) => `${m.status}:${m.failureReason ?? ''}`));
    expect(messages).toEqual(['queued:', 'failed:InvalidPhoneNumber']);
  });
});
