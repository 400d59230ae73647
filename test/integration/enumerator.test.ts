import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import type { Study } from '../../functions/core/model.js';
import { dynamoPorts } from '../../functions/adapters/dynamo/ports.js';
import { handleUssd, type UssdDeps } from '../../functions/core/ussd/service.js';
import { weekOf } from '../../functions/core/ussd/participant-hop.js';
import { DEMO_SERVICE_CODE } from '../../infra/local/demo.js';
import { seedDemos } from '../../infra/local/seed.js';
import { type ApiHandler, apiHandler, callApi, type CallOptions } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * Enumerator interviews against DynamoDB Local, through the API: a supervisor assigns (balanced,
 * then by hand, history kept); an enumerator sees only their list, without arms or numbers; the
 * number to dial is audited; dispositions, the call-back and the weekly cap; an interview and a
 * USSD session typing into the same week at once, and neither loses an answer.
 */
let t: TestTable;
let api: ApiHandler;
let kenya: Study;
let now = Date.parse('2026-11-24T09:00:00Z');
const clock = { now: () => new Date(now) };
const S = '/studies/athi-river-2026';
const call = (method: string, path: string, opts: CallOptions = {}) => callApi(api, method, path, opts);
let key = 0;
const k = () => `key-${String((key += 1)).padStart(6, '0')}`;

beforeAll(async () => {
  t = await createTestTable();
  kenya = (await seedDemos(t.doc, t.tableName, DEMO_SERVICE_CODE, new Date('2026-11-23T06:00:00Z')))[0]?.study as Study;
  api = await apiHandler(t, { e1: { role: 'enumerator', name: 'enum-1' }, e2: { role: 'enumerator', name: 'enum-2' }, r: { role: 'researcher', name: 'Supervisor' } }, { now: () => now });
});

const ussd = () => {
  const ports = dynamoPorts(t.doc, t.tableName, clock);
  const deps: UssdDeps = { studies: ports.studies, store: ports.ussd, content, clock, newId: () => 'p_new', log: { info: () => undefined, warn: () => undefined, error: () => undefined } };
  return (sessionId: string, phoneNumber: string, text: string) => handleUssd({ sessionId, serviceCode: DEMO_SERVICE_CODE, phoneNumber, text }, deps);
};

async function week(phone: string) {
  const at = clock.now();
  return (await new DynamoUssdStore(t.doc, t.tableName).loadHop('-', kenya.studyId, phone, weekOf({ study: kenya, now: at }).id, at)).week;
}

describe('assignments', () => {
  it('balances across arms and strata, and a reassignment keeps the history', async () => {
    expect((await call('POST', `${S}/assignments`, { token: 'r', body: { mode: 'balanced', enumeratorIds: ['enum-1', 'enum-2'] } })).body).toMatchObject({ assigned: 36, changed: 36 });
    const { body } = await call('GET', `${S}/assignments`, { token: 'r' });
    const per = body.perEnumerator as Record<string, Record<string, number>>;
    for (const cell of new Set([...Object.keys(per['enum-1'] ?? {}), ...Object.keys(per['enum-2'] ?? {})])) {
      expect(Math.abs((per['enum-1']?.[cell] ?? 0) - (per['enum-2']?.[cell] ?? 0)), cell).toBeLessThanOrEqual(1);
    }
    const mine = (body.assignments as { participantId: string; enumeratorId: string }[]).find((a) => a.enumeratorId === 'enum-2') as { participantId: string };
    await call('POST', `${S}/assignments`, { token: 'r', body: { mode: 'hand', enumeratorId: 'enum-1', participantIds: [mine.participantId] } });
    const after = ((await call('GET', `${S}/assignments`, { token: 'r' })).body.assignments as { participantId: string; enumeratorId: string; history: { enumeratorId: string }[] }[]).find((a) => a.participantId === mine.participantId);
    expect(after).toMatchObject({ enumeratorId: 'enum-1', history: [{ enumeratorId: 'enum-2' }] });
    expect((await call('POST', `${S}/assignments`, { token: 'e1', body: { mode: 'hand', enumeratorId: 'enum-1', participantIds: [mine.participantId] } })).status).toBe(403);
  });
});

