import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UsernameExistsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoUserDirectory } from '../../functions/adapters/cognito/user-directory.js';
import { UserDirectoryError } from '../../functions/core/users.js';

/**
 * The Cognito directory's calls, against a mocked client (no Cognito runs locally): the groups
 * are the roles, a role change leaves exactly one group, and Cognito's refusals become the
 * API's 409 and 404.
 */
const cognito = mockClient(CognitoIdentityProviderClient);
const dir = new CognitoUserDirectory(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), 'pool-1');

beforeEach(() => cognito.reset());

describe('the Cognito user directory', () => {
  it('invites with the email verified, an emailed temporary password, and the role as the only group', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'a@example.org', UserStatus: 'FORCE_CHANGE_PASSWORD' } });
    const { user } = await dir.invite('a@example.org', 'ngo');
    expect(user).toMatchObject({ username: 'a@example.org', roles: ['ngo'], status: 'FORCE_CHANGE_PASSWORD' });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toMatchObject({
      UserPoolId: 'pool-1', Username: 'a@example.org', DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'a@example.org' }, { Name: 'email_verified', Value: 'true' }],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input.GroupName)).toEqual(['ngo']);
  });

  it('refuses an email already in the pool with a 409, and nothing is added to a group', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    await expect(dir.invite('a@example.org', 'admin')).rejects.toEqual(expect.objectContaining({ status: 409 }));
    await expect(dir.invite('a@example.org', 'admin')).rejects.toBeInstanceOf(UserDirectoryError);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });

  it('changes a role by leaving the other role groups and joining the new one', async () => {
    cognito.on(AdminListGroupsForUserCommand).resolvesOnce({ Groups: [{ GroupName: 'researcher' }, { GroupName: 'admin' }] }).resolves({ Groups: [{ GroupName: 'ngo' }] });
    cognito.on(AdminGetUserCommand).resolves({ Username: 'u1', Enabled: true, UserStatus: 'CONFIRMED', UserAttributes: [{ Name: 'email', Value: 'u1@example.org' }] });
    const user = await dir.setRole('u1', 'ngo');
    expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand).map((c) => c.args[0].input.GroupName).sort()).toEqual(['admin', 'researcher']);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input.GroupName)).toEqual(['ngo']);
    expect(user).toMatchObject({ username: 'u1', email: 'u1@example.org', roles: ['ngo'], enabled: true });
  });

  it('answers undefined (the API\'s 404) for an unknown user, and lists users with their roles across pages', async () => {
    cognito.on(AdminDisableUserCommand).rejects(new UserNotFoundException({ message: 'no', $metadata: {} }));
    await expect(dir.disable('ghost')).resolves.toBeUndefined();
    cognito.on(ListUsersCommand).resolvesOnce({ Users: [{ Username: 'u1', Enabled: true, UserStatus: 'CONFIRMED' }], PaginationToken: 'next' }).resolves({ Users: [{ Username: 'u2', Enabled: false, UserStatus: 'CONFIRMED', Attributes: [{ Name: 'email', Value: 'u2@example.org' }] }] });
    cognito.on(AdminListGroupsForUserCommand, { Username: 'u1' }).resolves({ Groups: [{ GroupName: 'admin' }, { GroupName: 'not-a-role' }] });
    cognito.on(AdminListGroupsForUserCommand, { Username: 'u2' }).resolves({ Groups: [] });
    expect(await dir.list()).toEqual([
      { username: 'u1', email: 'u1', roles: ['admin'], enabled: true, status: 'CONFIRMED' },
      { username: 'u2', email: 'u2@example.org', roles: [], enabled: false, status: 'CONFIRMED' },
    ]);
  });

  it('disables and then signs the account out everywhere, so no refresh mints a new token', async () => {
    const order: string[] = [];
    cognito.on(AdminDisableUserCommand).callsFake(() => (order.push('disable'), {}));
    cognito.on(AdminUserGlobalSignOutCommand).callsFake(() => (order.push('sign-out'), {}));
    cognito.on(AdminGetUserCommand).resolves({ Username: 'u1', Enabled: false, UserStatus: 'CONFIRMED' });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'admin' }] });
    expect(await dir.disable('u1')).toMatchObject({ username: 'u1', enabled: false });
    expect(order).toEqual(['disable', 'sign-out']);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual({ UserPoolId: 'pool-1', Username: 'u1' });
  });

  it('looks an account up with its status and groups now (the API\'s re-check), undefined when it is gone', async () => {
    cognito.on(AdminGetUserCommand, { Username: 'u1' }).resolves({ Username: 'u1', Enabled: false, UserStatus: 'CONFIRMED', UserAttributes: [{ Name: 'email', Value: 'u1@example.org' }] });
    cognito.on(AdminListGroupsForUserCommand, { Username: 'u1' }).resolves({ Groups: [{ GroupName: 'ngo' }] });
    cognito.on(AdminGetUserCommand, { Username: 'ghost' }).rejects(new UserNotFoundException({ message: 'no', $metadata: {} }));
    expect(await dir.get('u1')).toEqual({ username: 'u1', email: 'u1@example.org', roles: ['ngo'], enabled: false, status: 'CONFIRMED' });
    await expect(dir.get('ghost')).resolves.toBeUndefined();
  });
});
