import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadContent } from '../adapters/content.js';
import { createDocumentClient, dynamoConfigFromEnv, tableNameFromEnv } from '../adapters/dynamo/client.js';
import { dynamoPorts } from '../adapters/dynamo/ports.js';
import { createLogger } from '../adapters/logger.js';
import type { Content } from '../core/content/schema.js';
import type { Study } from '../core/model.js';
import type { Clock, ForgetQueue } from '../core/ports/index.js';
import { forgetQueueFromEnv, forgetRunner } from '../adapters/sqs/forget-queue.js';
import { clockFromEnv } from '../adapters/clock.js';
import { currentRoles } from '../core/staff-access.js';
import { bearerToken, type Principal, principalOf, unauthenticatedMessage } from './auth.js';
import { localUserDirectory, userDirectoryFromEnv, userHandlers } from './users.js';
import { openApiDocument } from './openapi.js';
import type { ApiContext } from './context.js';
import { campaignHandlers } from './campaigns.js';
import { simulateHandlers } from './simulate.js';
import { studyHandlers } from './studies.js';
import { impactHandlers } from './impact.js';
import { exportHandlers } from './exports.js';
import { privacyHandlers } from './privacy.js';
import { consoleHandlers } from './console.js';
import { caseHandlers } from './cases.js';
import type { SendQueue } from '../core/ports/queue.js';
import { SqsSendQueue } from '../adapters/sqs/send-queue.js';
import { blindStudy, enumerationHandlers } from './enumeration.js';
import { ApiError, errorResponse, json } from './http.js';
import { type ApiRequest, matchRoute, type RouteName } from './routes.js';
import { invokeDispatcher } from './run-dispatcher.js';

/**
 * The admin API (researchers, NGO staff, admins) under /api/v1: JSON in and out, every body
 * validated with the field at fault named, every route limited to its roles (routes.ts).
 */
export interface ApiDeps {
  /** Every time the handler stamps or compares comes from here (tests and the local stack supply theirs). */
  clock: Clock;
  /** Runs the dispatcher now: in-process locally, an asynchronous invoke in AWS. */
  runDispatch: () => Promise<unknown>;
  /**
   * Where case steps queue the participant's SMS (SQS in AWS, the local queue on `npm start`).
   * Without one, a step that owes an SMS fails loudly rather than dropping it.
   */
  queue?: SendQueue;
  /** Where an admin's "forget me" goes (FORGET_QUEUE_URL in AWS; the local stack's queue). */
  forgets?: ForgetQueue;
}

export function createApiHandler(deps: ApiDeps) {
  const log = createLogger();
  const { clock } = deps;
  const ports = dynamoPorts(createDocumentClient(dynamoConfigFromEnv()), tableNameFromEnv(), clock);
  let content: Promise<Content> | undefined;

  const study = async (r: ApiRequest): Promise<Study> => {
    const s = await ports.studies.getStudy(r.params.studyId ?? '');
    if (!s) throw new ApiError(404, `No study "${r.params.studyId}".`);
    return s;
  };

  // An admin's forget sends no SMS: the inline runner (tests only) never needs a send queue.
  const forgets = deps.forgets ?? forgetQueueFromEnv(forgetRunner(ports.forget, { enqueue: async () => undefined }, clock, log));
  const ctx: ApiContext = { ports, clock, log, content: () => (content ??= loadContent()), study, forgets };
  // Locally (configured tokens, no Cognito), accounts an admin invited carry tokens of their own.
  const localAccounts = !process.env.USER_POOL_ID && process.env.SAUTI_API_TOKENS ? localUserDirectory(ctx) : undefined;
  const directory = userDirectoryFromEnv(ctx);
  const rolesNow = currentRoles(directory, clock);
  /** A token's caller with the roles the directory gives them now: a disabled or emptied account is no caller. */
  const confirmed = async (p: Principal): Promise<Principal> => {
    if (!p.fromToken) return p;
    const roles = await rolesNow(p.username);
    if (!roles?.length) throw new ApiError(401, 'Your account is disabled or has no role any more; ask an admin.');
    return { ...p, roles };
  };
  const handlers: Record<RouteName, (r: ApiRequest) => Promise<unknown>> = {
    ...userHandlers(ctx, directory),
    ...studyHandlers(ctx),
    ...simulateHandlers(ctx),
    ...impactHandlers(ctx),
    ...exportHandlers(ctx),
    ...privacyHandlers(ctx),
    ...consoleHandlers(ctx),
    ...campaignHandlers(ctx),
    ...caseHandlers(ctx, deps.queue ?? noQueue),
    ...enumerationHandlers(ctx),
    listStudies: async (r) => {
      const all = await Promise.all((await ports.studies.studyIds()).map((id) => ports.studies.getStudy(id)));
      const studies = all.filter((s): s is Study => s !== undefined);
      // Enumerators stay blind to treatment: no arms, no outcomes.
      return { studies: r.principal.roles.every((role) => role === 'enumerator') ? studies.map(blindStudy) : studies };
    },
    outbox: async (r) => {
      await study(r);
      const limit = Math.min(Math.max(Number(r.query.limit ?? 50) || 50, 1), 500);
      return { messages: await ports.outbox.list({ studyId: r.params.studyId as string, limit, ...(r.query.phone ? { to: r.query.phone } : {}) }) };
    },
    dispatch: async () => ({ dispatch: await deps.runDispatch() }),
    openapi: async () => openApiDocument('v1'),
  };

  return async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    try {
      const path = event.rawPath.replace(/^\/api\/v1/, '') || '/';
      const match = matchRoute(event.requestContext.http.method, path);
      if (match === undefined) throw new ApiError(404, `No route ${event.requestContext.http.method} /api/v1${path}.`);
      if (match === 'methodNotAllowed') throw new ApiError(405, `Method ${event.requestContext.http.method} is not allowed on /api/v1${path}.`);
      const token = localAccounts ? bearerToken(event) : undefined;
      const claimed = principalOf(event, process.env, clock.now().getTime()) ?? (token ? await localAccounts?.principal(token) : undefined);
      if (!claimed) throw new ApiError(401, unauthenticatedMessage(event, process.env, clock.now().getTime()));
      // Every route, not only the admin ones: a disabled account should read nothing either.
      const principal = await confirmed(claimed);
      if (!principal.roles.some((role) => (match.route.roles as readonly string[]).includes(role))) {
        throw new ApiError(403, `This needs the role ${match.route.roles.join(' or ')}; you have ${principal.roles.join(', ')}.`);
      }
      // No id is this long; past DynamoDB's key size a lookup would fail as a 500, not a 404.
      if (Object.values(match.params).some((p) => p.length > 200)) throw new ApiError(404, `No such resource: an id in /api/v1${path.slice(0, 80)}… is too long.`);
      const request: ApiRequest = { principal, params: match.params, query: (event.queryStringParameters ?? {}) as Record<string, string>, body: parseBody(event), event };
      const status = match.name === 'createCampaign' || match.name === 'createStudy' || match.name === 'inviteUser' ? 201 : 200;
      return json(status, await handlers[match.name](request));
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err);
      log.error('api error', { error: err instanceof Error ? err.message : String(err) });
      return json(500, { error: 'Something went wrong on our side; it is logged.' });
    }
  };
}

const noQueue: SendQueue = {
  enqueue: async () => {
    throw new Error('this API has no send queue: a case step cannot queue its SMS');
  },
};

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'The body is not valid JSON.');
  }
}

export const handler = createApiHandler({ runDispatch: invokeDispatcher, clock: clockFromEnv(), queue: new SqsSendQueue(process.env.SEND_QUEUE_URL ?? '') });
