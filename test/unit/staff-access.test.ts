import { describe, expect, it } from 'vitest';
import type { UserDirectory } from '../../functions/core/ports/directory.js';
import { STAFF_RECHECK_MS, currentRoles } from '../../functions/core/staff-access.js';
import type { StaffUser } from '../../functions/core/users.js';

/**
 * The re-check of a token's caller: the directory's answer is trusted for STAFF_RECHECK_MS of
 * the injected clock, per account, and no longer; a failed lookup is not remembered.
 */
function directoryOf(accounts: Map<string, StaffUser>) {
  const lookups: string[] = [];
  let failing = false;
  const directory = {
    get: async (username: string) => {
      lookups.push(username);
      if (failing) throw new Error('directory unreachable');
      return accounts.get(username);
    },
  } as Pick<UserDirectory, 'get'> as UserDirectory;
  return { directory: async () => directory, lookups, fail: (on: boolean) => (failing = on) };
}

const staff = (username: string, over: Partial<StaffUser> = {}): StaffUser => ({ username, email: `${username}@example.org`, roles: ['admin'], enabled: true, status: 'CONFIRMED', ...over });

describe('the directory re-check', () => {
  it('trusts an answer for 30 seconds at most, then asks again and sees the change', async () => {
    const accounts = new Map([['u1', staff('u1')]]);
    const d = directoryOf(accounts);
    let now = Date.parse('2026-11-24T09:00:00Z');
    const roles = currentRoles(d.directory, { now: () => new Date(now) });
    expect(STAFF_RECHECK_MS).toBe(30_000);
    expect(await roles('u1')).toEqual(['admin']);
    accounts.set('u1', staff('u1', { enabled: false }));
    now += STAFF_RECHECK_MS - 1;
    expect(await roles('u1')).toEqual(['admin']);
    expect(d.lookups).toEqual(['u1']);
    now += 1;
    expect(await roles('u1')).toBeUndefined();
    expect(d.lookups).toEqual(['u1', 'u1']);
  });

  it('keeps one answer per account, sees a demotion as the new roles and an unknown account as none', async () => {
    const accounts = new Map([['u1', staff('u1')], ['u2', staff('u2', { roles: ['ngo'] })]]);
    const d = directoryOf(accounts);
    let now = 0;
    const roles = currentRoles(d.directory, { now: () => new Date(now) });
    expect(await roles('u1')).toEqual(['admin']);
    expect(await roles('u2')).toEqual(['ngo']);
    expect(await roles('ghost')).toBeUndefined();
    accounts.set('u1', staff('u1', { roles: ['researcher'] }));
    now += STAFF_RECHECK_MS;
    expect(await roles('u1')).toEqual(['researcher']);
  });

  it('does not remember a failed lookup: the request fails (closed) and the next one asks again', async () => {
    const d = directoryOf(new Map([['u1', staff('u1')]]));
    const roles = currentRoles(d.directory, { now: () => new Date(0) });
    d.fail(true);
    await expect(roles('u1')).rejects.toThrow('directory unreachable');
    d.fail(false);
    expect(await roles('u1')).toEqual(['admin']);
    expect(d.lookups).toEqual(['u1', 'u1']);
  });
});
