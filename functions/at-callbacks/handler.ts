import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { formFields, notFound, textResponse, tokenAccepted } from '../adapters/apigw.js';
import { callbackTokens } from '../adapters/callback-token.js';
import { type RawCallback, DynamoCallbackStore } from '../adapters/dynamo/callback-store.js';
import { createDocumentClient, dynamoConfigFromEnv } from '../adapters/dynamo/client.js';
import { DynamoMessageStore } from '../adapters/dynamo/message-store.js';
import { isDeliveryStatus } from '../core/sms/delivery.js';
import { createLogger } from '../adapters/logger.js';

/**
 * Africa's Talking callbacks other than the USSD hop — end-of-session events, incoming SMS,
 * delivery reports — kept as received (once per provider id) until their own handlers exist.
 * Also answers GET /health.
 */

const log = createLogger();
const doc = createDocumentClient(dynamoConfigFromEnv());
const tableName = process.env.TABLE_NAME ?? 'sauti';
const store = new DynamoCallbackStore(doc, tableName);
const messages = new DynamoMessageStore(doc, tableName);

/**
 * Which form field identifies each callback, so a resent callback is stored once. A message
 * gets several delivery reports (Sent, then Success), each kept: their key adds the status.
 */
const kinds: Record<string, { kind: RawCallback['kind']; idField: string; keyOf?: (f: Record<string, string>) => string }> = {
  '/ussd/events': { kind: 'ussd-event', idField: 'sessionId' },
  '/sms': { kind: 'sms-inbound', idField: 'id' },
  '/sms/delivery': { kind: 'sms-delivery', idField: 'id', keyOf: (f) => `${f.id}#${f.status ?? ''}` },
};

async function callbacks(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.requestContext.http.method === 'GET' && event.rawPath === '/health') {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' };
  }
  if (!tokenAccepted(event, await callbackTokens())) return notFound();
  const token = event.pathParameters?.token ?? '';
  const suffix = event.rawPath.slice(`/at/${token}`.length);
  const route = kinds[suffix];
  if (!route) return notFound();
  const fields = formFields(event);
  const id = fields[route.idField];
  if (!id) return textResponse(400, `Missing field "${route.idField}"`);
  const receivedAt = new Date().toISOString();
  const fresh = await store.saveOnce({ kind: route.kind, id: route.keyOf?.(fields) ?? id, fields, receivedAt });
  log.info('callback stored', { kind: route.kind, duplicate: !fresh });
  // A delivery report moves its message forward (only forward, and once: resends change nothing).
  const status = fields.status ?? '';
  if (route.kind === 'sms-delivery' && isDeliveryStatus(status)) {
    const changed = await messages.report(id, status, fields.failureReason || undefined, receivedAt);
    log.info('delivery report', { status, applied: changed });
  }
  return textResponse(200, 'OK');
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(callbacks);
