import type { LocalUserDirectory } from '../adapters/dynamo/local-user-directory.js';
import type { UserDirectory } from '../core/ports/directory.js';
import { type StaffUser, UserDirectoryError, isRole } from '../core/users.js';
import { actor, configuredTokens } from './auth.js';
import type { ApiContext } from './context.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';
import { inviteUserBody, userRoleBody } from './schemas.js';

/**
 * Staff accounts (admins only): list, invite with a role, change the role, disable. The
 * directory is Cognito's user pool when `USER_POOL_ID` is set (AWS; the client is loaded only
 * then, to keep it out of other cold starts), else the local one in DynamoDB. Every change is
 * logged with who did it (the audit tag `staff`).
 */
export function userDirectoryFromEnv(ctx: Pick<ApiContext, 'ports'>, env: NodeJS.ProcessEnv = process.env): () => Promise<UserDirectory> {
  let directory: Promise<UserDirectory> | undefined;
  return () =>
    (directory ??= env.USER_POOL_ID
      ? Promise.all([import('@aws-sdk/client-cognito-identity-provider'), import('../adapters/cognito/user-directory.js')]).then(
          ([{ CognitoIdentityProviderClient }, { CognitoUserDirectory }]) => new CognitoUserDirectory(new CognitoIdentityProviderClient({}), env.USER_POOL_ID as string),
        )
      : Promise.resolve(localUserDirectory(ctx, env)));
}

/** The local stack's directory: accounts in DynamoDB, and the configured tokens listed beside them. */
export function localUserDirectory(ctx: Pick<ApiContext, 'ports'>, env: NodeJS.ProcessEnv = process.env): LocalUserDirectory {
  const configured = (): StaffUser[] =>
    configuredTokens(env).flatMap((t) => (t.role && isRole(t.role) ? [{ username: t.name ?? t.role, email: t.name ?? t.role, roles: [t.role], enabled: true, status: 'configured', configured: true }] : []));
  return ctx.ports.localUsers(configured);
}

export function userHandlers(ctx: ApiContext, directory: () => Promise<UserDirectory>): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, 'listUsers' | 'inviteUser' | 'setUserRole' | 'disableUser'> {
  const refused = (err: unknown): never => {
    if (err instanceof UserDirectoryError) throw new ApiError(err.status, err.message);
    throw err;
  };
  const found = (user: StaffUser | undefined, username: string): StaffUser => {
    if (!user) throw new ApiError(404, `No staff account "${username}".`);
    return user;
  };
  const audit = (r: ApiRequest, action: string, detail: Record<string, unknown>) => ctx.log.warn('staff account changed', { audit: 'staff', action, ...actor(r.principal), at: ctx.clock.now().toISOString(), ...detail });
  return {
    listUsers: async () => ({ users: await (await directory()).list() }),
    inviteUser: async (r) => {
      const body = validated(inviteUserBody, r.body, 'invitation');
      const result = await (await directory()).invite(body.email, body.role).catch(refused);
      audit(r, 'invite', { username: result.user.username, role: body.role });
      return result;
    },
    setUserRole: async (r) => {
      const body = validated(userRoleBody, r.body, 'role change');
      const username = r.params.username ?? '';
      const user = found(await (await directory()).setRole(username, body.role).catch(refused), username);
      audit(r, 'set-role', { username, role: body.role });
      return { user };
    },
    disableUser: async (r) => {
      const username = r.params.username ?? '';
      // The ids, not the email: the path names the account by its directory username (Cognito's
      // is the `sub` where the email is the sign-in name).
      if (username === r.principal.username || username === r.principal.id) throw new ApiError(400, 'You cannot disable your own account; ask another admin.');
      const user = found(await (await directory()).disable(username).catch(refused), username);
      audit(r, 'disable', { username });
      return { user };
    },
  };
}
