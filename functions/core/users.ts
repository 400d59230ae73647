/**
 * Staff accounts (researchers, NGO staff, admins, enumerators who call participants): admins invite people, change their role and
 * disable them; nobody else may (docs/design.md, roles). Who may call what is per route
 * (functions/api/routes.ts); this is the directory those accounts live in: Cognito in AWS
 * (groups are roles), DynamoDB locally (each account with its own bearer token).
 *
 * What a change costs a signed-in account: locally, the next request (tokens are looked up
 * each time). In AWS, a disable ends its sessions (no new tokens) and, like a role change,
 * reaches the admin API within 30 seconds (core/staff-access.ts re-checks the directory); a
 * token already issued stays valid for anything else that trusts it until it expires (15 minutes).
 */
// `provider`: a provider's complaints desk, limited to its own referred cases (core/cases).
// `enumerator`: calls assigned participants; sees no arm (core/enumerate).
export const ROLES = ['researcher', 'ngo', 'admin', 'enumerator', 'provider'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

export interface StaffUser {
  /** The directory's id of the account (Cognito's username; locally a generated id). */
  username: string;
  email: string;
  roles: Role[];
  enabled: boolean;
  /** The directory's own status (e.g. Cognito's FORCE_CHANGE_PASSWORD, CONFIRMED; `active` locally). */
  status: string;
  createdAt?: string;
  /** Set in the configuration, not in the directory: shown, not editable. */
  configured?: boolean;
}

/** Thrown by a directory for a request it refuses (an email already in use, a configured account). */
export class UserDirectoryError extends Error {
  constructor(
    readonly status: 400 | 409,
    message: string,
  ) {
    super(message);
  }
}
