import type { SendQueue } from '../../functions/core/ports/queue.js';
import { MemoryQueue } from './memory-ports.js';
import type { ForgetQueue } from '../../functions/core/ports/forget.js';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock } from '../../functions/core/ports/index.js';
import { httpApiEvent } from '../../infra/local/event.js';
import type { TestTable } from './dynamo.js';

/**
 * The admin API handler against a test table, with local bearer tokens and a fixed clock, and
 * a `call(method, path, opts)` that sends it an API Gateway v2 event and parses the JSON answer.
 */
export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** A raw body, sent as is (e.g. broken JSON). */
  raw?: string;
  query?: Record<string, string>;
}

export async function apiHandler(
  t: TestTable,
  tokens: Record<string, { role: string; name?: string; expiresAt?: string; providerId?: string }>,
  deps: { now: () => number; runDispatch?: () => Promise<unknown>; queue?: SendQueue; forgets?: ForgetQueue },
): Promise<ApiHandler> {
  Object.assign(process.env, { TABLE_NAME: t.tableName, DYNAMODB_ENDPOINT: t.endpoint, POWERTOOLS_LOG_LEVEL: 'ERROR', SAUTI_API_TOKENS: JSON.stringify(tokens) });
  const { createApiHandler } = await import('../../functions/api/handler.js');
  return createApiHandler({ clock: { now: () => new Date(deps.now()) }, runDispatch: deps.runDispatch ?? (async () => ({})), queue: deps.queue ?? new MemoryQueue(), ...(deps.forgets ? { forgets: deps.forgets } : {}) });
}

export function apiEvent(method: string, path: string, opts: CallOptions = {}): APIGatewayProxyEventV2 {
  return httpApiEvent({
    method, path: `/api/v1${path}`, routeKey: `${method} /api/v1/{proxy+}`, source: 'test', now: systemClock.now(),
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    ...(opts.query ? { query: opts.query } : {}),
    ...(opts.raw !== undefined ? { body: opts.raw } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
}

export async function callApi(api: ApiHandler, method: string, path: string, opts: CallOptions = {}) {
  const res = await api(apiEvent(method, path, opts));
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as Record<string, unknown> };
}

/** Claims of a Cognito ID token as API Gateway's JWT authorizer passes them (groups flattened to "[a b]"). */
export const cognitoClaims = (username: string, email: string, groups: string[]) => ({ sub: username, 'cognito:username': username, email, 'cognito:groups': `[${groups.join(' ')}]` });

/** A call as API Gateway makes it after its JWT authorizer accepted a token with these claims. */
export async function callApiWithClaims(api: ApiHandler, claims: Record<string, unknown>, method: string, path: string, opts: Omit<CallOptions, 'token'> = {}) {
  const event = apiEvent(method, path, opts);
  const res = await api({ ...event, requestContext: { ...event.requestContext, authorizer: { jwt: { claims, scopes: [] } } } } as APIGatewayProxyEventV2);
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as Record<string, unknown> };
}