describe('the call list', () => {
  it('lists only the caller\'s participants, with no arm and no phone number', async () => {
    const { body } = await call('GET', `${S}/calls`, { token: 'e1' });
    const rows = body.calls as { participantId: string }[];
    const assigned = ((await call('GET', `${S}/assignments`, { token: 'r' })).body.assignments as { participantId: string; enumeratorId: string }[]).filter((a) => a.enumeratorId === 'enum-1').map((a) => a.participantId);
    expect(rows.map((r) => r.participantId).sort()).toEqual(assigned.sort());
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/treatment|control|armId|\+254/);
    const studies = JSON.stringify((await call('GET', '/studies', { token: 'e1' })).body);
    expect(studies).not.toMatch(/treatment|Education modules|Diary only/);
  });

  it('gives the number to the assigned enumerator only, and audits each view', async () => {
    const [first] = (await call('GET', `${S}/calls`, { token: 'e1' })).body.calls as { participantId: string }[];
    const id = (first as { participantId: string }).participantId;
    expect((await call('POST', `${S}/calls/${id}/phone`, { token: 'e2' })).status).toBe(404);
    const shown = await call('POST', `${S}/calls/${id}/phone`, { token: 'e1' });
    expect(shown.body.phone).toMatch(/^\+2547/);
    const audit = ((await dynamoPorts(t.doc, t.tableName, clock).audit.list(kenya.studyId)) as { action: string; participantId?: string; by: string }[]);
    expect(audit.filter((e) => e.action === 'enumerator-view-phone' && e.participantId === id && e.by === 'enum-1')).toHaveLength(1);
  });

  it('logs no-answers, hides a call-back until its time, and stops at the weekly cap', async () => {
    const rows = (await call('GET', `${S}/calls`, { token: 'e1' })).body.calls as { participantId: string }[];
    const id = (rows.at(-1) as { participantId: string }).participantId;
    const attempt = (disposition: string, extra: object = {}) => call('POST', `${S}/calls/${id}/attempts`, { token: 'e1', body: { attemptId: k(), disposition, ...extra } });
    expect((await attempt('no_answer')).status).toBe(200);
    const again = { attemptId: 'resent-attempt-1', disposition: 'busy' };
    await call('POST', `${S}/calls/${id}/attempts`, { token: 'e1', body: again });
    await call('POST', `${S}/calls/${id}/attempts`, { token: 'e1', body: again });
    const row = ((await call('GET', `${S}/calls`, { token: 'e1' })).body.calls as { participantId: string; attempts: number; lastDisposition: string }[]).find((r) => r.participantId === id);
    expect(row).toMatchObject({ attempts: 2, lastDisposition: 'busy' });
    expect((await attempt('call_back', { callBackAt: '2026-11-24T08:00:00Z' })).status).toBe(400);
    expect((await attempt('call_back', { callBackAt: '2026-11-24T14:00:00Z' })).status).toBe(200);
    const ids = async () => ((await call('GET', `${S}/calls`, { token: 'e1' })).body.calls as { participantId: string }[]).map((r) => r.participantId);
    expect(await ids()).not.toContain(id);
    now = Date.parse('2026-11-24T14:05:00Z');
    expect((await ids())[0]).toBe(id);
    expect((await attempt('no_answer')).status).toBe(200);
    expect(await ids()).not.toContain(id);
    const capped = await attempt('no_answer');
    expect(capped.status).toBe(409);
    expect(String(capped.body.error)).toMatch(/most the study allows \(4\)/);
  });
});

