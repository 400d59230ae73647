import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../functions/adapters/content.js';
import { DynamoCampaignStore } from '../../functions/adapters/dynamo/campaign-store.js';
import { DynamoMessageStore } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import type { PreviewScreen } from '../../functions/core/console/content-preview.js';
import type { StudyOverview } from '../../functions/core/console/overview.js';
import type { Timeline } from '../../functions/core/console/timeline.js';
import type { DiaryAnswer, WeekRecord } from '../../functions/core/diary/week-record.js';
import { studyWeeks } from '../../functions/core/time/study-calendar.js';
import type { Participant, Study } from '../../functions/core/model.js';
import { encodedLength } from '../../functions/core/text/gsm7.js';
import { smsSize } from '../../functions/core/text/segments.js';
import type { DiaryWeek } from '../../functions/core/time/week.js';
import { type ApiHandler, apiHandler, callApi, callApiWithClaims, cognitoClaims } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * The web console's API against DynamoDB Local: a study created, enrolled and randomized
 * through the API; diary weeks, complaints, messages (through the message store's own status
 * changes), a campaign and finished lessons written as the services write them. The overview's
 * numbers are checked against what was seeded; the participant list and timeline never carry
 * a phone number; revealing one is for admins, needs a reason and lands in the audit trail;
 * the content preview measures every screen as the segment counter does.
 */
let t: TestTable;
let api: ApiHandler;
const now = Date.parse('2026-11-24T09:00:00Z'); // study week 7 of a study starting 2026-10-05
const stamp = new Date(now).toISOString();
/** Moves the API's clock on (the audit trail orders by time). */
let later = 0;

const TOKENS = { 'r-token': { role: 'researcher', name: 'Dr R' }, 'n-token': { role: 'ngo', name: 'Amina (NGO)' }, 'a-token': { role: 'admin', name: 'Ops Admin' } };
const call = (method: string, path: string, opts: { body?: unknown; token?: string; query?: Record<string, string> } = {}) =>
  callApi(api, method, path, { token: opts.token ?? 'r-token', ...(opts.body === undefined ? {} : { body: opts.body }), ...(opts.query ? { query: opts.query } : {}) });

const studyId = 'console-demo';
const study = {
  studyId, name: 'Console demo', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['en', 'sw', 'bn'],
  serviceCode: '*384*911#', contact: '0800 000 911', startsOn: '2026-10-05',
  arms: [{ armId: 'lessons', name: 'Lessons', ratio: 1, treatment: true }, { armId: 'diary', name: 'Diary only', ratio: 1, treatment: false }],
  providers: [{ id: 'mpesa', name: 'M-Pesa', kind: 'mobile_money' }, { id: 'equity', name: 'Equity', kind: 'bank' }],
};
const base = `${studyId}`;

/** 20 consented and 2 pending. */
const csv = [
  'phone,language,consent,consent_version',
  ...Array.from({ length: 22 }, (_, n) => `07${String(13100000 + n).padStart(8, '0')},${n % 2 ? 'sw' : 'en'},${n < 20 ? 'consented,2026-11-v2' : 'pending,'}`),
].join('\n');
const DECLINED_PHONE = '+254713199999';

let people: Participant[] = [];
let calendar: DiaryWeek[] = [];
/** participantId -> study weeks answered. */
const answeredWeeks = new Map<string, Set<number>>();
/** participantId -> diary week records written. */
const recordsOf = new Map<string, number>();
let treated: Participant[] = [];
let control: Participant[] = [];
let withdrawn: Participant;

