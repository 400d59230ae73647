import type { Clock } from './ports/clock.js';
import type { UserDirectory } from './ports/directory.js';
import type { Role } from './users.js';

/**
 * How long the directory's answer about a caller is trusted: the longest a disabled or
 * demoted account keeps working with a token signed before the change.
 */
export const STAFF_RECHECK_MS = 30_000;

/** What the directory says a caller may do now: undefined when the account is gone or disabled. */
export type CurrentRoles = (username: string) => Promise<Role[] | undefined>;

/**
 * A token's groups are those of sign-in time, and API Gateway's JWT authorizer checks only its
 * signature and expiry. This asks the directory instead, once per account per
 * STAFF_RECHECK_MS (on the injected clock), so a disable or a demotion bites within that time
 * rather than at the token's expiry. The cache lives as long as the Lambda instance; a failed
 * lookup is not cached (and refuses the request: fail closed).
 */
export function currentRoles(directory: () => Promise<UserDirectory>, clock: Clock, maxAgeMs = STAFF_RECHECK_MS): CurrentRoles {
  const seen = new Map<string, { at: number; roles: Role[] | undefined }>();
  return async (username) => {
    const now = clock.now().getTime();
    const cached = seen.get(username);
    if (cached && now - cached.at < maxAgeMs) return cached.roles;
    const user = await (await directory()).get(username);
    const roles = user?.enabled ? user.roles : undefined;
    seen.set(username, { at: now, roles });
    return roles;
  };
}
