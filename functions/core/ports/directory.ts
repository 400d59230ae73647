import type { Role, StaffUser } from '../users.js';

/** The directory staff accounts live in: Cognito in AWS (groups are roles), DynamoDB locally. */
export interface UserDirectory {
  list(): Promise<StaffUser[]>;
  /**
   * Creates the account with one role. Cognito emails a temporary password; the local
   * directory answers with the account's bearer token, shown once.
   */
  invite(email: string, role: Role): Promise<{ user: StaffUser; token?: string }>;
  /** Gives the account exactly this role. Undefined when there is no such account. */
  setRole(username: string, role: Role): Promise<StaffUser | undefined>;
  /** Signs the account out for good (its tokens stop working). Undefined when there is no such account. */
  disable(username: string): Promise<StaffUser | undefined>;
}