beforeAll(async () => {
  // The deployment's pseudonym key: the console shows each participant's export id with it.
  Object.assign(process.env, { SAUTI_PSEUDONYM_KEY: 'console-test-pseudonym-key', SAUTI_EXPORT_DIR: mkdtempSync(join(tmpdir(), 'sauti-console-export-')) });
  t = await createTestTable();
  api = await apiHandler(t, TOKENS, { now: () => now + later });
  expect((await call('POST', '/studies', { body: study })).status).toBe(201);
  expect((await call('POST', `/studies/${base}/participants/import`, { body: { csv } })).body).toMatchObject({ created: 22 });
  expect((await call('POST', `/studies/${base}/randomize`, { body: { method: 'complete', seed: 911 } })).status).toBe(200);

  const store = new DynamoParticipantStore(t.doc, t.tableName);
  const ussd = new DynamoUssdStore(t.doc, t.tableName);
  await store.addParticipant({
    studyId, participantId: 'p_declined', phone: DECLINED_PHONE, lang: 'en', consent: { state: 'declined', at: stamp, channel: 'ussd' }, source: 'ussd', createdAt: stamp, updatedAt: stamp,
  });
  people = (await store.listByStudy(studyId)).filter((p) => p.armId);
  expect(people).toHaveLength(20);
  treated = people.filter((p) => p.armId === 'lessons');
  control = people.filter((p) => p.armId === 'diary');

  // One control participant opts out later: still in their arm (intention to treat).
  const first = control[0] as Participant;
  withdrawn = { ...first, consent: { ...first.consent, state: 'withdrawn', at: '2026-11-20T08:00:00.000Z', channel: 'sms' }, updatedAt: stamp };
  await ussd.saveParticipant(withdrawn, first.updatedAt);

  // Lessons: two of the treated finish the whole first module, a third one lesson of it.
  const module = ['what_the_account_is', 'how_wage_arrives', 'checking_balance', 'sim_and_id'];
  for (const [k, p] of treated.slice(0, 3).entries()) {
    const done = k < 2 ? module : module.slice(0, 1);
    const lessons = Object.fromEntries(done.map((l, j) => [`digital_wage_account/${l}`, { choice: 'a', correct: j % 2 === 0, at: `2026-10-1${4 + j}T10:00:00.000Z`, sessionId: `s-${k}-${j}` }]));
    await ussd.saveParticipant({ ...p, lessons, updatedAt: stamp }, p.updatedAt);
  }

  // Diary weeks: participant i answers week w unless (i + w) % 3 == 0; one record where every
  // question was skipped (started, nothing answered) does not count as answered.
  const stored = (await call('GET', '/studies')).body.studies as Study[];
  calendar = studyWeeks(stored.find((s) => s.studyId === studyId) as Study, new Date(now));
  expect(calendar).toHaveLength(8);
  for (const [i, p] of people.entries()) {
    const set = new Set<number>();
    for (const w of calendar) {
      const answers: Record<string, DiaryAnswer> | undefined = (i + w.studyWeek) % 3 === 0 ? (i === 0 && w.studyWeek === 3 ? { wage_received: { value: null, at: stamp, channel: 'ussd' as const } } : undefined) : { wage_received: { value: 'yes', at: stamp, channel: 'ussd' as const }, saved_amount: { value: 500, at: stamp, channel: 'ussd' as const } };
      if (!answers) continue;
      const given = Object.values(answers).some((a) => a.value !== null);
      if (given) set.add(w.studyWeek);
      const record: WeekRecord = {
        studyId, participantId: p.participantId, phone: p.phone, week: w.id, studyWeek: w.studyWeek, questionnaireId: 'diary', questionnaireVersion: 1,
        answers, complete: given, ...(given ? { completedAt: `${w.closesAt.toISOString().slice(0, 10)}T06:00:00.000Z` } : {}), version: 1, createdAt: stamp, updatedAt: stamp,
      };
      await ussd.saveWeek(record, undefined);
      recordsOf.set(p.participantId, (recordsOf.get(p.participantId) ?? 0) + 1);
    }
    answeredWeeks.set(p.participantId, set);
  }

  // Complaints: two about M-Pesa in week 6, one about Equity in week 7 (with a number typed in).
  const complainer = treated[0] as Participant;
  const complaint = (p: Participant, ref: string, provider: string, w: number, text?: string) =>
    ussd.saveComplaint({ studyId, participantId: p.participantId, phone: p.phone, ref, provider, category: 'fees', week: calendar[w]?.id as string, at: `2026-11-1${w - 4}T10:00:00.000Z`, channel: 'ussd', sessionId: `c-${ref}`, ...(text ? { text } : {}) });
  await complaint(complainer, 'AAA111', 'mpesa', 6);
  await complaint(control[1] as Participant, 'BBB222', 'mpesa', 6);
  await complaint(complainer, 'CCC333', 'equity', 7, 'agent took fee, call me 0712 345 678');

  // Messages through the store's own transitions.
  const messages = new DynamoMessageStore(t.doc, t.tableName);
  const campaigns = new DynamoCampaignStore(t.doc, t.tableName);
  await campaigns.create({
    campaignId: 'camp1', studyId, name: 'Wage account', modules: ['digital_wage_account'], targetArms: ['lessons'], startsOn: '2026-10-12', everyWeeks: 1, day: 3, hour: 18,
    channel: 'sms', status: 'scheduled', shiftPeriods: 0, createdAt: stamp, updatedAt: stamp,
  });
  const msg = (id: string, p: Participant, purpose: string, period: string) =>
    messages.create({ messageId: id, studyId, participantId: p.participantId, purpose, period, phone: p.phone, text: 'hello', createdAt: `2026-11-2${id.length % 3}T08:00:00.000Z` });
  const [a, b, c] = treated as [Participant, Participant, Participant];
  await msg('m-delivered', a, 'prompt', calendar[7]?.id as string);
  await messages.accepted('m-delivered', 'at-1', stamp);
  await messages.report('at-1', 'Success', undefined, stamp);
  await msg('m-absent', b, 'prompt', calendar[7]?.id as string);
  await messages.accepted('m-absent', 'at-2', stamp);
  await messages.report('at-2', 'AbsentSubscriber', undefined, stamp);
  await msg('m-refused', c, 'reminder', calendar[7]?.id as string);
  await messages.closed('m-refused', 'failed', 'InvalidPhoneNumber', stamp);
  await msg('m-queued', c, 'reminder', calendar[6]?.id as string);
  await msg('m-lesson-a', a, 'lesson', 'camp1:0');
  await messages.accepted('m-lesson-a', 'at-3', stamp);
  await msg('m-lesson-b', b, 'lesson', 'camp1:0');
  await messages.accepted('m-lesson-b', 'at-4', stamp);
  await msg('m-lesson-skip', control[2] as Participant, 'lesson', 'camp1:0');
  await messages.closed('m-lesson-skip', 'skipped', 'control arm', stamp);
});

