import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { formFields, notFound, textResponse, tokenAccepted } from '../adapters/apigw.js';
import { callbackTokens } from '../adapters/callback-token.js';
import { callbackRefusal } from '../adapters/source-ip.js';
import { loadContent } from '../adapters/content.js';
import { createDocumentClient, dynamoConfigFromEnv, tableNameFromEnv } from '../adapters/dynamo/client.js';
import { dynamoUssdPorts } from '../adapters/dynamo/ussd-ports.js';
import { createLogger } from '../adapters/logger.js';
import { clockFromEnv } from '../adapters/clock.js';
import { renderScreen } from '../core/ussd/screen.js';
import { handleUssd, type UssdDeps } from '../core/ussd/service.js';
import { cachedStudyDirectory } from '../core/studies.js';
import type { Clock } from '../core/ports/index.js';

/** Africa's Talking USSD callback (POST, form-encoded). Answers 200 text/plain, always. */

const log = createLogger();

/** Exposed so the benchmarks can count the requests this handler makes. */
export const dynamo = createDocumentClient(dynamoConfigFromEnv());

const content = await loadContent();

const field = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const ussdForm = z.object({
  sessionId: field(200),
  serviceCode: field(40),
  phoneNumber: field(32),
  networkCode: z.optional(z.string()),
  text: z._default(z.string().check(z.maxLength(400)), ''),
});

export interface UssdHandlerDeps {
  /** Session deadlines, week records and callback-token grace periods all read this clock. */
  clock: Clock;
}

const sorry = () => renderScreen('END', [content.strings[content.languages[0] as string]?.sorry ?? 'Sorry.']);

export function createUssdHandler({ clock }: UssdHandlerDeps) {
  const ports = dynamoUssdPorts(dynamo, tableNameFromEnv());
  const deps: UssdDeps = {
    studies: cachedStudyDirectory(ports.studies, clock),
    store: ports.ussd,
    content,
    clock,
    newId: () => `p_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
    log,
  };

  async function ussd(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    // Source allowlist (AT_SOURCE_IPS) and size limit before anything is read or written.
    const refused = callbackRefusal(event);
    if (refused) return refused;
    if (!tokenAccepted(event, await callbackTokens(process.env, clock.now().getTime()))) return notFound();
    const form = ussdForm.safeParse(formFields(event));
    if (!form.success) {
      log.warn('malformed USSD callback', { issues: form.error.issues.map((i) => i.path.join('.')) });
      return textResponse(200, sorry());
    }
    return textResponse(200, await handleUssd(form.data, deps));
  }

  // Last line of defence: the gateway must never see a 5xx, or the participant sees an
  // operator error. A plain wrapper rather than middy here: @middy/core loads Node's stream
  // modules at import (3 ms of cold start measured, see BENCHMARKS.md) for an onError alone.
  return async function handler(event: APIGatewayProxyEventV2, _context?: Context): Promise<APIGatewayProxyStructuredResultV2> {
    try {
      return await ussd(event);
    } catch (err) {
      log.error('USSD handler failed', { error: err instanceof Error ? err.message : String(err) });
      return textResponse(200, sorry());
    }
  };
}

export const handler = createUssdHandler({ clock: clockFromEnv() });
