import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { content } from '../../content/index.js';
import { createDocumentClient, createDynamoClient } from '../../functions/adapters/dynamo/client.js';
import { ensureTable } from '../../functions/adapters/dynamo/table.js';
import { apiRoutes, bodies } from '../../functions/api/routes.js';
import { renderScreen } from '../../functions/core/ussd/screen.js';
import { fitsUssd } from '../../functions/core/ussd/limits.js';
import { routes } from '../../infra/routes.js';
import { httpApiEvent } from '../../infra/local/event.js';
import { seedDemos } from '../../infra/local/seed.js';
import { snapshot } from './faults-rig.js';
import { type FuzzResult, hostile, newResult } from './fuzz-strings.js';
import { randomUUID } from 'node:crypto';

/**
 * Every HTTP route (infra/routes.ts) and every admin API route (functions/api/routes.ts), fed
 * random methods, headers, content types, path parameters and bodies (random JSON, form fields
 * with the expected names and hostile values, binary, over-long), straight into the real Lambda
 * handlers on DynamoDB Local. Each request: no throw, no 5xx; USSD always 200 with a screen
 * that fits; and a rejected request (4xx, or a USSD fallback screen) leaves the table exactly
 * as it was (a Scan before and after).
 */
type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const TOKEN = 'fuzz-token';
const ADMIN = 'fuzz-admin';
const STUDY = 'athi-river-2026';
const SERVICE_CODE = '*384*123#';

export interface HttpFuzzWorld {
  endpoint: string;
  /** One table per handler: the USSD handler's is fixed when its module loads. */
  tables: { ussd: string; atCallbacks: string; api: string };
  handlers: { ussd: Handler; atCallbacks: Handler; api: Handler };
  /** Admins disabled mid-session: a local token the invitation gave, and Cognito claims still signed. */
  disabled: { token: string; claims: Record<string, unknown> };
}

/** Invites two admins and disables them: whatever they send later must be refused. */
async function disabledAdmins(api: Handler): Promise<HttpFuzzWorld['disabled']> {
  const send = async (method: string, path: string, body?: unknown) =>
    JSON.parse(String((await api(httpApiEvent({ method, path: `/api/v1${path}`, headers: { authorization: `Bearer ${ADMIN}` }, ...(body ? { body: JSON.stringify(body) } : {}), source: 'fuzz', now: FUZZ_NOW }))).body)) as { user: { username: string }; token: string };
  const local = await send('POST', '/users', { email: 'fuzz-local@example.org', role: 'admin' });
  const jwt = await send('POST', '/users', { email: 'fuzz-jwt@example.org', role: 'admin' });
  for (const { user } of [local, jwt]) await send('POST', `/users/${user.username}/disable`);
  const claims = { sub: jwt.user.username, 'cognito:username': jwt.user.username, email: 'fuzz-jwt@example.org', 'cognito:groups': '[admin]' };
  return { token: local.token, claims };
}

async function seededTable(endpoint: string, name: string): Promise<string> {
  await ensureTable(createDynamoClient({ endpoint }), name);
  await seedDemos(createDocumentClient({ endpoint }), name, SERVICE_CODE, new Date('2026-11-16T06:00:00Z'));
  return name;
}

/** The fuzzed handlers' clock, and their events' request time. */
const FUZZ_NOW = new Date('2026-11-25T09:00:00Z');