/** Every phone number seeded, in the forms a leak could take. */
const allPhones = () => [...people.map((p) => p.phone), DECLINED_PHONE].flatMap((p) => [p, p.replace('+254', '0'), p.slice(4)]);
const expectNoPhone = (body: unknown) => {
  const text = JSON.stringify(body);
  for (const phone of allPhones()) expect(text).not.toContain(phone);
  expect(text).not.toContain('345 678');
};

describe('GET /me', () => {
  it('names the caller and their roles', async () => {
    expect((await call('GET', '/me', { token: 'n-token' })).body).toEqual({ name: 'Amina (NGO)', roles: ['ngo'] });
    expect((await call('GET', '/me', { token: 'a-token' })).body).toEqual({ name: 'Ops Admin', roles: ['admin'] });
  });
});

describe('GET /overview', () => {
  it('counts what was seeded: arms, enrolment, response per arm and week, delivery, complaints, modules', async () => {
    const res = await call('GET', `/studies/${base}/overview`, { token: 'n-token' });
    expect(res.status).toBe(200);
    const o = res.body as unknown as StudyOverview;
    expect(o).toMatchObject({ studyId, name: 'Console demo', timeZone: 'Africa/Nairobi', languages: ['en', 'sw', 'bn'] });
    expect(o.arms).toEqual([
      { armId: 'lessons', name: 'Lessons', treatment: true, participants: treated.length },
      { armId: 'diary', name: 'Diary only', treatment: false, participants: control.length },
    ]);
    expect(o.enrolment).toEqual({ enrolled: 23, consented: 19, declined: 1, optedOut: 1, pending: 2 });

    expect(o.weeks.map((w) => w.week)).toEqual(calendar.map((w) => w.id));
    expect(o.weeks[0]?.start).toBe('2026-10-05');
    expect(o.weeks[7]?.start).toBe('2026-11-23');
    for (const w of o.weeks) {
      for (const arm of w.byArm) {
        const members = arm.armId === 'lessons' ? treated : control;
        const answered = members.filter((p) => answeredWeeks.get(p.participantId)?.has(w.studyWeek)).length;
        expect(arm, `${w.week} ${arm.armId}`).toEqual({ armId: arm.armId, expected: members.length, answered, rate: answered / members.length });
      }
    }
    // The all-skipped record is not an answer (participant 0, week 3), and some weeks differ by arm.
    expect(o.weeks.some((w) => w.byArm[0]?.rate !== w.byArm[1]?.rate)).toBe(true);

    expect(o.delivery).toEqual({
      queued: 1, sent: 2, delivered: 1, failed: 2, skipped: 1, provider: "Africa's Talking", reports: true,
      failures: [{ reason: 'AbsentSubscriber', count: 1 }, { reason: 'InvalidPhoneNumber', count: 1 }],
    });
    expect(o.complaints).toEqual([
      { week: calendar[6]?.id, provider: 'mpesa', providerName: 'M-Pesa', count: 2 },
      { week: calendar[7]?.id, provider: 'equity', providerName: 'Equity', count: 1 },
    ]);

    const content = await loadContent();
    expect(o.modules.map((m) => m.moduleId)).toEqual([...(content.modules ?? [])].sort((x, y) => x.order - y.order).map((m) => m.id));
    const dwa = o.modules.find((m) => m.moduleId === 'digital_wage_account');
    expect(dwa?.title).toBe(content.modules?.find((m) => m.id === 'digital_wage_account')?.title.en);
    expect(dwa?.byArm).toEqual([
      { armId: 'lessons', sent: 2, started: 3, completed: 2, completionRate: 2 / treated.length },
      { armId: 'diary', sent: 0, started: 0, completed: 0, completionRate: 0 },
    ]);
    expect(o.modules.find((m) => m.moduleId === 'cashing_out')?.byArm[0]).toMatchObject({ sent: 0, started: 0, completed: 0 });
    // Aggregates only: no phone, no participant id.
    expectNoPhone(o);
    for (const p of people) expect(JSON.stringify(o)).not.toContain(p.participantId);
  });

  it('answers 404 for an unknown study', async () => {
    expect(await call('GET', '/studies/nowhere/overview')).toEqual({ status: 404, body: { error: 'No study "nowhere".' } });
  });
});

