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
  /**
   * Disables the account and ends its sessions (Cognito: its refresh tokens are revoked, so no
   * new token is issued). A token issued before stays signed until it expires (15 minutes):
   * the API re-checks the directory (core/staff-access.ts) so it stops working sooner. Undefined
   * when there is no such account.
   */
  disable(username: string): Promise<StaffUser | undefined>;
  /** The account as the directory has it now (status and roles). Undefined when there is no such account. */
  get(username: string): Promise<StaffUser | undefined>;
}
