import type { APIGatewayProxyEventV2 } from 'aws-lambda';

import { isRole, type Role } from '../core/users.js';

/** Who may do what (docs/design.md, roles): every API route names the roles that may call it. */
export { ROLES, type Role } from '../core/users.js';

export interface Principal {
  /**
   * The account's immutable id, recorded as the actor of every audit entry: Cognito's `sub` in
   * AWS; locally the account's username (configured tokens: their name, as the users page lists it).
   */
  id: string;
  /** The directory's name for the account (Cognito's `cognito:username`): the users API's `{username}`. */
  username: string;
  /** A label for people to read (the email, or a configured name): shown beside the id, never trusted as it. */
  name: string;
  roles: Role[];
  /** For the `provider` role: whose desk this is (Cognito `custom:providerId`; a local token's `providerId`). */
  providerId?: string;
  /**
   * The roles are those of a token signed at sign-in, not the directory's now: the handler
   * re-checks them (core/staff-access.ts). Unset where they were read from the directory or
   * the configuration in this very request (local tokens).
   */
  fromToken?: true;
}

/** Who did it, for an audit entry or log line: the label under `by` (as before) and the immutable id. */
export const actor = (p: Principal): { by: string; byId: string } => ({ by: p.name, byId: p.id });


/**
 * The caller, or undefined. In AWS the HTTP API's Cognito authorizer has verified the JWT
 * before the Lambda runs; its groups are the roles as they were at sign-in (the handler
 * re-checks them in the directory), its `sub` the caller's id, its `email` only a label. Locally (and only when configured, which
 * the CDK stack never does) bearer tokens map to roles from `SAUTI_API_TOKENS`, a JSON object
 * `{ "<token>": { "name": "...", "role": "admin", "expiresAt": "2026-12-01T00:00:00Z" } }`;
 * a token past its `expiresAt` is no caller. Expired JWTs never get here in AWS: API Gateway's
 * JWT authorizer checks `exp` and answers 401 itself, before the Lambda runs.
 */
export function principalOf(event: APIGatewayProxyEventV2, env: NodeJS.ProcessEnv, now: number): Principal | undefined {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  if (claims) {
    const raw = claims['cognito:groups'];
    // API Gateway flattens a list claim to "[a b]"; accept an array as well.
    const groups = Array.isArray(raw) ? raw.map(String) : String(raw ?? '').replace(/^\[|\]$/g, '').split(/[\s,]+/);
    const roles = groups.filter(isRole);
    // The authorizer always passes `sub`; without it there is no identity to record.
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    if (roles.length === 0 || sub === '') return undefined;
    const username = typeof claims['cognito:username'] === 'string' ? claims['cognito:username'] : sub;
    const providerId = typeof claims['custom:providerId'] === 'string' ? claims['custom:providerId'] : undefined;
    return { id: sub, username, name: String(claims.email ?? username), roles, fromToken: true, ...(providerId ? { providerId } : {}) };
  }
  if (!env.SAUTI_API_TOKENS) return undefined;
  const entry = localToken(event, env);
  if (!entry?.role || !isRole(entry.role) || isExpired(entry, now)) return undefined;
  const name = entry.name ?? entry.role;
  return { id: name, username: name, name, roles: [entry.role], ...(entry.providerId ? { providerId: entry.providerId } : {}) };
}

/** Why a request has no caller, in words for the 401: a local token past its time, a token not known, or none sent. */
export function unauthenticatedMessage(event: APIGatewayProxyEventV2, env: NodeJS.ProcessEnv, now: number): string {
  const entry = env.SAUTI_API_TOKENS ? localToken(event, env) : undefined;
  if (entry && isExpired(entry, now)) return 'Your session has expired; sign in again.';
  // A token was sent: "sign in first" would mislead someone who just did.
  if (bearerToken(event)) return 'That token is not valid or has expired; sign in again with a valid token.';
  return 'Sign in first: send "Authorization: Bearer <token>".';
}

export interface LocalToken {
  name?: string;
  role?: string;
  /** For `provider`: the desk's provider id. */
  providerId?: string;
  /** ISO date-time after which the token is refused. */
  expiresAt?: string;
}

/** The bearer token of the request, if it has one. */
export function bearerToken(event: APIGatewayProxyEventV2): string | undefined {
  const header = event.headers?.authorization ?? event.headers?.Authorization ?? '';
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

/** The configured local accounts (SAUTI_API_TOKENS), as the users page lists them. */
export function configuredTokens(env = process.env): LocalToken[] {
  return env.SAUTI_API_TOKENS ? Object.values(JSON.parse(env.SAUTI_API_TOKENS) as Record<string, LocalToken>) : [];
}

function localToken(event: APIGatewayProxyEventV2, env: NodeJS.ProcessEnv): LocalToken | undefined {
  const token = bearerToken(event);
  if (!token || !env.SAUTI_API_TOKENS) return undefined;
  const tokens = JSON.parse(env.SAUTI_API_TOKENS) as Record<string, LocalToken>;
  return Object.hasOwn(tokens, token) ? tokens[token] : undefined;
}

/** An unreadable expiresAt counts as expired: a typo must not make a token live for ever. */
const isExpired = (t: LocalToken, now: number): boolean => t.expiresAt !== undefined && !(Date.parse(t.expiresAt) > now);
