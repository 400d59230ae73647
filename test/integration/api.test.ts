import { beforeAll, describe, expect, it } from 'vitest';
import { type Role, ROLES } from '../../functions/api/auth.js';
import { apiRoutes } from '../../functions/api/routes.js';
import type { Study } from '../../functions/core/model.js';
import { seedDemos } from '../../infra/local/seed.js';
import { STAFF_RECHECK_MS } from '../../functions/core/staff-access.js';
import { type ApiHandler, apiHandler, type CallOptions, callApi, callApiWithClaims, cognitoClaims } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * The admin API against DynamoDB Local: every route for every role (generated from the route
 * list, so a new route is covered the day it is added), validation with the field at fault,
 * and a campaign's life: create, preview, pause, resume, cancel.
 */
let t: TestTable;
let kenya: Study;
let api: ApiHandler;
let now = Date.parse('2026-11-24T09:00:00Z');
let dispatched = 0;

beforeAll(async () => {
  t = await createTestTable();
  kenya = (await seedDemos(t.doc, t.tableName, '*384*123#', new Date('2026-11-23T06:00:00Z')))[0]?.study as Study;
  api = await apiHandler(t, { 'r-token': { role: 'researcher' }, 'n-token': { role: 'ngo', name: 'Amina (NGO)' }, 'a-token': { role: 'admin' }, 'p-token': { role: 'provider', providerId: 'mpesa' }, 'e-token': { role: 'enumerator', name: 'enum-1' }, 'old-token': { role: 'admin', expiresAt: '2026-01-01T00:00:00Z' } }, {
    now: () => now,
    runDispatch: async () => ({ ran: (dispatched += 1) }),
  });
});

const TOKENS: Record<Role, string> = { researcher: 'r-token', ngo: 'n-token', admin: 'a-token', enumerator: 'e-token', provider: 'p-token' };

const call = (method: string, path: string, opts: CallOptions = {}) => callApi(api, method, path, opts);

const draft = { name: 'Fees first', modules: ['cashing_out'], targetArms: ['treatment'], startsOn: '2026-11-30', day: 3, hour: 18, channel: 'sms' };
const concrete = (path: string) => path.replace('{studyId}', 'athi-river-2026').replace('{campaignId}', 'nope').replace('{participantId}', 'nope');

/**
 * Admins disabled mid-session: one signed in with Cognito (a token still signed, its groups
 * still `admin`), last seen by the directory re-check before the disable and now past
 * STAFF_RECHECK_MS; one with a local token the invitation gave.
 */
const disabled = { claims: {} as Record<string, unknown>, token: '' };
beforeAll(async () => {
  const invite = async (email: string) => (await call('POST', '/users', { token: 'a-token', body: { email, role: 'admin' } })).body as { user: { username: string }; token: string };
  const jwt = await invite('jwt-admin@example.org');
  disabled.claims = cognitoClaims(jwt.user.username, 'jwt-admin@example.org', ['admin']);
  expect((await callApiWithClaims(api, disabled.claims, 'GET', '/users')).status).toBe(200);
  const local = await invite('local-admin@example.org');
  disabled.token = local.token;
  expect((await call('GET', '/users', { token: local.token })).status).toBe(200);
  for (const { user } of [jwt, local]) expect((await call('POST', `/users/${user.username}/disable`, { token: 'a-token' })).status).toBe(200);
  now += STAFF_RECHECK_MS;
});

describe('roles on every route', () => {
  // An expired token is an admin's past its expiresAt. (In AWS, API Gateway's JWT authorizer
  // answers 401 to an expired JWT before the Lambda runs; locally the handler must.)
  const cases = Object.entries(apiRoutes).flatMap(([name, route]) => [undefined, 'bad-token', 'expired-token', 'disabled-jwt-admin', 'disabled-token-admin', ...ROLES].map((role) => ({ name, route, role })));

  it.each(cases)('$name as $role', async ({ route, role }) => {
    const body = route.method === 'POST' ? { body: {} } : {};
    if (role === 'disabled-jwt-admin') {
      expect(await callApiWithClaims(api, disabled.claims, route.method, concrete(route.path), body)).toEqual({ status: 401, body: { error: 'Your account is disabled or has no role any more; ask an admin.' } });
      return;
    }
    const token = role === undefined ? undefined : role === 'bad-token' ? 'bad-token' : role === 'expired-token' ? 'old-token' : role === 'disabled-token-admin' ? disabled.token : TOKENS[role as Role];
    const res = await call(route.method, concrete(route.path), { ...(token ? { token } : {}), ...body });
    if (token === 'old-token') expect(res).toEqual({ status: 401, body: { error: 'Your session has expired; sign in again.' } });
    else if (token === 'bad-token' || token === disabled.token) expect(res).toEqual({ status: 401, body: { error: 'That token is not valid or has expired; sign in again with a valid token.' } });
    else if (!token) expect(res).toEqual({ status: 401, body: { error: 'Sign in first: send "Authorization: Bearer <token>".' } });
    else if (!(route.roles as readonly string[]).includes(role as string)) expect(res.status).toBe(403);
    else expect([200, 201, 400, 404, 409]).toContain(res.status);
  });

  it('documents every route with its roles and body schema as OpenAPI 3.1', async () => {
    const doc = (await call('GET', '/openapi.json', { token: 'n-token' })).body as { openapi: string; paths: Record<string, Record<string, { 'x-roles': string[]; requestBody?: { content: { 'application/json': { schema: { required?: string[] } } } } }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const [name, route] of Object.entries(apiRoutes)) {
      const op = doc.paths[`/api/v1${route.path}`]?.[route.method.toLowerCase()];
      expect(op?.['x-roles'], name).toEqual(route.roles);
      expect(Boolean(op?.requestBody), name).toBe('body' in route);
    }
    const study = doc.paths['/api/v1/studies']?.post?.requestBody?.content['application/json'].schema;
    expect(study?.required).toEqual(expect.arrayContaining(['studyId', 'name', 'country', 'timeZone', 'languages', 'arms']));
  });

  it('answers unknown paths and wrong methods clearly', async () => {
    expect((await call('GET', '/nothing', { token: 'a-token' })).status).toBe(404);
    expect(await call('DELETE', '/studies', { token: 'a-token' })).toEqual({ status: 405, body: { error: 'Method DELETE is not allowed on /api/v1/studies.' } });
  });
});

