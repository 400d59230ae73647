import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { type ApiHandler, apiHandler, callApi } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * The researcher's path over the admin API against DynamoDB Local: create a study, enrol from
 * CSV (every bad row reported, nothing half-imported, a re-run adds nobody), randomize by
 * stratum (seeded, write-once, audited), late joiners by rolling enrolment, the balance table.
 */
let t: TestTable;
let api: ApiHandler;
const now = Date.parse('2026-11-24T09:00:00Z');

beforeAll(async () => {
  t = await createTestTable();
  api = await apiHandler(t, { 'r-token': { role: 'researcher', name: 'Dr R' }, 'n-token': { role: 'ngo' }, 'a-token': { role: 'admin' } }, { now: () => now });
});

const call = (method: string, path: string, body?: unknown, token = 'r-token') => callApi(api, method, path, { token, ...(body === undefined ? {} : { body }) });

const study = {
  studyId: 'mombasa-2027', name: 'Mombasa port workers', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['en', 'sw'],
  serviceCode: '*384*777#', smsShortCode: '20777', contact: '0800 000 777',
  arms: [{ armId: 'lessons', name: 'Lessons', ratio: 1, treatment: true }, { armId: 'diary', name: 'Diary only', ratio: 1, treatment: false }],
  providers: [{ id: 'mpesa', name: 'M-Pesa', kind: 'mobile_money' }],
};

/** 40 consented people in two shifts, with two numeric covariates and a text column. */
function csv(from: number, count: number): string {
  const rows = Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return `07${String(12000000 + n).padStart(8, '0')},${n % 3 === 0 ? 'en' : 'sw'},${n % 2 === 0 ? 'day' : 'night'},factory-${n % 4},consented,2026-11-v2,${20 + (n % 17)},${3000 + ((n * 37) % 900)},"Line ${n}, north"`;
  });
  return ['phone,language,stratum,cluster,consent,consent_version,age,wage,note', ...rows].join('\n');
}