describe('GET /participants', () => {
  it('pages through everyone by pseudonymous id, with no phone number', async () => {
    const seen: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', `/studies/${base}/participants`, { query: { limit: '7', ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      expectNoPhone(res.body);
      const rows = res.body.participants as Record<string, unknown>[];
      expect(rows.length).toBeLessThanOrEqual(7);
      seen.push(...rows);
      cursor = res.body.nextCursor as string | undefined;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(4);
    const everyone = (await new DynamoParticipantStore(t.doc, t.tableName).listByStudy(studyId)).map((p) => p.participantId);
    expect(everyone).toHaveLength(23);
    // In id order, each exactly once.
    expect(seen.map((r) => r.participantId)).toEqual([...everyone].sort());
    const row = seen.find((r) => r.participantId === withdrawn.participantId);
    expect(row).toEqual({ participantId: withdrawn.participantId, exportId: expect.stringMatching(/^[0-9a-f]{16}$/), arm: 'diary', language: withdrawn.lang, channel: 'sms', consent: 'withdrawn', enrolledAt: withdrawn.createdAt });
    expect(seen.find((r) => r.participantId === 'p_declined')).toMatchObject({ consent: 'declined', language: 'en' });
    expect(seen.filter((r) => r.consent === 'pending')).toHaveLength(2);
  });

  it("shows each participant's export id (the pid of the exports) beside the console id, and finds them by it", async () => {
    const p = treated[0] as Participant;
    const timeline = (await call('GET', `/studies/${base}/participants/${p.participantId}/timeline`)).body as unknown as Timeline;
    const exportId = timeline.participant.exportId as string;
    expect(exportId).toMatch(/^[0-9a-f]{16}$/);
    // The same id as in the study's exports: the timeline links to exported rows.
    const exported = await call('POST', `/studies/${base}/exports`, { body: { dataset: 'diary_long' } });
    expect(exported.status).toBe(200);
    const pids = new Set(readFileSync(exported.body.file as string, 'utf8').split('\n').slice(1).map((line) => line.split(',')[0]));
    expect(pids.has(exportId)).toBe(true);
    const found = await call('GET', `/studies/${base}/participants`, { query: { exportId } });
    expect((found.body.participants as { participantId: string }[]).map((r) => r.participantId)).toEqual([p.participantId]);
    expectNoPhone(found.body);
    expect((await call('GET', `/studies/${base}/participants`, { query: { exportId: '0000000000000000' } })).body).toEqual({ participants: [] });
    const bad = await call('GET', `/studies/${base}/participants`, { query: { exportId: 'p_0096c11f8e784d0f' } });
    expect((bad.body.problems as { field: string; message: string }[])).toEqual([{ field: 'exportId', message: 'an export id (pid): 16 hexadecimal characters' }]);
  });

  it('filters by arm across pages', async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await call('GET', `/studies/${base}/participants`, { query: { limit: '3', arm: 'lessons', ...(cursor ? { cursor } : {}) } });
      const rows = res.body.participants as { participantId: string; arm: string }[];
      expect(rows.every((r) => r.arm === 'lessons')).toBe(true);
      ids.push(...rows.map((r) => r.participantId));
      cursor = res.body.nextCursor as string | undefined;
    } while (cursor);
    expect(ids.sort()).toEqual(treated.map((p) => p.participantId).sort());
  });

  it('names the query field at fault', async () => {
    const limit = await call('GET', `/studies/${base}/participants`, { query: { limit: '9999' } });
    expect(limit.status).toBe(400);
    expect((limit.body.problems as { field: string }[]).map((p) => p.field)).toEqual(['limit']);
    const zero = await call('GET', `/studies/${base}/participants`, { query: { limit: '0' } });
    expect((zero.body.problems as { field: string }[]).map((p) => p.field)).toEqual(['limit']);
    const arm = await call('GET', `/studies/${base}/participants`, { query: { arm: 'nope' } });
    expect(arm.status).toBe(400);
    expect((arm.body.problems as { field: string }[]).map((p) => p.field)).toEqual(['arm']);
    const cursor = await call('GET', `/studies/${base}/participants`, { query: { cursor: '{"pk":1}' } });
    expect((cursor.body.problems as { field: string }[]).map((p) => p.field)).toEqual(['cursor']);
  });
});