describe('the interview', () => {
  const mineFor = async (token: string) => ((await call('GET', `${S}/calls`, { token })).body.calls as { participantId: string }[]).map((r) => r.participantId);
  const phoneOf = async (token: string, id: string) => String((await call('POST', `${S}/calls/${id}/phone`, { token })).body.phone);

  it('answers out of range get the USSD message in the enumerator\'s language; a resend is not saved twice', async () => {
    const [id] = await mineFor('e1');
    expect((await call('POST', `${S}/calls/${id}/open`, { token: 'e1' })).status).toBe(200);
    const bad = await call('POST', `${S}/calls/${id}/answers`, { token: 'e1', body: { questionId: 'wage_received', input: '7', key: k(), lang: 'sw' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe(content.strings.sw?.invalidChoice);
    const body = { questionId: 'wage_received', input: '1', key: k(), lang: 'en' };
    const first = await call('POST', `${S}/calls/${id}/answers`, { token: 'e1', body });
    const resent = await call('POST', `${S}/calls/${id}/answers`, { token: 'e1', body });
    expect(first.body).toMatchObject({ saved: true, duplicate: false });
    expect(resent.body).toMatchObject({ saved: true, duplicate: true });
    const record = await week(await phoneOf('e1', id as string));
    expect(record?.answers.wage_received).toMatchObject({ value: 'yes', channel: 'enumerator', enumeratorId: 'enum-1' });
  });

  it('an interview and a USSD session on the same week at once: neither loses an answer, the phone\'s are marked', async () => {
    const ids = await mineFor('e1');
    const id = ids[1] as string;
    const phone = await phoneOf('e1', id);
    await call('POST', `${S}/calls/${id}/open`, { token: 'e1' });
    const dial = ussd();
    // USSD: the diary open on the first question, then no wages, saved 2,500, in mobile money,
    // while the enumerator types two other answers into the same week.
    await dial('concurrent-1', phone, '');
    await dial('concurrent-1', phone, '1');
    const phoneSide = (async () => {
      const steps = ['1*2', '1*2*2,500', '1*2*2,500*2'];
      for (const text of steps) await dial('concurrent-1', phone, text);
    })();
    const screenSide = (async () => {
      for (const [questionId, input] of [['borrowed', '2'], ['main_spending', '1']] as const) {
        const res = await call('POST', `${S}/calls/${id}/answers`, { token: 'e1', body: { questionId, input, key: k(), lang: 'en' } });
        expect(res.body.saved).toBe(true);
      }
    })();
    await Promise.all([phoneSide, screenSide]);
    const record = await week(phone);
    expect(Object.fromEntries(Object.entries(record?.answers ?? {}).map(([q, a]) => [q, a.channel]))).toEqual({
      wage_received: 'ussd', saved_amount: 'ussd', saved_where: 'ussd', borrowed: 'enumerator', main_spending: 'enumerator',
    });
    expect(record?.answers.saved_amount?.value).toBe(2500);
    // The phone's answer is not overwritten by an enumerator who has not seen it.
    const unseen = await call('POST', `${S}/calls/${id}/answers`, { token: 'e1', body: { questionId: 'saved_amount', input: '100', key: k(), lang: 'en' } });
    expect(unseen.body).toMatchObject({ saved: false, conflict: { value: 2500, channel: 'ussd', fromPhone: true } });
    const view = (await call('POST', `${S}/calls/${id}/open`, { token: 'e1' })).body.interview as { answers: Record<string, { fromPhone: boolean }> };
    expect(view.answers.saved_amount?.fromPhone).toBe(true);
    expect(view.answers.borrowed?.fromPhone).toBe(false);
  });

  it('a second enumerator opening a held participant is told who holds it', async () => {
    const id = (await mineFor('e1'))[2] as string;
    await call('POST', `${S}/calls/${id}/open`, { token: 'e1' });
    await call('POST', `${S}/assignments`, { token: 'r', body: { mode: 'hand', enumeratorId: 'enum-2', participantIds: [id] } });
    const second = await call('POST', `${S}/calls/${id}/open`, { token: 'e2' });
    expect(second.status).toBe(409);
    expect(String(second.body.error)).toMatch(/enum-1 has this participant open/);
  });

  it('completed marks the week done and leaves the list; withdrew is the withdrawal STOP makes, and nothing more is saved', async () => {
    const [done, gone] = await mineFor('e1');
    await call('POST', `${S}/calls/${done}/attempts`, { token: 'e1', body: { attemptId: k(), disposition: 'completed', durationMs: 240_000 } });
    expect((await week(await phoneOf('e1', done as string)))?.complete).toBe(true);
    expect(await mineFor('e1')).not.toContain(done);
    const phone = await phoneOf('e1', gone as string);
    await call('POST', `${S}/calls/${gone}/attempts`, { token: 'e1', body: { attemptId: k(), disposition: 'withdrew' } });
    const p = await dynamoPorts(t.doc, t.tableName, clock).participants.getByPhone(kenya.studyId, phone);
    expect(p?.consent).toMatchObject({ state: 'withdrawn', channel: 'enumerator' });
    const after = await call('POST', `${S}/calls/${gone}/answers`, { token: 'e1', body: { questionId: 'wage_received', input: '1', key: k(), lang: 'en' } });
    expect(after.status).toBe(410);
    const stats = (await call('GET', `${S}/supervision`, { token: 'r' })).body.enumerators as { enumeratorId: string; calls: number; completed: number; medianInterviewMs: number | null }[];
    expect(stats.find((s) => s.enumeratorId === 'enum-1')).toMatchObject({ completed: 1, medianInterviewMs: 240_000 });
  });
});