describe('campaigns over the API', () => {
  it('names the field at fault, and refuses a control arm without saving anything', async () => {
    const bad = await call('POST', '/studies/athi-river-2026/campaigns', { token: 'n-token', body: { ...draft, hour: 'six', modules: [] } });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as { field: string }[]).map((p) => p.field).sort()).toEqual(['hour', 'modules']);
    const control = await call('POST', '/studies/athi-river-2026/campaigns', { token: 'n-token', body: { ...draft, targetArms: ['treatment', 'control'] } });
    expect(control.status).toBe(400);
    expect(JSON.stringify(control.body.problems)).toContain('control arm');
    expect((await call('POST', '/studies/athi-river-2026/campaigns', { token: 'n-token', raw: '{"name":' })).body).toEqual({ error: 'The body is not valid JSON.' });
    expect((await call('GET', '/studies/athi-river-2026/campaigns', { token: 'r-token' })).body).toEqual({ campaigns: [] });
    expect((await call('GET', '/studies/nowhere/campaigns', { token: 'r-token' })).status).toBe(404);
  });

  it('previews who gets what, the segments and the cost, in the study\'s currency', async () => {
    const res = await call('POST', '/studies/athi-river-2026/campaigns/preview', { token: 'n-token', body: draft });
    expect(res.status).toBe(200);
    const preview = res.body.preview as { currency: string; costPerSegment: number; weeks: { recipients: number; segments: number; cost: number; localTime: string }[] };
    expect(preview.currency).toBe('KES');
    expect(preview.weeks[0]?.localTime).toBe('2026-12-02 18:00 Africa/Nairobi');
    // The 18 treatment participants of the demo study, in Kiswahili and English.
    expect(preview.weeks[0]?.recipients).toBe(18);
    expect(preview.weeks[0]?.cost).toBeCloseTo((preview.weeks[0]?.segments ?? 0) * preview.costPerSegment, 6);
  });

  it('creates, pauses, resumes and cancels, refusing what a state does not allow', async () => {
    const created = await call('POST', '/studies/athi-river-2026/campaigns', { token: 'n-token', body: draft });
    expect(created.status).toBe(201);
    const c = created.body.campaign as { campaignId: string; status: string; createdBy: string };
    expect(c).toMatchObject({ status: 'scheduled', createdBy: 'Amina (NGO)' });
    const path = `/studies/athi-river-2026/campaigns/${c.campaignId}`;
    expect((await call('GET', path, { token: 'r-token' })).body.campaign).toMatchObject({ campaignId: c.campaignId });
    now += 60_000;
    expect((await call('POST', `${path}/pause`, { token: 'n-token' })).body.campaign).toMatchObject({ status: 'paused' });
    expect((await call('POST', `${path}/pause`, { token: 'n-token' })).status).toBe(409);
    now += 60_000;
    expect((await call('POST', `${path}/resume`, { token: 'a-token' })).body.campaign).toMatchObject({ status: 'scheduled' });
    now += 60_000;
    expect((await call('POST', `${path}/cancel`, { token: 'n-token' })).body.campaign).toMatchObject({ status: 'cancelled' });
    const again = await call('POST', `${path}/resume`, { token: 'n-token' });
    expect(again.status).toBe(409);
    expect(String(again.body.error)).toMatch(/cancelled/);
    expect((await call('GET', `${path}/preview`, { token: 'r-token' })).status).toBe(200);
  });

  it('runs the dispatcher on demand for an admin', async () => {
    const before = dispatched;
    expect((await call('POST', '/dispatch', { token: 'a-token' })).body).toEqual({ dispatch: { ran: before + 1 } });
    expect(dispatched).toBe(before + 1);
  });

  it('lists the outbox of a study for an admin only', async () => {
    expect((await call('GET', '/studies/athi-river-2026/outbox', { token: 'a-token', query: { phone: '+254700000001' } })).body).toEqual({ messages: [] });
    expect((await call('GET', '/studies/athi-river-2026/outbox', { token: 'r-token' })).status).toBe(403);
  });
});
