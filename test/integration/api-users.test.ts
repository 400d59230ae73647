import { beforeAll, describe, expect, it } from 'vitest';
import { STAFF_RECHECK_MS } from '../../functions/core/staff-access.js';
import { type ApiHandler, apiHandler, callApi, callApiWithClaims, cognitoClaims } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * Staff accounts through the admin API, locally (the DynamoDB directory): an admin invites a
 * researcher, whose own token then works with exactly that role; the role changes and the
 * token's rights change with it; a disabled account's token stops working; nobody but an
 * admin may touch accounts, and configured accounts are listed but not editable.
 */
let t: TestTable;
let api: ApiHandler;
const TOKENS = { 'a-token': { role: 'admin', name: 'Ops Admin' }, 'r-token': { role: 'researcher', name: 'Dr R' } };
const call = (method: string, path: string, opts: { body?: unknown; token?: string } = {}) => callApi(api, method, path, { token: opts.token ?? 'a-token', ...(opts.body === undefined ? {} : { body: opts.body }) });

beforeAll(async () => {
  t = await createTestTable();
  api = await apiHandler(t, TOKENS, { now: () => Date.parse('2026-11-24T09:00:00Z') });
});

describe('staff accounts', () => {
  it('an invited account signs in with its own token and exactly its role, which follows a role change and ends when disabled', async () => {
    const invited = await call('POST', '/users', { body: { email: 'Nadia@example.org', role: 'researcher' } });
    expect(invited.status).toBe(201);
    const { user, token } = invited.body as { user: { username: string; roles: string[]; enabled: boolean }; token: string };
    expect(user).toMatchObject({ email: 'Nadia@example.org', roles: ['researcher'], enabled: true });
    expect(token).toMatch(/^local-[A-Za-z0-9_-]{32}$/);

    expect((await call('GET', '/me', { token })).body).toEqual({ name: 'Nadia@example.org', roles: ['researcher'] });
    expect((await call('GET', '/users', { token })).status).toBe(403);

    const changed = await call('POST', `/users/${user.username}/role`, { body: { role: 'ngo' } });
    expect(changed.body).toMatchObject({ user: { roles: ['ngo'] } });
    expect((await call('GET', '/me', { token })).body).toEqual({ name: 'Nadia@example.org', roles: ['ngo'] });

    const listed = (await call('GET', '/users')).body as { users: { email: string; roles: string[]; configured?: boolean }[] };
    expect(listed.users.map((u) => [u.email, u.roles[0], u.configured ?? false])).toEqual(
      expect.arrayContaining([['Ops Admin', 'admin', true], ['Dr R', 'researcher', true], ['Nadia@example.org', 'ngo', false]]),
    );

    expect((await call('POST', `/users/${user.username}/disable`)).body).toMatchObject({ user: { enabled: false, status: 'disabled' } });
    expect((await call('GET', '/me', { token })).status).toBe(401);
  });

  it('refuses a second account for the same email, a bad body, an unknown account, a configured one and any non-admin', async () => {
    await call('POST', '/users', { body: { email: 'twice@example.org', role: 'ngo' } });
    const again = await call('POST', '/users', { body: { email: 'TWICE@example.org', role: 'admin' } });
    expect(again.status).toBe(409);
    const bad = await call('POST', '/users', { body: { email: 'not-an-email', role: 'owner' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/email/);
    expect(JSON.stringify(bad.body)).toMatch(/role/);
    expect((await call('POST', '/users/nobody/role', { body: { role: 'ngo' } })).status).toBe(404);
    expect((await call('POST', '/users/Dr R/disable')).status).toBe(400);
    expect((await call('POST', '/users', { token: 'r-token', body: { email: 'x@example.org', role: 'admin' } })).status).toBe(403);
    // Nothing was created by the refused requests.
    const emails = ((await call('GET', '/users')).body as { users: { email: string }[] }).users.map((u) => u.email.toLowerCase());
    expect(emails.filter((e) => e === 'twice@example.org')).toHaveLength(1);
    expect(emails).not.toContain('x@example.org');
    expect(emails).not.toContain('not-an-email');
  });
});

/**
 * Revocation with Cognito tokens, against the local directory: API Gateway has checked only
 * the token's signature and expiry (up to 15 minutes), so the handler asks the directory,
 * caching its answer at most STAFF_RECHECK_MS on the injected clock. Two handlers are two
 * Lambda instances: one changes the account, the other had it cached.
 */
describe('a disabled or demoted account mid-session (a signed token still in hand)', () => {
  let now = Date.parse('2026-11-25T09:00:00Z');
  let changer: ApiHandler;
  let holder: ApiHandler;
  const invite = async (email: string, role: string) => {
    const res = await callApi(changer, 'POST', '/users', { token: 'a-token', body: { email, role } });
    return (res.body.user as { username: string }).username;
  };

  beforeAll(async () => {
    changer = await apiHandler(t, TOKENS, { now: () => now });
    holder = await apiHandler(t, TOKENS, { now: () => now });
  });

  it('a disabled admin is refused within 30 seconds on every instance, at once where nothing was cached', async () => {
    const username = await invite('boss@example.org', 'admin');
    const claims = cognitoClaims(username, 'boss@example.org', ['admin']);
    expect((await callApiWithClaims(holder, claims, 'GET', '/users')).status).toBe(200);
    expect((await callApi(changer, 'POST', `/users/${username}/disable`, { token: 'a-token' })).status).toBe(200);
    const fresh = await apiHandler(t, TOKENS, { now: () => now });
    expect(await callApiWithClaims(fresh, claims, 'GET', '/users')).toEqual({ status: 401, body: { error: 'Your account is disabled or has no role any more; ask an admin.' } });
    now += STAFF_RECHECK_MS - 1;
    // The bound, not an accident: the instance that looked it up trusts its answer this long.
    expect((await callApiWithClaims(holder, claims, 'GET', '/users')).status).toBe(200);
    now += 1;
    for (const [method, path] of [['GET', '/users'], ['GET', '/studies'], ['GET', '/me'], ['POST', '/studies/nowhere/participants/p1/reveal-phone']] as const) {
      expect((await callApiWithClaims(holder, claims, method, path, method === 'POST' ? { body: { reason: 'still an admin?' } } : {})).status, path).toBe(401);
    }
  });

  it('a demoted admin loses the admin routes within 30 seconds and keeps what the new role allows', async () => {
    const username = await invite('was-admin@example.org', 'admin');
    const claims = cognitoClaims(username, 'was-admin@example.org', ['admin']);
    expect((await callApiWithClaims(holder, claims, 'GET', '/users')).status).toBe(200);
    await callApi(changer, 'POST', `/users/${username}/role`, { token: 'a-token', body: { role: 'ngo' } });
    now += STAFF_RECHECK_MS;
    const refused = await callApiWithClaims(holder, claims, 'GET', '/users');
    expect(refused).toEqual({ status: 403, body: { error: 'This needs the role admin; you have ngo.' } });
    expect(await callApiWithClaims(holder, claims, 'GET', '/me')).toEqual({ status: 200, body: { name: 'was-admin@example.org', roles: ['ngo'] } });
  });

  it('an account the directory does not know is no caller, whatever its token says', async () => {
    expect((await callApiWithClaims(holder, cognitoClaims('never-invited', 'x@example.org', ['admin']), 'GET', '/studies')).status).toBe(401);
  });

  it('an admin cannot disable their own account, named by its username (the sub), whatever the email', async () => {
    const username = await invite('self@example.org', 'admin');
    const refused = await callApiWithClaims(holder, cognitoClaims(username, 'self@example.org', ['admin']), 'POST', `/users/${username}/disable`);
    expect(refused).toEqual({ status: 400, body: { error: 'You cannot disable your own account; ask another admin.' } });
    // The same with the local token the invitation gave.
    const { user, token } = (await callApi(changer, 'POST', '/users', { token: 'a-token', body: { email: 'self2@example.org', role: 'admin' } })).body as { user: { username: string }; token: string };
    expect((await callApi(changer, 'POST', `/users/${user.username}/disable`, { token })).status).toBe(400);
    const users = ((await callApi(changer, 'GET', '/users', { token: 'a-token' })).body.users as { username: string; enabled: boolean }[]).filter((u) => u.username === username || u.username === user.username);
    expect(users.map((u) => u.enabled)).toEqual([true, true]);
  });
});
