import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { formFields, notFound, tokenAccepted } from '../adapters/apigw.js';
import { localAudioCatalog } from '../adapters/audio-files.js';
import { callbackTokens } from '../adapters/callback-token.js';
import { clockFromEnv } from '../adapters/clock.js';
import { loadContent } from '../adapters/content.js';
import { createDocumentClient, dynamoConfigFromEnv } from '../adapters/dynamo/client.js';
import { DynamoParticipantStore } from '../adapters/dynamo/participant-store.js';
import { DynamoStudyStore } from '../adapters/dynamo/study-store.js';
import { DynamoUssdStore } from '../adapters/dynamo/ussd-store.js';
import { DynamoCallerDirectory } from '../adapters/dynamo/voice-callers.js';
import { DynamoCallAttemptStore } from '../adapters/dynamo/call-attempts.js';
import { DynamoVoiceCallStore } from '../adapters/dynamo/voice-calls.js';
import { createLogger } from '../adapters/logger.js';
import { callbackRefusal } from '../adapters/source-ip.js';
import type { Clock } from '../core/ports/index.js';
import { messageResponse, type AudioCatalog } from '../core/voice/render.js';
import { handleVoice, type VoiceRequest } from '../core/voice/service.js';

/**
 * Africa's Talking voice callback (POST, form-encoded) at `/at/{token}/voice`: one step of an
 * IVR call. Answers 200 with AT's XML, always; a fault is an apology in valid XML, never a 5xx.
 */

const log = createLogger();
const content = await loadContent();

const text = (max: number) => z.optional(z.string().check(z.maxLength(max)));
const voiceForm = z.object({
  sessionId: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  isActive: z._default(z.enum(['0', '1']), '1'),
  direction: text(20),
  callerNumber: text(32),
  destinationNumber: text(32),
  dtmfDigits: text(64),
  recordingUrl: text(2000),
  durationInSeconds: text(20),
  currencyCode: text(8),
  amount: text(32),
});

export interface VoiceHandlerDeps {
  /** Call state, week records, lesson results and end-of-call records are all stamped from it. */
  clock: Clock;
  /** Where the prompts' recordings are; by default the local ones (content/audio, then espeak-ng). */
  audio?: AudioCatalog;
  /** For tests (a failing client): the DynamoDB document client. */
  doc?: DynamoDBDocumentClient;
}

const xml = (body: string): APIGatewayProxyStructuredResultV2 => ({ statusCode: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body });
const number = (s: string | undefined) => (s !== undefined && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);

/** The URL AT called, so each response can name itself (with the next step) as the callback URL. */
function selfUrl(event: APIGatewayProxyEventV2): string {
  const host = event.headers?.host ?? event.requestContext?.domainName ?? 'localhost';
  // API Gateway terminates TLS and says so; the local stack is plain HTTP.
  const proto = event.headers?.['x-forwarded-proto'] ?? (/^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https');
  return `${proto}://${host}${event.rawPath}`;
}

export function createVoiceHandler({ clock, audio, doc: givenDoc }: VoiceHandlerDeps) {
  const doc = givenDoc ?? createDocumentClient(dynamoConfigFromEnv());
  const tableName = process.env.TABLE_NAME ?? 'sauti';
  const calls = new DynamoVoiceCallStore(doc, tableName, () => clock.now());
  const callers = new DynamoCallerDirectory(new DynamoStudyStore(doc, tableName), new DynamoParticipantStore(doc, tableName), clock);
  const diary = new DynamoUssdStore(doc, tableName);
  const attempts = new DynamoCallAttemptStore(doc, tableName);
  const audioFor = (event: APIGatewayProxyEventV2): AudioCatalog => {
    if (audio) return audio;
    // In AWS the recordings are served from their own HTTPS origin (phase 2); locally from /audio.
    const base = process.env.SAUTI_AUDIO_BASE_URL ?? new URL('/audio', selfUrl(event)).href;
    return localAudioCatalog(base);
  };

  async function voice(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const refused = callbackRefusal(event);
    if (refused) return refused;
    if (!tokenAccepted(event, await callbackTokens(process.env, clock.now().getTime()))) return notFound();
    const query = event.queryStringParameters ?? {};
    const form = voiceForm.safeParse(formFields(event));
    const catalog = audioFor(event);
    if (!form.success) {
      log.warn('malformed voice callback', { issues: form.error.issues.map((i) => i.path.join('.')) });
      return xml(messageResponse('sorry', { content, lang: query.lang && content.languages.includes(query.lang) ? query.lang : (content.languages[0] as string), audio: catalog }));
    }
    const f = form.data;
    const step = number(query.step);
    const req: VoiceRequest = {
      sessionId: f.sessionId,
      isActive: f.isActive === '1',
      ...(f.direction ? { direction: f.direction } : {}),
      ...(f.callerNumber ? { callerNumber: f.callerNumber } : {}),
      ...(f.destinationNumber ? { destinationNumber: f.destinationNumber } : {}),
      ...(f.dtmfDigits !== undefined ? { dtmfDigits: f.dtmfDigits } : {}),
      ...(f.recordingUrl ? { recordingUrl: f.recordingUrl } : {}),
      ...(number(f.durationInSeconds) !== undefined ? { durationInSeconds: number(f.durationInSeconds) } : {}),
      ...(number(f.amount) !== undefined ? { amount: number(f.amount) } : {}),
      ...(f.currencyCode ? { currencyCode: f.currencyCode } : {}),
      ...(step !== undefined ? { step } : {}),
      ...(query.lang ? { lang: query.lang } : {}),
    };
    const base = selfUrl(event);
    return xml(
      await handleVoice(req, {
        calls,
        callers,
        diary,
        attempts,
        content,
        clock,
        log,
        audio: catalog,
        callbackUrl: (n, lang) => `${base}?step=${n}&lang=${encodeURIComponent(lang)}`,
      }),
    );
  }

  return async function handler(event: APIGatewayProxyEventV2, _context?: Context): Promise<APIGatewayProxyStructuredResultV2> {
    try {
      return await voice(event);
    } catch (err) {
      // Last line of defence (a token lookup failing, say): an HTTP error would end the call rudely.
      log.error('voice handler failed', { error: err instanceof Error ? err.message : String(err) });
      return xml(messageResponse('sorry', { content, lang: content.languages[0] as string, audio: { url: () => undefined } }));
    }
  };
}

export const handler = createVoiceHandler({ clock: clockFromEnv() });
