import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  UsernameExistsException,
  UserNotFoundException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserDirectory } from '../../core/ports/directory.js';
import { isRole, ROLES, type Role, type StaffUser, UserDirectoryError } from '../../core/users.js';

/**
 * Staff accounts in the Cognito user pool: the pool's groups are the roles (the API reads them
 * from the token's `cognito:groups`). Inviting creates the user with their email verified and
 * lets Cognito email a temporary password; at first sign-in they set a password and an
 * authenticator app (the pool requires TOTP MFA). Disabling also signs them out everywhere
 * (their refresh tokens are revoked); the API's re-check (`get`) refuses the tokens already
 * issued within 30 seconds.
 */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async list(): Promise<StaffUser[]> {
    const users: UserType[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(new ListUsersCommand({ UserPoolId: this.userPoolId, ...(token ? { PaginationToken: token } : {}) }));
      users.push(...(out.Users ?? []));
      token = out.PaginationToken;
    } while (token);
    // A handful of staff: one groups call each is fine (ListUsers does not return groups).
    return Promise.all(users.map(async (u) => this.staff(u.Username ?? '', u.Attributes, u.Enabled, u.UserStatus, u.UserCreateDate)));
  }

  async invite(email: string, role: Role): Promise<{ user: StaffUser }> {
    try {
      const out = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      const username = out.User?.Username ?? email;
      await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: role }));
      return { user: { username, email, roles: [role], enabled: true, status: out.User?.UserStatus ?? 'FORCE_CHANGE_PASSWORD', ...(out.User?.UserCreateDate ? { createdAt: out.User.UserCreateDate.toISOString() } : {}) } };
    } catch (err) {
      if (err instanceof UsernameExistsException) throw new UserDirectoryError(409, `An account for ${email} exists already.`);
      throw err;
    }
  }

  async setRole(username: string, role: Role): Promise<StaffUser | undefined> {
    return this.ifExists(async () => {
      const current = await this.groups(username);
      for (const g of current.filter((g) => g !== role)) await this.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: g }));
      if (!current.includes(role)) await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: role }));
      return this.fetch(username);
    });
  }

  async disable(username: string): Promise<StaffUser | undefined> {
    return this.ifExists(async () => {
      await this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: username }));
      // After the disable: were the sign-out first, a refresh in between would mint a new token.
      await this.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: username }));
      return this.fetch(username);
    });
  }

  async get(username: string): Promise<StaffUser | undefined> {
    return this.ifExists(() => this.fetch(username));
  }

  private async fetch(username: string): Promise<StaffUser> {
    const u = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }));
    return this.staff(u.Username ?? username, u.UserAttributes, u.Enabled, u.UserStatus, u.UserCreateDate);
  }

  private async groups(username: string): Promise<Role[]> {
    const out = await this.client.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: username }));
    return (out.Groups ?? []).map((g) => g.GroupName ?? '').filter(isRole);
  }

  private async staff(username: string, attributes: { Name?: string; Value?: string }[] | undefined, enabled: boolean | undefined, status: string | undefined, created: Date | undefined): Promise<StaffUser> {
    const roles = await this.groups(username);
    return {
      username,
      email: attributes?.find((a) => a.Name === 'email')?.Value ?? username,
      roles: ROLES.filter((r) => roles.includes(r)),
      enabled: enabled ?? true,
      status: status ?? 'UNKNOWN',
      ...(created ? { createdAt: created.toISOString() } : {}),
    };
  }

  private async ifExists(f: () => Promise<StaffUser>): Promise<StaffUser | undefined> {
    try {
      return await f();
    } catch (err) {
      if (err instanceof UserNotFoundException) return undefined;
      throw err;
    }
  }
}