describe('GET /timeline', () => {
  it("is one participant's history, newest first, with no phone number anywhere", async () => {
    const p = treated[0] as Participant;
    const res = await call('GET', `/studies/${base}/participants/${p.participantId}/timeline`);
    expect(res.status).toBe(200);
    const tl = res.body as unknown as Timeline;
    expect(tl.participant).toMatchObject({ participantId: p.participantId, arm: 'lessons', consent: 'consented' });
    const kinds = new Set(tl.events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['complaint', 'consent', 'diary', 'lesson', 'message']);
    const ats = tl.events.map((e) => e.at);
    expect(ats).toEqual([...ats].sort().reverse());
    expect(tl.events.filter((e) => e.kind === 'diary')).toHaveLength(recordsOf.get(p.participantId) as number);
    expect(tl.events.filter((e) => e.kind === 'lesson')).toHaveLength(4);
    expect(tl.events.filter((e) => e.kind === 'message').map((e) => e.status).sort()).toEqual(['Success', 'accepted']);
    const complaints = tl.events.filter((e) => e.kind === 'complaint');
    expect(complaints.map((e) => e.title).sort()).toEqual(['Problem reported: Equity', 'Problem reported: M-Pesa']);
    expect(complaints.find((e) => e.title.includes('Equity'))?.detail).toContain('[number removed]');
    expectNoPhone(res.body);
  });

  it('answers 404 for an unknown participant, and the NGO gets 403 on people-level routes', async () => {
    expect((await call('GET', `/studies/${base}/participants/p_nobody/timeline`)).status).toBe(404);
    const p = treated[0] as Participant;
    expect((await call('GET', `/studies/${base}/participants`, { token: 'n-token' })).status).toBe(403);
    expect((await call('GET', `/studies/${base}/participants/${p.participantId}/timeline`, { token: 'n-token' })).status).toBe(403);
    expect((await call('POST', `/studies/${base}/participants/${p.participantId}/reveal-phone`, { token: 'n-token', body: { reason: 'checking a complaint' } })).status).toBe(403);
    expect((await call('GET', `/studies/${base}/audit`, { token: 'n-token' })).status).toBe(403);
  });
});

