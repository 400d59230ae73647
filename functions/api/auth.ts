import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** Who may do what (DESIGN.md, roles): every API route names the roles that may call it. */
export const ROLES = ['researcher', 'ngo', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  name: string;
  roles: Role[];
}

const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/**
 * The caller, or undefined. In AWS the HTTP API's Cognito authorizer has verified the JWT
 * before the Lambda runs; its groups are the roles. Locally (and only when configured, which
 * the CDK stack never does) bearer tokens map to roles from `SAUTI_API_TOKENS`, a JSON object
 * `{ "<token>": { "name": "...", "role": "admin" } }`.
 */
export function principalOf(event: APIGatewayProxyEventV2, env = process.env): Principal | undefined {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  if (claims) {
    const raw = claims['cognito:groups'];
    // API Gateway flattens a list claim to "[a b]"; accept an array as well.
    const groups = Array.isArray(raw) ? raw.map(String) : String(raw ?? '').replace(/^\[|\]$/g, '').split(/[\s,]+/);
    const roles = groups.filter(isRole);
    return roles.length > 0 ? { name: String(claims.email ?? claims.sub ?? 'user'), roles } : undefined;
  }
  if (!env.SAUTI_API_TOKENS) return undefined;
  const header = event.headers?.authorization ?? event.headers?.Authorization ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token) return undefined;
  const tokens = JSON.parse(env.SAUTI_API_TOKENS) as Record<string, { name?: string; role?: string }>;
  const entry = Object.hasOwn(tokens, token) ? tokens[token] : undefined;
  return entry?.role && isRole(entry.role) ? { name: entry.name ?? entry.role, roles: [entry.role] } : undefined;
}