/** Sets the environment and loads the handlers (the USSD one reads it at import: once per process). */
export async function httpFuzzWorld(endpoint: string): Promise<HttpFuzzWorld> {
  const stamp = randomUUID().slice(0, 8);
  const tables = {
    ussd: await seededTable(endpoint, `fuzz-ussd-${stamp}`),
    atCallbacks: await seededTable(endpoint, `fuzz-cb-${stamp}`),
    api: await seededTable(endpoint, `fuzz-api-${stamp}`),
  };
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'local', SAUTI_CALLBACK_TOKEN: TOKEN, POWERTOOLS_LOG_LEVEL: 'SILENT',
    SAUTI_API_TOKENS: JSON.stringify({ [ADMIN]: { role: 'admin', name: 'Fuzz' }, 'fuzz-ngo': { role: 'ngo' } }),
    SAUTI_PSEUDONYM_KEY: 'fuzz-pseudonym-key-16+', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const clock = { now: () => FUZZ_NOW };
  process.env.TABLE_NAME = tables.ussd;
  const ussd = (await import('../../functions/ussd/handler.js')).createUssdHandler({ clock }) as Handler;
  process.env.TABLE_NAME = tables.atCallbacks;
  const { createCallbacksHandler } = await import('../../functions/at-callbacks/handler.js');
  const atCallbacks = createCallbacksHandler({ queue: { enqueue: async () => undefined }, clock }) as unknown as Handler;
  process.env.TABLE_NAME = tables.api;
  const { createApiHandler } = await import('../../functions/api/handler.js');
  const api = createApiHandler({ clock, runDispatch: async () => ({}) }) as unknown as Handler;
  return { endpoint, tables, handlers: { ussd, atCallbacks, api }, disabled: await disabledAdmins(api) };
}

interface Req {
  method: string;
  path: string;
  pathParameters: Record<string, string>;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: string | undefined;
  isBase64Encoded: boolean;
  /** Sent as an admin disabled mid-session (a JWT's claims, or a local token): must be refused. */
  disabledCaller?: { claims?: Record<string, unknown> };
}

function eventOf(r: Req, routeKey: string): APIGatewayProxyEventV2 {
  const event = plainEventOf(r, routeKey);
  const claims = r.disabledCaller?.claims;
  return claims ? { ...event, requestContext: { ...event.requestContext, authorizer: { jwt: { claims, scopes: [] } } } } as APIGatewayProxyEventV2 : event;
}

function plainEventOf(r: Req, routeKey: string): APIGatewayProxyEventV2 {
  return httpApiEvent({
    method: r.method, path: r.path, routeKey, headers: r.headers, query: r.query, pathParameters: r.pathParameters,
    ...(r.body !== undefined ? { body: r.body } : {}),
    isBase64Encoded: r.isBase64Encoded, source: 'fuzz', userAgent: 'fuzz', requestId: 'fuzz', now: FUZZ_NOW,
  });
}

/** Percent-encodes a path segment; a lone surrogate (which no URL can carry) becomes U+FFFD first. */
const segment = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

const contentTypes = fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'multipart/form-data; boundary=x', '', 'application/x-www-form-urlencoded; charset=utf-16', 'application/xml');

/** Form fields with the names a route expects (so parsing goes deep) and hostile values, plus strays. */
function formOf(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const named = fc.record(fields, { requiredKeys: [] });
  return fc.tuple(named, fc.dictionary(hostile(20), hostile(40), { maxKeys: 3 }), fc.boolean()).map(([f, extra, dup]) => {
    const params = new URLSearchParams({ ...extra, ...(f as Record<string, string>) });
    // A field given twice: which one wins must not matter for safety.
    if (dup) for (const [k, v] of Object.entries(f)) params.append(k, `${String(v)}x`);
    return params.toString();
  });
}