describe('revealing a phone number', () => {
  it('is for admins with a reason, and is on the audit trail with who, whom and why', async () => {
    const p = control[1] as Participant;
    const path = `/studies/${base}/participants/${p.participantId}/reveal-phone`;
    expect((await call('POST', path, { body: { reason: 'needs a call back' } })).status).toBe(403);
    const short = await call('POST', path, { token: 'a-token', body: { reason: ' ok ' } });
    expect(short.status).toBe(400);
    expect((short.body.problems as { field: string }[]).map((x) => x.field)).toEqual(['reason']);
    expect((await call('POST', path, { token: 'a-token' })).status).toBe(400);
    expect((await call('GET', `/studies/${base}/audit`, { token: 'a-token' })).body).toEqual({ events: [] });

    const res = await call('POST', path, { token: 'a-token', body: { reason: 'Complaint BBB222 needs a call back' } });
    expect(res).toEqual({ status: 200, body: { phone: p.phone } });
    later = 60_000;
    await call('POST', `/studies/${base}/participants/${(treated[1] as Participant).participantId}/reveal-phone`, { token: 'a-token', body: { reason: 'second reveal' } });
    later = 0;

    const audit = await call('GET', `/studies/${base}/audit`, { token: 'a-token' });
    expect(audit.status).toBe(200);
    const events = audit.body.events as Record<string, unknown>[];
    expect(events).toHaveLength(2);
    // A configured token's id is its configured name (the users page lists it so).
    expect(events[1]).toEqual({ at: stamp, by: 'Ops Admin', byId: 'Ops Admin', action: 'reveal-phone', participantId: p.participantId, detail: 'Complaint BBB222 needs a call back' });
    expect(events[0]).toMatchObject({ by: 'Ops Admin', participantId: (treated[1] as Participant).participantId, detail: 'second reveal' });
    expectNoPhone(audit.body);
    expect((await call('POST', `/studies/${base}/participants/p_nobody/reveal-phone`, { token: 'a-token', body: { reason: 'who is this' } })).status).toBe(404);
  });

  it('records a Cognito caller by the immutable sub, the email beside it only as a label', async () => {
    const invited = await call('POST', '/users', { token: 'a-token', body: { email: 'first@example.org', role: 'admin' } });
    const sub = (invited.body.user as { username: string }).username;
    const p = control[2] as Participant;
    later = 120_000;
    // The same account under a changed email (were it possible): the id of record stays.
    const reveal = await callApiWithClaims(api, cognitoClaims(sub, 'renamed@example.org', ['admin']), 'POST', `/studies/${base}/participants/${p.participantId}/reveal-phone`, { body: { reason: 'call back about a complaint' } });
    later = 0;
    expect(reveal.status).toBe(200);
    const events = (await call('GET', `/studies/${base}/audit`, { token: 'a-token' })).body.events as Record<string, unknown>[];
    expect(events[0]).toMatchObject({ by: 'renamed@example.org', byId: sub, participantId: p.participantId });
  });
});