describe('a researcher over the API', () => {
  it('creates a study, and refuses one without a control arm or with an unknown zone, naming the field', async () => {
    const bad = await call('POST', '/studies', { ...study, studyId: 'bad-study', timeZone: 'Africa/Atlantis', arms: [study.arms[0]], serviceCode: '*1#' });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as { field: string }[]).map((p) => p.field)).toEqual(['arms']);
    const zone = await call('POST', '/studies', { ...study, studyId: 'bad-zone', timeZone: 'Africa/Atlantis', serviceCode: '*384*778#' });
    expect((zone.body.problems as { field: string }[]).map((p) => p.field)).toEqual(['timeZone']);
    expect((await call('POST', '/studies', study)).status).toBe(201);
    expect((await call('POST', '/studies', study)).status).toBe(409);
    expect((await call('POST', '/studies', { ...study, studyId: 'ngo-study' }, 'n-token')).status).toBe(403);
  });

  it('says what each study field expects: an ISO country with phone numbers, names, arms; and which of id, USSD code or short code is taken', async () => {
    const problems = async (body: unknown) => ((await call('POST', '/studies', body)).body.problems as { field: string; message: string }[]).map((p) => `${p.field}: ${p.message}`);
    expect(await problems({ ...study, studyId: 'zz-study', country: 'ZZ', serviceCode: '*384*779#' })).toEqual(['country: "ZZ" is not an ISO 3166-1 country code (two capital letters, e.g. KE for Kenya).']);
    expect((await problems({ ...study, studyId: 'fr-study', country: 'FR', serviceCode: '*384*779#' }))[0]).toMatch(/^country: FR \(France\) is not a country whose phone numbers Sauti reads; supported: .*KE/);
    const vague = await problems({ ...study, studyId: 'vague-study', name: '', contact: '', arms: [{ ...study.arms[0], ratio: 0 }] });
    expect(vague).toEqual([
      'name: the study name, 1 to 200 characters',
      'contact: who participants call with questions, e.g. a phone number, 1 to 40 characters',
      "arms.0.ratio: the arm's share in randomization, a number above 0 (e.g. 1)",
      'arms: a list of at least two arms: a control (treatment: false) and a treatment arm',
    ]);
    expect(vague.join('\n')).not.toMatch(/Invalid input/);
    // mombasa-2027 exists (the test above): the same id, then only its USSD code, then only its short code.
    const taken = async (body: unknown) => {
      const res = await call('POST', '/studies', body);
      expect(res.status).toBe(409);
      return (res.body.problems as { field: string }[]).map((p) => p.field);
    };
    expect(await taken({ ...study, serviceCode: '*384*780#', smsShortCode: '40991' })).toEqual(['studyId']);
    expect(await taken({ ...study, studyId: 'other-2027', smsShortCode: '40992' })).toEqual(['serviceCode']);
    expect(await taken({ ...study, studyId: 'other-2027', serviceCode: '*384*781#' })).toEqual(['smsShortCode']);
    const res = await call('POST', '/studies', { ...study, serviceCode: '*384*780#', smsShortCode: '40991' });
    expect(res.body.error).toBe('The study cannot be created: the study id "mombasa-2027" is already taken.');
  });

  it('validates the SMS provider against the country: no Africa\'s Talking, nor an unknown provider, for Bangladesh', async () => {
    const dhaka = { ...study, country: 'BD', timeZone: 'Asia/Dhaka', languages: ['bn', 'en'], smsShortCode: undefined };
    const at = await call('POST', '/studies', { ...dhaka, studyId: 'dhaka-at', serviceCode: '*384*881#', messaging: { provider: 'africastalking' } });
    expect(at.status).toBe(400);
    expect(at.body.problems).toEqual([{ field: 'messaging', message: "Africa's Talking does not serve BD; use Infobip or SSL Wireless." }]);
    const unknown = await call('POST', '/studies', { ...dhaka, studyId: 'dhaka-x', serviceCode: '*384*882#', messaging: { provider: 'twilio' } });
    expect(unknown.status).toBe(400);
    const ssl = await call('POST', '/studies', { ...dhaka, studyId: 'dhaka-ssl', serviceCode: '*384*883#', messaging: { provider: 'sslwireless', masked: true } });
    expect(ssl.status).toBe(201);
    expect((ssl.body.study as { messaging: unknown }).messaging).toEqual({ provider: 'sslwireless', masked: true });
    const kenyaSsl = await call('POST', '/studies', { ...study, studyId: 'kenya-ssl', serviceCode: '*384*884#', smsShortCode: undefined, messaging: { provider: 'sslwireless' } });
    expect(kenyaSsl.body.problems).toEqual([{ field: 'messaging', message: "SSL Wireless does not serve KE; use Africa's Talking or Infobip." }]);
  });

  it('imports nothing when a row is wrong, and reports each bad row by line', async () => {
    const file = `${csv(1, 3)}\nnot-a-phone,en,day,factory-1,consented,2026-11-v2,30,3000,x\n0712000001,fr,day,factory-1,maybe,,30,3000,x`;
    const res = await call('POST', '/studies/mombasa-2027/participants/import', { csv: file });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('2 row(s) need fixing; nothing was imported.');
    const fields = (res.body.problems as { field: string }[]).map((p) => p.field);
    expect(fields).toEqual(['line 5: phone', 'line 6: phone', 'line 6: language', 'line 6: consent']);
    expect(await new DynamoParticipantStore(t.doc, t.tableName).listByStudy('mombasa-2027')).toHaveLength(0);
  });

  it('imports a clean file once: the same file again adds nobody', async () => {
    expect((await call('POST', '/studies/mombasa-2027/participants/import', { csv: csv(1, 40), dryRun: true })).body).toEqual({ valid: 40, created: 0, existing: 0 });
    expect((await call('POST', '/studies/mombasa-2027/participants/import', { csv: csv(1, 40) })).body).toEqual({ valid: 40, created: 40, existing: 0 });
    expect((await call('POST', '/studies/mombasa-2027/participants/import', { csv: csv(1, 40) })).body).toEqual({ valid: 40, created: 0, existing: 40 });
    const p = await new DynamoParticipantStore(t.doc, t.tableName).getByPhone('mombasa-2027', '+254712000001');
    expect(p).toMatchObject({ lang: 'sw', stratum: 'night', cluster: 'factory-1', consent: { state: 'consented', version: '2026-11-v2', channel: 'import' } });
    expect(p?.baseline?.answers).toEqual({ age: 21, wage: 3037, note: 'Line 1, north' });
  });

  it('randomizes by stratum once, with the seed and counts audited; a second run is refused', async () => {
    const res = await call('POST', '/studies/mombasa-2027/randomize', { method: 'block', seed: 20261124 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ assigned: 40, kept: 0, run: { method: 'block', seed: 20261124, status: 'complete', by: 'Dr R', counts: [{ armId: 'lessons', n: 20 }, { armId: 'diary', n: 20 }] } });
    const byBlock = (res.body.run as { byBlock: { block: string; n: number }[] }).byBlock;
    expect(byBlock.map((b) => [b.block, b.n])).toEqual([['day', 10], ['day', 10], ['night', 10], ['night', 10]]);
    const again = await call('POST', '/studies/mombasa-2027/randomize', { method: 'complete', seed: 1 });
    expect(again.status).toBe(409);
    expect(String(again.body.error)).toMatch(/already randomized/);
    const people = await new DynamoParticipantStore(t.doc, t.tableName).listByStudy('mombasa-2027');
    expect(people.every((p) => p.armId && p.assignment?.randomizationId === (res.body.run as { randomizationId: string }).randomizationId)).toBe(true);
  });

  it('assigns late joiners by permuted blocks, never moving anyone already assigned', async () => {
    // Nobody is waiting for an arm yet: nothing is assigned, and no empty run is recorded.
    const none = await call('POST', '/studies/mombasa-2027/randomize', { rolling: true, seed: 7 });
    expect(none).toEqual({ status: 200, body: { assigned: 0, kept: 0, message: 'No consented participant is waiting for an arm: nobody was assigned and no run was recorded.' } });
    expect(((await call('GET', '/studies/mombasa-2027/randomizations')).body.randomizations as unknown[]).length).toBe(1);
    const before = new Map((await new DynamoParticipantStore(t.doc, t.tableName).listByStudy('mombasa-2027')).map((p) => [p.phone, p.armId]));
    expect((await call('POST', '/studies/mombasa-2027/participants/import', { csv: csv(41, 8) })).body).toMatchObject({ created: 8 });
    const res = await call('POST', '/studies/mombasa-2027/randomize', { rolling: true, seed: 7 });
    expect(res.body).toMatchObject({ assigned: 8, run: { kind: 'rolling' } });
    const after = await new DynamoParticipantStore(t.doc, t.tableName).listByStudy('mombasa-2027');
    for (const p of after) if (before.has(p.phone)) expect(p.armId).toBe(before.get(p.phone));
    // Four per stratum: one full block of 1:1 × 2 → two and two.
    const late = after.filter((p) => !before.has(p.phone));
    for (const stratum of ['day', 'night']) {
      const arms = late.filter((p) => p.stratum === stratum).map((p) => p.armId).sort();
      expect(arms).toEqual(['diary', 'diary', 'lessons', 'lessons']);
    }
    expect(((await call('GET', '/studies/mombasa-2027/randomizations')).body.randomizations as unknown[]).length).toBe(2);
  });

  it('shows the balance table with standardised differences and a joint test', async () => {
    const res = await call('GET', '/studies/mombasa-2027/balance');
    const [cmp] = res.body.comparisons as { covariates: string[]; skipped: { name: string }[]; n1: number; n0: number; balance: { rows: { name: string; stdDiff: number }[]; joint: { p: number } } }[];
    expect(cmp?.covariates).toEqual(['age', 'wage']);
    expect(cmp?.skipped.map((s) => s.name)).toEqual(['note']);
    expect((cmp?.n1 ?? 0) + (cmp?.n0 ?? 0)).toBe(48);
    expect(cmp?.balance.rows.map((r) => r.name)).toEqual(['age', 'wage']);
    expect(cmp?.balance.joint.p).toBeGreaterThanOrEqual(0);
    expect(cmp?.balance.joint.p).toBeLessThanOrEqual(1);
  });

  it('simulates diaries only where the local stack allows it, and never twice over a week', async () => {
    delete process.env.SAUTI_ALLOW_SIMULATION;
    expect((await call('POST', '/studies/mombasa-2027/simulate', { weeks: 3 }, 'a-token')).status).toBe(404);
    process.env.SAUTI_ALLOW_SIMULATION = 'true';
    try {
      expect((await call('POST', '/studies/mombasa-2027/simulate', { weeks: 3 }, 'r-token')).status).toBe(403);
      const first = await call('POST', '/studies/mombasa-2027/simulate', { weeks: 3, seed: 5 }, 'a-token');
      expect(first.status).toBe(200);
      expect((first.body.weeks as string[]).length).toBe(3);
      const written = first.body.written as number;
      expect(written).toBeGreaterThan(48 * 3 * 0.6);
      expect((await call('POST', '/studies/mombasa-2027/simulate', { weeks: 3, seed: 5 }, 'a-token')).body).toMatchObject({ written: 0, kept: written });
    } finally {
      delete process.env.SAUTI_ALLOW_SIMULATION;
    }
  });

  it('takes the study\'s own pre-specified outcomes, checked against the diary, and reports on them', async () => {
    const saved = { id: 'weekly-saved', label: 'Saved a week', kind: 'mean', item: 'saved_amount', window: { fromStudyWeek: 0, toStudyWeek: 52 } };
    const bad = await call('POST', '/studies/mombasa-2027/outcomes', { outcomes: [saved, { ...saved, id: 'tips', item: 'tips_amount' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([{ field: 'outcomes.1', message: 'The diary has no question "tips_amount".' }]);
    expect((await call('POST', '/studies/mombasa-2027/outcomes', { outcomes: [saved] }, 'n-token')).status).toBe(403);
    expect((await call('POST', '/studies/mombasa-2027/outcomes', { outcomes: [saved] })).status).toBe(200);
    const impact = await call('POST', '/studies/mombasa-2027/impact', {});
    expect(impact.status).toBe(200);
    expect((impact.body.report as { outcomes: { id: string }[] }).outcomes.map((o) => o.id)).toEqual(['weekly-saved']);
  });
});
