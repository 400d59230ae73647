import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** Content types API Gateway HTTP APIs pass through as text; other bodies arrive base64. */
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript))/i;

/**
 * One request as it reaches API Gateway. The one builder of HTTP API (payload format 2.0)
 * events: the local stack, the simulator, tests and benchmarks all go through it, so a handler
 * sees the same shape wherever it runs.
 */
export interface HttpApiRequest {
  method: string;
  /** The path as requested (`rawPath`), e.g. `/at/abc/ussd`. */
  path: string;
  /** The route it matched, `POST /at/{token}/ussd`; the method and path when omitted. */
  routeKey?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** As sent; by default the query, encoded. */
  rawQueryString?: string;
  pathParameters?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  sourceIp?: string;
  protocol?: string;
  /** By default the `user-agent` header, else `source`. */
  userAgent?: string;
  requestId?: string;
  /** Names the account and API in the request context: 'local', 'test', 'bench', … */
  source?: string;
  domainName?: string;
  now: Date;
}

export function httpApiEvent(r: HttpApiRequest): APIGatewayProxyEventV2 {
  const routeKey = r.routeKey ?? `${r.method} ${r.path}`;
  const headers = r.headers ?? {};
  const source = r.source ?? 'local';
  const domainName = r.domainName ?? 'localhost';
  const query = r.query ?? {};
  return {
    version: '2.0',
    routeKey,
    rawPath: r.path,
    rawQueryString: r.rawQueryString ?? new URLSearchParams(query).toString(),
    ...(r.cookies ? { cookies: r.cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(r.pathParameters ? { pathParameters: r.pathParameters } : {}),
    requestContext: {
      accountId: source,
      apiId: source,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: r.method,
        path: r.path,
        protocol: r.protocol ?? 'HTTP/1.1',
        sourceIp: r.sourceIp ?? '127.0.0.1',
        userAgent: r.userAgent ?? headers['user-agent'] ?? source,
      },
      requestId: r.requestId ?? randomUUID(),
      routeKey,
      stage: '$default',
      time: r.now.toUTCString(),
      timeEpoch: r.now.getTime(),
    },
    ...(r.body !== undefined ? { body: r.body } : {}),
    isBase64Encoded: r.isBase64Encoded ?? false,
  };
}

/** A form body as HTTP APIs deliver it: base64-encoded, flagged so. */
export function formBody(form: string): Pick<HttpApiRequest, 'body' | 'isBase64Encoded'> {
  return { body: Buffer.from(form).toString('base64'), isBase64Encoded: true };
}

/** An Africa's Talking callback (`/at/{token}/ussd`, `/sms`, …): a form POST under the path token. */
export function atCallbackEvent(
  token: string,
  suffix: string,
  form: string,
  now: Date,
  more: Omit<HttpApiRequest, 'method' | 'path' | 'now'> = {},
): APIGatewayProxyEventV2 {
  return httpApiEvent({
    method: 'POST',
    path: `/at/${token}${suffix}`,
    routeKey: `POST /at/{token}${suffix}`,
    pathParameters: { token },
    ...formBody(form),
    ...more,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...more.headers },
    now,
  });
}

/**
 * Builds the event API Gateway HTTP API would give a Lambda for this request, so the local
 * stack runs the handlers on the same input as in AWS.
 */
export function apiGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  route: { method: string; path: string },
  pathParameters: Record<string, string>,
  now: Date,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = headers.cookie?.split(';').map((c) => c.trim());
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  return httpApiEvent({
    method: req.method ?? 'GET',
    path: url.pathname,
    routeKey: `${route.method} ${route.path}`,
    headers,
    query: Object.fromEntries(url.searchParams),
    rawQueryString: url.search.slice(1),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    ...(cookies ? { cookies } : {}),
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    protocol: `HTTP/${req.httpVersion}`,
    userAgent: headers['user-agent'] ?? '',
    domainName: headers.host ?? 'localhost',
    now,
  });
}

/** A Lambda context good enough for middy and Powertools when running in-process. */
export function lambdaContext(functionName: string, timeoutMs: number): Context {
  // Elapsed time, not calendar time: the monotonic clock, which no simulated or faked date moves.
  const deadline = performance.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - performance.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
