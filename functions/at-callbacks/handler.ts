import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { formFields, notFound, textResponse, tokenAccepted } from '../adapters/apigw.js';
import { callbackTokens } from '../adapters/callback-token.js';
import { loadContent } from '../adapters/content.js';
import { createDocumentClient, dynamoConfigFromEnv, tableNameFromEnv } from '../adapters/dynamo/client.js';
import { dynamoPorts } from '../adapters/dynamo/ports.js';
import { callbackRefusal } from '../adapters/source-ip.js';
import { createLogger } from '../adapters/logger.js';
import { forgetQueueFromEnv, forgetRunner } from '../adapters/sqs/forget-queue.js';
import { SqsSendQueue } from '../adapters/sqs/send-queue.js';
import type { Content } from '../core/content/schema.js';
import type { Clock, ForgetQueue, RawCallback, SendQueue } from '../core/ports/index.js';
import { clockFromEnv } from '../adapters/clock.js';
import { isDeliveryStatus } from '../core/sms/delivery.js';
import { receiveSms } from '../core/sms/receive-sms.js';
import { cachedStudyDirectory } from '../core/studies.js';
import { providerOptOut } from '../core/sms/opt-out.js';
import { infobipHook } from './infobip-hooks.js';

/**
 * Provider callbacks other than the USSD hop: Africa's Talking's forms under `/at/{token}/…`,
 * and Infobip's JSON webhooks under `/hooks/{token}/infobip/…` (infobip-hooks.ts). Each is kept as received, once per
 * provider id (AT resends), then acted on: an incoming SMS is interpreted (STOP, START, HELP,
 * diary reply, complaint) and its reply queued; a delivery report moves its message forward.
 * End-of-session USSD events are only kept. Also answers GET /health.
 */

/**
 * Which form field identifies each callback, so a resent callback is stored once. A message
 * gets several delivery reports (Sent, then Success), each kept: their key adds the status.
 */
const kinds: Record<string, { kind: RawCallback['kind']; idField: string; keyOf?: (f: Record<string, string>) => string }> = {
  '/ussd/events': { kind: 'ussd-event', idField: 'sessionId' },
  '/sms': { kind: 'sms-inbound', idField: 'id' },
  '/sms/delivery': { kind: 'sms-delivery', idField: 'id', keyOf: (f) => `${f.id}#${f.status ?? ''}` },
};

export interface CallbackDeps {
  queue: SendQueue;
  /** Where a confirmed "forget me" goes (FORGET_QUEUE_URL in AWS; the local stack's queue). */
  forgets?: ForgetQueue;
  /** Every time the handler stamps or compares comes from here (tests and the local stack supply theirs). */
  clock: Clock;
}

export function createCallbacksHandler(deps: CallbackDeps) {
  const log = createLogger();
  const { clock } = deps;
  const ports = dynamoPorts(createDocumentClient(dynamoConfigFromEnv()), tableNameFromEnv(), clock);
  const { callbacks: store, messages } = ports;
  // Incoming SMS name the short code they went to; cached like service codes on the USSD path.
  const shortCodes = cachedStudyDirectory({ studyForServiceCode: (code) => ports.studies.studyForShortCode(code) }, clock);
  let content: Promise<Content> | undefined;
  const forgets = deps.forgets ?? forgetQueueFromEnv(forgetRunner(ports.forget, deps.queue, clock, log));

  async function incomingSms(fields: Record<string, string>, id: string): Promise<void> {
    const study = await shortCodes.studyForServiceCode(fields.to ?? '');
    if (!study) {
      log.warn('incoming SMS to a short code no study claims', { id });
      return;
    }
    const c = await (content ??= loadContent());
    await receiveSms({ id, from: fields.from ?? '', text: fields.text ?? '' }, fields.to, {
      study, store: ports.ussd, content: c, clock, log, once: store, cases: ports.cases,
      messages, queue: deps.queue, forgets,
    });
  }

  async function callbacks(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    if (event.requestContext.http.method === 'GET' && event.rawPath === '/health') {
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' };
    }
    // Source allowlist and size limit first: a refused request reads and writes nothing.
    const refused = callbackRefusal(event);
    if (refused) return refused;
    if (!tokenAccepted(event, await callbackTokens(process.env, clock.now().getTime()))) return notFound();
    const token = event.pathParameters?.token ?? '';
    const hook = /^\/hooks\/[^/]+\/infobip\/(reports|inbound)$/.exec(event.rawPath)?.[1] as 'reports' | 'inbound' | undefined;
    if (hook) return infobipHook(hook, event, { store, messages, incomingSms, optOut: (key, at) => providerOptOut(ports.participants, key, at).then(() => undefined), log, now: () => clock.now().toISOString() });
    if (!event.rawPath.startsWith(`/at/${token}/`)) return notFound();
    const suffix = event.rawPath.slice(`/at/${token}`.length);
    const route = kinds[suffix];
    if (!route) return notFound();
    const fields = formFields(event);
    const id = fields[route.idField];
    if (!id) return textResponse(400, `Missing field "${route.idField}"`);
    const receivedAt = clock.now().toISOString();
    const fresh = await store.saveOnce({ kind: route.kind, id: route.keyOf?.(fields) ?? id, fields, receivedAt });
    log.info('callback stored', { kind: route.kind, duplicate: !fresh });
    if (route.kind === 'sms-inbound' && (fresh || !(await store.processed(route.kind, id)))) {
      await incomingSms(fields, id);
      await store.markProcessed(route.kind, id, receivedAt);
    }
    // A delivery report moves its message forward (only forward, and once: resends change nothing).
    const status = fields.status ?? '';
    if (route.kind === 'sms-delivery' && isDeliveryStatus(status)) {
      const changed = await messages.report(id, status, fields.failureReason || undefined, receivedAt);
      log.info('delivery report', { status, applied: changed });
    }
    return textResponse(200, 'OK');
  }

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(callbacks);
}

export const handler = createCallbacksHandler({ queue: new SqsSendQueue(process.env.SEND_QUEUE_URL ?? ''), clock: clockFromEnv() });
