import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadContent } from '../adapters/content.js';
import { DynamoCampaignStore } from '../adapters/dynamo/campaign-store.js';
import { createDocumentClient, dynamoConfigFromEnv } from '../adapters/dynamo/client.js';
import { DynamoOutboxGateway } from '../adapters/dynamo/outbox-gateway.js';
import { DynamoParticipantStore } from '../adapters/dynamo/participant-store.js';
import { DynamoStudyStore } from '../adapters/dynamo/study-store.js';
import { createLogger } from '../adapters/logger.js';
import { campaignProblems } from '../core/campaign/check.js';
import { CampaignStateError, cancelCampaign, newCampaign, pauseCampaign, resumeCampaign } from '../core/campaign/lifecycle.js';
import type { Campaign } from '../core/campaign/model.js';
import { type AudienceRow, previewCampaign } from '../core/campaign/preview.js';
import type { Content } from '../core/content/schema.js';
import type { Study } from '../core/model.js';
import type { Clock } from '../core/ports.js';
import { clockFromEnv } from '../adapters/clock.js';
import { bearerToken, principalOf, unauthenticatedMessage } from './auth.js';
import { localUserDirectory, userDirectoryFromEnv, userHandlers } from './users.js';
import { openApiDocument } from './openapi.js';
import type { ApiContext } from './context.js';
import { campaignBody } from './schemas.js';
import { simulateHandlers } from './simulate.js';
import { studyHandlers } from './studies.js';
import { impactHandlers } from './impact.js';
import { exportHandlers } from './exports.js';
import { privacyHandlers } from './privacy.js';
import { consoleHandlers } from './console.js';
import { ApiError, errorResponse, json, validated } from './http.js';
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
}

export function createApiHandler(deps: ApiDeps) {
  const log = createLogger();
  const doc = createDocumentClient(dynamoConfigFromEnv());
  const tableName = process.env.TABLE_NAME ?? 'sauti';
  const studies = new DynamoStudyStore(doc, tableName);
  const campaigns = new DynamoCampaignStore(doc, tableName);
  const participants = new DynamoParticipantStore(doc, tableName);
  const { clock } = deps;
  const outbox = new DynamoOutboxGateway(doc, tableName, () => clock.now());
  let content: Promise<Content> | undefined;

  const study = async (r: ApiRequest): Promise<Study> => {
    const s = await studies.getStudy(r.params.studyId ?? '');
    if (!s) throw new ApiError(404, `No study "${r.params.studyId}".`);
    return s;
  };
  const campaign = async (r: ApiRequest): Promise<Campaign> => {
    const c = await campaigns.get(r.params.studyId ?? '', r.params.campaignId ?? '');
    if (!c) throw new ApiError(404, `No campaign "${r.params.campaignId}" in study "${r.params.studyId}".`);
    return c;
  };
  const parseCampaign = (body: unknown) => validated(campaignBody, body, 'campaign');
  /** Who a campaign could reach: consented participants who take SMS, by arm and language. */
  const audience = async (s: Study): Promise<AudienceRow[]> => {
    const counts = new Map<string, AudienceRow>();
    for (const p of await participants.listByStudy(s.studyId)) {
      if (p.consent.state !== 'consented' || p.channel === 'ussd' || !p.armId) continue;
      const lang = p.lang ?? s.languages[0] ?? 'en';
      const row = counts.get(`${p.armId}|${lang}`) ?? { armId: p.armId, lang, count: 0 };
      row.count += 1;
      counts.set(`${p.armId}|${lang}`, row);
    }
    return [...counts.values()];
  };
  const preview = async (s: Study, c: Parameters<typeof previewCampaign>[0]) => {
    const result = previewCampaign(c, s, await (content ??= loadContent()), await audience(s), clock.now());
    if (!result.ok) throw new ApiError(400, 'The campaign cannot be scheduled.', result.problems);
    return result.preview;
  };
  const transition = async (r: ApiRequest, change: (c: Campaign, now: Date, s: Study) => Campaign) => {
    const [s, c] = await Promise.all([study(r), campaign(r)]);
    let next: Campaign;
    try {
      next = change(c, clock.now(), s);
    } catch (err) {
      if (err instanceof CampaignStateError) throw new ApiError(409, err.message);
      throw err;
    }
    if (!(await campaigns.save(next, c.updatedAt))) throw new ApiError(409, 'The campaign was changed by someone else meanwhile; read it again.');
    log.info('campaign changed', { campaignId: c.campaignId, status: next.status, by: r.principal.name });
    return next;
  };

  const ctx: ApiContext = { doc, tableName, clock, log, content: () => (content ??= loadContent()), study };
  // Locally (configured tokens, no Cognito), accounts an admin invited carry tokens of their own.
  const localAccounts = !process.env.USER_POOL_ID && process.env.SAUTI_API_TOKENS ? localUserDirectory(ctx) : undefined;
  const handlers: Record<RouteName, (r: ApiRequest) => Promise<unknown>> = {
    ...userHandlers(ctx, userDirectoryFromEnv(ctx)),
    ...studyHandlers(ctx),
    ...simulateHandlers(ctx),
    ...impactHandlers(ctx),
    ...exportHandlers(ctx),
    ...privacyHandlers(ctx),
    ...consoleHandlers(ctx),
    listStudies: async () => {
      const all = await Promise.all((await studies.studyIds()).map((id) => studies.getStudy(id)));
      return { studies: all.filter((s): s is Study => s !== undefined) };
    },
    outbox: async (r) => {
      await study(r);
      const limit = Math.min(Math.max(Number(r.query.limit ?? 50) || 50, 1), 500);
      return { messages: await outbox.list({ studyId: r.params.studyId as string, limit, ...(r.query.phone ? { to: r.query.phone } : {}) }) };
    },
    listCampaigns: async (r) => {
      await study(r);
      return { campaigns: await campaigns.list(r.params.studyId as string) };
    },
    previewDraft: async (r) => ({ preview: await preview(await study(r), parseCampaign(r.body)) }),
    createCampaign: async (r) => {
      const s = await study(r);
      const input = parseCampaign(r.body);
      const problems = campaignProblems(input, s, await (content ??= loadContent()));
      if (problems.length > 0) throw new ApiError(400, 'The campaign cannot be scheduled.', problems);
      const c = newCampaign(input, { campaignId: randomUUID().slice(0, 8), studyId: s.studyId, createdBy: r.principal.name, now: clock.now() });
      if (!(await campaigns.create(c))) throw new ApiError(409, 'A campaign with this id exists; try again.');
      log.info('campaign created', { campaignId: c.campaignId, by: r.principal.name });
      return { campaign: c, preview: await preview(s, c) };
    },
    getCampaign: async (r) => ({ campaign: await campaign(r) }),
    previewCampaign: async (r) => ({ preview: await preview(await study(r), await campaign(r)) }),
    pauseCampaign: async (r) => ({ campaign: await transition(r, (c, now) => pauseCampaign(c, now)) }),
    resumeCampaign: async (r) => ({ campaign: await transition(r, (c, now, s) => resumeCampaign(c, now, s)) }),
    cancelCampaign: async (r) => ({ campaign: await transition(r, (c, now) => cancelCampaign(c, now)) }),
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
      const principal = principalOf(event, process.env, clock.now().getTime()) ?? (token ? await localAccounts?.principal(token) : undefined);
      if (!principal) throw new ApiError(401, unauthenticatedMessage(event, process.env, clock.now().getTime()));
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

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'The body is not valid JSON.');
  }
}

export const handler = createApiHandler({ runDispatch: invokeDispatcher, clock: clockFromEnv() });
