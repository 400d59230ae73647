import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createReadStream } from 'node:fs';
import { type LambdaName, type Route, routes } from '../routes.js';
import { audioFileForUrl } from '../../functions/adapters/audio-files.js';
import { apiGatewayEvent, lambdaContext } from './event.js';
import type { LocalRoutes } from './simulator.js';
import { serveStatic } from './static.js';
import { decodePathParams } from '../../functions/adapters/apigw.js';
import type { Clock } from '../../functions/core/ports/index.js';
import type { HttpHandler } from './http-handler.js';

export type { HttpHandler };

/** AT bodies are tiny: 64 KB is plenty. The admin API takes CSV files: API Gateway's own 10 MB. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_API_BODY_BYTES = 10 * 1024 * 1024;

/** `/at/{token}/ussd` as a regular expression with named groups for its parameters. */
function routeMatcher(route: Pick<Route, 'path'>): RegExp {
  const pattern = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{(\w+)\\\+\\?\}/g, '(?<$1>.+)') // {proxy+}: the rest of the path
    .replace(/\\?\{(\w+)\\?\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${pattern}$`);
}

type AnyRoute = Route;
const compiled = routes.map((route: AnyRoute) => ({ route, matcher: routeMatcher(route) }));

/** The handlers the server invokes; the voice IVR's is made on first use when not given. */
export type LocalHandlers = Record<Exclude<LambdaName, 'voice'>, HttpHandler> & { voice?: HttpHandler };

/** The voice handler made on first use with the stack's clock, so `npm start` serves it without main.ts knowing. */
let lazyVoice: Promise<HttpHandler> | undefined;
function voiceHandler(clock: Clock): Promise<HttpHandler> {
  lazyVoice ??= import('../../functions/voice/handler.js').then((m) => m.createVoiceHandler({ clock }) as HttpHandler);
  return lazyVoice;
}

const AUDIO_TYPES: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg' };

/** `/audio/<lang>/<file>`: the voice prompts' recordings (field recordings, else the generated ones). */
function serveAudio(path: string, res: ServerResponse, head: boolean): boolean {
  const m = /^\/audio\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m) return false;
  let file: string | undefined;
  try {
    file = audioFileForUrl(decodeURIComponent(m[1] as string), decodeURIComponent(m[2] as string));
  } catch {
    file = undefined;
  }
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return true;
  }
  res.writeHead(200, { 'content-type': AUDIO_TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  if (head) res.end();
  else createReadStream(file).pipe(res);
  return true;
}

/**
 * The local stand-in for API Gateway: matches the routes of infra/routes.ts and invokes
 * the very same Lambda handlers with API Gateway v2 events.
 */
export interface LocalExtras {
  /** The stack's clock: the events' request times, as every handler sees them. */
  clock: Clock;
  /** Local-only endpoints under /local/ (the phone simulator, export downloads). */
  local?: LocalRoutes;
  /** The built web console (web/dist), served at / and every non-API GET path. */
  webRoot?: string;
}

export function createLocalServer(handlers: LocalHandlers, extras: LocalExtras): Server {
  return createServer((req, res) => {
    void serve(req, res, handlers, extras).catch((err: unknown) => {
      console.error('local server error', err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
    });
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, handlers: LocalHandlers, extras: LocalExtras): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  let match: { route: AnyRoute; params: Record<string, string> } | undefined;
  for (const { route, matcher } of compiled) {
    const m = matcher.exec(path);
    if (m && route.method === req.method) {
      const params = decodePathParams(m.groups);
      // A malformed escape matches nothing: the 404 below, not a 500.
      if (params) match = { route, params };
      break;
    }
  }
  if (!match) {
    if (extras.local && path.startsWith('/local/')) {
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === undefined) res.writeHead(413, { 'content-type': 'text/plain' }).end('Payload Too Large');
      else if (!(await extras.local(req, res, body))) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && serveAudio(path, res, req.method === 'HEAD')) return;
    // API and callback paths keep their plain 404; every other page is the console's.
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && !/^\/(api|at|local|audio)(\/|$)/.test(path);
    if (extras.webRoot && isPage) {
      await serveStatic(extras.webRoot, path, res, req.method === 'HEAD');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  const body = await readBody(req, match.route.lambda === 'api' ? MAX_API_BODY_BYTES : MAX_BODY_BYTES);
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'text/plain' }).end('Payload Too Large');
    return;
  }
  if (match.route.lambda === 'health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const lambda = match.route.lambda;
  const event = apiGatewayEvent(req, body, match.route, match.params, extras.clock.now());
  const handler = lambda === 'voice' ? (handlers.voice ?? (await voiceHandler(extras.clock))) : handlers[lambda];
  const result = await handler(event, lambdaContext(lambda, 10_000));
  const headers = { ...(result.headers ?? {}) } as Record<string, string>;
  const payload = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  res.writeHead(result.statusCode ?? 200, headers).end(payload);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
