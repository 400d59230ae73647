import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UserDirectory } from '../../core/ports/directory.js';
import { type Role, type StaffUser, UserDirectoryError } from '../../core/users.js';
import { isConditionFailure, withoutKeys } from './items.js';
import { keys } from './keys.js';

/**
 * Staff accounts of the local stack, in DynamoDB: `STAFF` / `USER#{username}` per account, and
 * `STAFFTOKEN#{sha256(token)}` pointing at it, so a bearer token is found with one GetItem and
 * is never stored itself. Accounts configured in SAUTI_API_TOKENS are listed beside them
 * (`configured`, not editable). Never used in AWS, where Cognito is the directory.
 */
const userKey = keys.staffUser;
const tokenKey = (token: string) => keys.staffToken(createHash('sha256').update(token).digest('hex'));

interface StoredUser {
  username: string;
  email: string;
  role: Role;
  enabled: boolean;
  createdAt: string;
}

const asStaff = (u: StoredUser): StaffUser => ({ username: u.username, email: u.email, roles: [u.role], enabled: u.enabled, status: u.enabled ? 'active' : 'disabled', createdAt: u.createdAt });

export class LocalUserDirectory implements UserDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly configured: () => StaffUser[],
    private readonly now: () => Date,
  ) {}

  async list(): Promise<StaffUser[]> {
    const out = await this.doc.send(new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.staffUsers().pk } }));
    return [...this.configured(), ...(out.Items ?? []).map((i) => asStaff(withoutKeys<StoredUser>(i)))];
  }

  async invite(email: string, role: Role): Promise<{ user: StaffUser; token: string }> {
    const taken = (await this.list()).some((u) => u.email.toLowerCase() === email.toLowerCase());
    if (taken) throw new UserDirectoryError(409, `An account for ${email} exists already.`);
    const user: StoredUser = { username: randomUUID().slice(0, 8), email, role, enabled: true, createdAt: this.now().toISOString() };
    const token = `local-${randomBytes(24).toString('base64url')}`;
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: { ...userKey(user.username), ...user }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: this.tableName, Item: { ...tokenKey(token), username: user.username }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return { user: asStaff(user), token };
  }

  setRole(username: string, role: Role): Promise<StaffUser | undefined> {
    return this.update(username, 'SET #role = :v', { ':v': role }, { '#role': 'role' });
  }

  disable(username: string): Promise<StaffUser | undefined> {
    return this.update(username, 'SET enabled = :v', { ':v': false });
  }

  /** A configured account, or one in the table. */
  async get(username: string): Promise<StaffUser | undefined> {
    const configured = this.configured().find((u) => u.username === username);
    if (configured) return configured;
    const user = await this.stored(username);
    return user ? asStaff(user) : undefined;
  }

  /** The enabled account a bearer token belongs to (read now: a disable bites at once). The username is its id. */
  async principal(token: string): Promise<{ id: string; username: string; name: string; roles: Role[] } | undefined> {
    const link = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: tokenKey(token) }))).Item;
    if (!link) return undefined;
    const user = await this.stored(String(link.username));
    return user?.enabled ? { id: user.username, username: user.username, name: user.email, roles: [user.role] } : undefined;
  }

  private async stored(username: string): Promise<StoredUser | undefined> {
    const item = (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: userKey(username) }))).Item;
    return item ? withoutKeys<StoredUser>(item) : undefined;
  }

  private async update(username: string, expression: string, values: Record<string, unknown>, names?: Record<string, string>): Promise<StaffUser | undefined> {
    if (this.configured().some((u) => u.username === username)) throw new UserDirectoryError(400, `"${username}" is set in the configuration (SAUTI_API_TOKENS), not in the directory: change it there.`);
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(username),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values,
          ...(names ? { ExpressionAttributeNames: names } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return asStaff(withoutKeys<StoredUser>(out.Attributes ?? {}));
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }
}