const jsonBody = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
const bodyOf = (form: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: form },
    { weight: 2, arbitrary: jsonBody },
    { weight: 2, arbitrary: hostile(300) },
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 1_200_000 }).map((n) => `text=${'9*'.repeat(n / 2)}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

function request(path: (token: string) => string, method: string, form: fc.Arbitrary<string>): fc.Arbitrary<Req> {
  return fc
    .record({
      method: fc.oneof({ weight: 5, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'post') }),
      token: fc.oneof({ weight: 6, arbitrary: fc.constant(TOKEN) }, { weight: 1, arbitrary: hostile(80) }),
      contentType: contentTypes,
      headers: fc.dictionary(fc.constantFrom('authorization', 'x-forwarded-for', 'content-length', 'accept', 'cookie', 'x-amz-date', 'host'), hostile(60), { maxKeys: 3 }),
      body: bodyOf(form),
      base64: fc.boolean(),
      badBase64: fc.boolean(),
    })
    .map((r) => ({
      method: r.method,
      path: path(r.token),
      pathParameters: { token: r.token },
      headers: { ...r.headers, 'content-type': r.contentType },
      query: {},
      body: r.body === undefined ? undefined : r.base64 ? (r.badBase64 ? `${r.body}!!` : Buffer.from(r.body).toString('base64')) : r.body,
      isBase64Encoded: r.base64,
    }));
}

const phone = fc.oneof(fc.constantFrom('+254700000001', '+254700000003', '+254711999999', '254700000002', '+8801700000001'), hostile(40));
const ussdText = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom('1', '2', '3', '0', '98', '99', '00', '', '12', '8000', '1,500', '٣', '১', '1 2'), hostile(8)), { maxLength: 25 }).map((a) => a.join('*')),
  hostile(500),
  fc.constantFrom('', '*', '**', '1**2', '*1', '1*', '#', '%2A', '1*'.repeat(300)),
);

/** The callback routes of infra/routes.ts with the fields Africa's Talking sends on each. */
function callbackRequests(): { route: string; lambda: 'ussd' | 'atCallbacks'; arb: fc.Arbitrary<Req> }[] {
  const short = hostile(30);
  const forms: Record<string, fc.Arbitrary<string>> = {
    '/at/{token}/ussd': formOf({ sessionId: fc.oneof(fc.constantFrom('ATUid_fuzz_1', 'ATUid_fuzz_2'), short), serviceCode: fc.oneof(fc.constant(SERVICE_CODE), short), phoneNumber: phone, networkCode: short, text: ussdText }),
    '/at/{token}/ussd/events': formOf({ sessionId: short, status: fc.oneof(fc.constantFrom('Incomplete', 'Success', 'Failed'), short), durationInMillis: short, hopsCount: short, input: ussdText, lastAppResponse: hostile(200), errorMessage: short }),
    '/at/{token}/sms': formOf({ id: fc.oneof(fc.constantFrom('ATSMS_1', 'ATSMS_2'), short), from: phone, to: fc.oneof(fc.constant('20880'), short), text: hostile(400), date: short, linkId: short, networkCode: short }),
    // Infobip's webhooks take JSON: shapes near Infobip's, and anything else.
    '/hooks/{token}/infobip/reports': fc.oneof(
      fc.record({ results: fc.array(fc.record({ messageId: short, to: phone, status: fc.record({ groupId: fc.integer({ min: -1, max: 7 }), name: fc.oneof(fc.constantFrom('DELIVERED_TO_HANDSET', 'REJECTED_DND', 'PENDING_ENROUTE'), short) }) }), { maxLength: 3 }) }).map((o) => JSON.stringify(o)),
      jsonBody,
    ),
    '/hooks/{token}/infobip/inbound': fc.oneof(
      fc.record({ results: fc.array(fc.record({ messageId: fc.oneof(fc.constantFrom('IB_1', 'IB_2'), short), from: phone, to: fc.oneof(fc.constant('20880'), short), text: hostile(400) }), { maxLength: 3 }) }).map((o) => JSON.stringify(o)),
      jsonBody,
    ),
    '/at/{token}/sms/delivery': formOf({ id: short, status: fc.oneof(fc.constantFrom('Sent', 'Submitted', 'Buffered', 'Rejected', 'Success', 'Failed', 'AbsentSubscriber', 'Expired'), short), phoneNumber: phone, networkCode: short, failureReason: short, retryCount: short }),
  };
  const out: { route: string; lambda: 'ussd' | 'atCallbacks'; arb: fc.Arbitrary<Req> }[] = [];
  for (const r of routes) {
    // The voice IVR's forms are fuzzed by its own property test (every response valid XML), not in this world yet.
    if (r.lambda === 'api' || r.lambda === 'voice') continue;
    if (r.lambda === 'health') {
      out.push({ route: `${r.method} ${r.path}`, lambda: 'atCallbacks', arb: request(() => '/health', r.method, hostile(50)) });
      continue;
    }
    const form = forms[r.path];
    if (!form) throw new Error(`fuzz-http: no form for the new route ${r.path}: add one`);
    out.push({ route: `${r.method} ${r.path}`, lambda: r.lambda, arb: request((t) => r.path.replace('{token}', segment(t)), r.method, form) });
  }
  return out;
}

/** An admin route with its path parameters (real ids or hostile segments) and a body near its schema. */
function apiRequest(disabled: HttpFuzzWorld['disabled']): fc.Arbitrary<{ route: string; req: Req }> {
  const entries = Object.entries(apiRoutes) as [string, { method: string; path: string; body?: keyof typeof bodies }][];
  const encoded = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(STUDY, 'dhaka-garment-2026', 'demo-001', 'p_x', 'misconfigured') }, { weight: 2, arbitrary: hostile(40).filter((s) => s.length > 0) }, { weight: 1, arbitrary: fc.constantFrom('..', '%2F', 'a'.repeat(3000)) });
  // Malformed percent-escapes go into the path as they are (a truncated UTF-8 sequence, a lone '%').
  const param = fc.oneof({ weight: 6, arbitrary: encoded.map((value) => ({ value, raw: false })) }, { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%', '%zz', 'demo%C0', '%ED%A0%80').map((value) => ({ value, raw: true })) });
  return fc.constantFrom(...entries).chain(([name, route]) => {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    // zod/mini exposes an object schema's fields on `def.shape`; bodies built from those names get past the first checks.
    // A union schema (an action with its type, an assignment by hand or balanced) has no one shape.
    const shape = route.body ? (bodies[route.body] as unknown as { def: { shape?: Record<string, unknown> } }).def.shape : undefined;
    const keys = shape ? Object.keys(shape) : [];
    const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostile(60), fc.integer(), fc.boolean(), fc.array(hostile(10), { maxLength: 4 }));
    const near = keys.length > 0 ? fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: hostile(10) }), value, { maxKeys: keys.length + 1 }).map((o) => JSON.stringify(o)) : jsonBody;
    return fc
      .record({
        params: fc.tuple(...names.map(() => param)),
        method: fc.oneof({ weight: 6, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') }),
        auth: fc.oneof({ weight: 8, arbitrary: fc.constant(`Bearer ${ADMIN}`) }, { weight: 1, arbitrary: fc.constant('Bearer fuzz-ngo') }, { weight: 1, arbitrary: hostile(40) }, { weight: 1, arbitrary: fc.constantFrom('disabled-token', 'disabled-jwt') }),
        contentType: contentTypes,
        body: fc.oneof({ weight: 5, arbitrary: near }, { weight: 2, arbitrary: jsonBody }, { weight: 2, arbitrary: hostile(200) }, { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 2_000_000 }).map((n) => JSON.stringify({ csv: 'p'.repeat(n) })) }, { weight: 1, arbitrary: fc.constant(undefined) }),
        query: fc.dictionary(fc.constantFrom('limit', 'cursor', 'arm', 'lang', 'format', 'x'), hostile(30), { maxKeys: 2 }),
        base64: fc.boolean(),
      })
      .map((r) => {
        let path = route.path;
        const given = r.params as { value: string; raw: boolean }[];
        names.forEach((n, i) => (path = path.replace(`{${n}}`, given[i]?.raw ? given[i].value : segment(given[i]?.value ?? ''))));
        const params = Object.fromEntries(names.map((n, i) => [n, given[i]?.value ?? '']));
        return {
          route: `${route.method} /api/v1${route.path} (${name})`,
          req: {
            method: r.method, path: `/api/v1${path}`, pathParameters: { proxy: path.slice(1), ...params }, query: r.query,
            headers: { 'content-type': r.contentType, ...(r.auth === 'disabled-jwt' ? {} : { authorization: r.auth === 'disabled-token' ? `Bearer ${disabled.token}` : r.auth }) },
            body: r.body === undefined ? undefined : r.base64 ? Buffer.from(r.body).toString('base64') : r.body, isBase64Encoded: r.base64 && r.body !== undefined,
            ...(r.auth === 'disabled-jwt' ? { disabledCaller: { claims: disabled.claims } } : r.auth === 'disabled-token' ? { disabledCaller: {} } : {}),
          },
        };
      });
  });
}

const fallbackScreens = new Set(content.languages.flatMap((l) => [renderScreen('END', [content.strings[l]?.sorry ?? 'Sorry.']), renderScreen('END', [content.strings[l]?.unavailable ?? 'Sorry.'])]));

/** Sends one request and checks the rules; returns a problem, or undefined. */
async function probe(w: HttpFuzzWorld, lambda: keyof HttpFuzzWorld['handlers'], route: string, req: Req, result: FuzzResult): Promise<string | undefined> {
  const table = w.tables[lambda];
  const before = await snapshot(w.endpoint, table);
  let res: APIGatewayProxyStructuredResultV2;
  result.runs += 1;
  try {
    res = await w.handlers[lambda](eventOf(req, route));
  } catch (err) {
    result.thrown += 1;
    return `${route}: threw ${err instanceof Error ? err.message : String(err)}`;
  }
  const status = res.statusCode ?? 200;
  result.statuses[status] = (result.statuses[status] ?? 0) + 1;
  if (status >= 500) {
    result.http5xx += 1;
    // The request's path and query too, so a 5xx can be replayed by hand.
    return `${route}: HTTP ${status} ${String(res.body).slice(0, 120)} for ${JSON.stringify({ path: req.path, query: req.query }).slice(0, 300)}`;
  }
  const body = String(res.body ?? '');
  // Only an unknown path or method may answer a disabled caller otherwise: routing comes first.
  if (req.disabledCaller && ![401, 404, 405].includes(status)) return `${route}: a disabled admin got ${status} ${body.slice(0, 80)}`;
  let rejected = status >= 400;
  if (lambda === 'ussd' && req.path.endsWith('/ussd') && status === 200) {
    if (!/^(CON|END) /.test(body) || !fitsUssd(body)) return `${route}: not a USSD screen that fits: ${JSON.stringify(body.slice(0, 200))}`;
    rejected = fallbackScreens.has(body);
  }
  if (!rejected) return undefined;
  result.rejected += 1;
  const after = await snapshot(w.endpoint, table);
  if (after !== before) {
    result.stateChanges += 1;
    return `${route}: rejected (${status} ${JSON.stringify(body.slice(0, 80))}) but the table changed`;
  }
  return undefined;
}

/** Every callback route and the health route: `runs` random requests each. */
export async function fuzzCallbackRoutes(w: HttpFuzzWorld, runs: number, seed = 42): Promise<FuzzResult> {
  const result = newResult('HTTP: Africa\'s Talking callbacks, USSD and health (infra/routes.ts)');
  for (const { route, lambda, arb } of callbackRequests()) {
    const out = await fc.check(fc.asyncProperty(arb, async (req) => {
      const problem = await probe(w, lambda, route, req, result);
      if (problem) result.problems.push(problem);
      return problem === undefined;
    }), { numRuns: runs, seed, endOnFailure: true });
    if (out.failed && out.counterexample) result.examples.push(`${route}: ${JSON.stringify(out.counterexample[0]).slice(0, 400)}`);
  }
  return result;
}

/** The admin API: `runs` random requests spread over every route of functions/api/routes.ts. */
export async function fuzzApiRoutes(w: HttpFuzzWorld, runs: number, seed = 43): Promise<FuzzResult> {
  const result = newResult('HTTP: admin API, every route and body schema (functions/api/routes.ts)');
  const out = await fc.check(fc.asyncProperty(apiRequest(w.disabled), async ({ route, req }) => {
    const problem = await probe(w, 'api', route, req, result);
    if (problem) result.problems.push(problem);
    return problem === undefined;
  }), { numRuns: runs, seed, endOnFailure: true });
  if (out.failed && out.counterexample) result.examples.push(JSON.stringify(out.counterexample[0]).slice(0, 400));
  return result;
}
