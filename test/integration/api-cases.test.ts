import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import type { Participant, Study } from '../../functions/core/model.js';
import { seedDemos } from '../../infra/local/seed.js';
import { type ApiHandler, apiHandler, callApi } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { MemoryQueue } from '../support/memory-ports.js';

/** A case through the API across roles: NGO triage and referral, the provider's desk (its own cases only), resolution; SLA flags on the clock. */
let t: TestTable;
let kenya: Study;
let api: ApiHandler;
let person: Participant;
const queue = new MemoryQueue();
let now = Date.parse('2026-11-24T09:00:00Z');
const call = (method: string, path: string, token: string, body?: unknown) => callApi(api, method, path, { token, ...(body ? { body } : {}) });

beforeAll(async () => {
  t = await createTestTable();
  kenya = (await seedDemos(t.doc, t.tableName, '*384*123#', new Date('2026-11-23T06:00:00Z')))[0]?.study as Study;
  api = await apiHandler(t, { 'n-token': { role: 'ngo' }, 'r-token': { role: 'researcher' }, 'p-mpesa': { role: 'provider', providerId: 'mpesa', name: 'M-Pesa desk' }, 'p-other': { role: 'provider', providerId: 'other-bank' } }, { now: () => now, queue });
  const all = await new DynamoParticipantStore(t.doc, t.tableName).listByStudy(kenya.studyId);
  person = all.find((p) => p.consent.state === 'consented') as Participant;
  await new DynamoUssdStore(t.doc, t.tableName).saveComplaint({
    studyId: kenya.studyId, participantId: person.participantId, phone: person.phone, ref: 'CASE01', provider: 'unknown', category: 'other',
    text: 'agent kept my money', week: '2026-W48', at: '2026-11-24T08:00:00.000Z', channel: 'sms', sessionId: 'sms-1', shareNumber: true,
  });
});

describe('a case across roles through the API', () => {
  it('is triaged, referred, answered by its provider only, resolved, with SLA flags and SMS queued', async () => {
    const path = `/studies/${kenya.studyId}/cases`;
    const listed = (await call('GET', path, 'n-token')).body as { cases: { ref: string; sla: { acknowledge: string } }[] };
    expect(listed.cases.map((c) => c.ref)).toEqual(['CASE01']);
    // Three days on, nobody acknowledged it: past the 48 hours.
    now = Date.parse('2026-11-27T09:00:00Z');
    expect(((await call('GET', `${path}/CASE01`, 'n-token')).body as { sla: Record<string, string> }).sla).toMatchObject({ acknowledge: 'overdue' });
    expect((await call('POST', `${path}/CASE01/actions`, 'r-token', { type: 'acknowledge' })).status).toBe(403);
    expect((await call('POST', `${path}/CASE01/actions`, 'n-token', { type: 'acknowledge' })).status).toBe(200);
    expect(queue.sent.map((m) => m.phone)).toEqual([person.phone]);
    // The desk sees nothing before the referral.
    expect(((await call('GET', path, 'p-mpesa')).body as { cases: unknown[] }).cases).toEqual([]);
    expect((await call('POST', `${path}/CASE01/actions`, 'n-token', { type: 'triage', provider: 'nope' })).status).toBe(409);
    expect((await call('POST', `${path}/CASE01/actions`, 'n-token', { type: 'triage', provider: 'mpesa' })).status).toBe(200);
    expect((await call('POST', `${path}/CASE01/actions`, 'n-token', { type: 'refer', note: 'please call back' })).status).toBe(200);

    const desk = (await call('GET', path, 'p-mpesa')).body as { cases: Record<string, unknown>[] };
    expect(desk.cases).toHaveLength(1);
    expect(desk.cases[0]).not.toHaveProperty('participantId');
    const one = (await call('GET', `${path}/CASE01`, 'p-mpesa')).body as Record<string, unknown>;
    expect(one).toMatchObject({ ref: 'CASE01', state: 'referred', phone: person.phone, thread: [{ from: 'ngo', note: 'please call back' }] });
    // Another provider's desk: as if it did not exist.
    expect((await call('GET', `${path}/CASE01`, 'p-other')).status).toBe(404);
    expect((await call('POST', `${path}/CASE01/actions`, 'p-other', { type: 'respond', note: 'x' })).status).toBe(404);
    expect(((await call('GET', path, 'p-other')).body as { cases: unknown[] }).cases).toEqual([]);
    expect((await call('POST', `${path}/CASE01/actions`, 'p-mpesa', { type: 'resolve' })).status).not.toBe(200);
    expect((await call('POST', `${path}/CASE01/actions`, 'p-mpesa', { type: 'respond', note: 'refunded' })).status).toBe(200);
    expect((await call('POST', `${path}/CASE01/actions`, 'n-token', { type: 'resolve' })).status).toBe(200);
    expect(queue.sent).toHaveLength(2);
    const done = (await call('GET', `${path}/CASE01`, 'n-token')).body as { state: string; history: { action: string; actor: { role: string } }[] };
    expect(done.state).toBe('resolved');
    expect(done.history.map((s) => `${s.action}:${s.actor.role}`)).toEqual(['acknowledge:ngo', 'triage:ngo', 'refer:ngo', 'respond:provider', 'resolve:ngo']);
    expect((await call('POST', `${path}/CASE01/actions`, 'n-token', { type: 'fly' })).status).toBe(400);
    expect((await call('GET', `${path}/NOCASE`, 'n-token')).status).toBe(404);
  });
});