describe('GET /content-preview', () => {
  it('shows every screen of a language, measured as the network counts it', async () => {
    const res = await call('GET', `/studies/${base}/content-preview`, { token: 'n-token', query: { lang: 'sw' } });
    expect(res.status).toBe(200);
    expect(res.body.languages).toEqual(['en', 'sw', 'bn']);
    const screens = res.body.screens as PreviewScreen[];
    expect(screens.every((s) => s.lang === 'sw')).toBe(true);
    const groups = new Set(screens.map((s) => s.group));
    expect(groups).toEqual(new Set(['diary', 'system', 'module:digital_wage_account', 'module:cashing_out', 'module:choosing_provider', 'module:pin_fraud_safety', 'module:rights_complaints', 'module:saving_in_account']));
    expect(new Set(screens.map((s) => s.id)).size).toBe(screens.length);
    for (const s of screens) {
      if (s.kind === 'sms') expect({ id: s.id, segments: s.segments, chars: s.chars, encoding: s.encoding }).toEqual({ id: s.id, segments: smsSize(s.text).segments, chars: smsSize(s.text).length, encoding: smsSize(s.text).encoding });
      else expect({ id: s.id, chars: s.chars, segments: s.segments, encoding: s.encoding }).toEqual({ id: s.id, chars: encodedLength(s.text).length, segments: 1, encoding: encodedLength(s.text).encoding });
      if (s.kind === 'ussd') expect(s.text).toMatch(/^(CON|END) /);
    }
    expect(screens.filter((s) => s.group === 'diary' && s.kind === 'sms').length).toBeGreaterThan(0);
    expect(screens.find((s) => s.id === 'sms.prompt')?.text).toContain('*384*911#');
    expect(screens.find((s) => s.id === 'system.menu')?.kind).toBe('ussd');
    expect(screens.some((s) => s.id.startsWith('digital_wage_account.what_the_account_is.page'))).toBe(true);
  });

  it('covers every language of the study, Bengali in UCS-2, and names a bad lang', async () => {
    const res = await call('GET', `/studies/${base}/content-preview`);
    const screens = res.body.screens as PreviewScreen[];
    const per = (lang: string) => screens.filter((s) => s.lang === lang);
    expect(per('en').length).toBeGreaterThan(50);
    expect(per('sw').length).toBe(per('en').length);
    expect(per('bn').length).toBeGreaterThan(50);
    expect(per('bn').filter((s) => s.group === 'diary').every((s) => s.encoding === 'UCS-2')).toBe(true);
    expect(per('en').filter((s) => s.kind === 'ussd').every((s) => s.chars <= s.limit || s.warnings.some((w) => w.startsWith('USSD screen of')))).toBe(true);
    const bad = await call('GET', `/studies/${base}/content-preview`, { query: { lang: 'fr' } });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as { field: string }[]).map((p) => p.field)).toEqual(['lang']);
  });
});
