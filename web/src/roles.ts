/** The API's roles (functions/api/auth.ts); no DOM here, so the root type check can read nav.ts. */
export type Role = 'researcher' | 'ngo' | 'admin' | 'enumerator' | 'provider';
