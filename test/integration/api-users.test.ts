import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiHandler, apiHandler, callApi } from '../support/api.js';
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
