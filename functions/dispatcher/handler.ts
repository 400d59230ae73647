import { clockFromEnv } from '../adapters/clock.js';
import { loadContent } from '../adapters/content.js';
import { createDocumentClient, dynamoConfigFromEnv } from '../adapters/dynamo/client.js';
import { dispatchAll } from '../adapters/dynamo/dispatch-ports.js';
import { createLogger } from '../adapters/logger.js';
import { SqsSendQueue } from '../adapters/sqs/send-queue.js';

/**
 * The dispatcher (EventBridge Scheduler every 15 minutes, or invoked on demand): plans and
 * enqueues what is due in every study. Idempotent, so a retried or doubled invocation, or two
 * at once, sends nothing twice; a crash half-way heals at the next tick.
 */
const log = createLogger();
const doc = createDocumentClient(dynamoConfigFromEnv());
const tableName = process.env.TABLE_NAME ?? 'sauti';
const queue = new SqsSendQueue(process.env.SEND_QUEUE_URL ?? '');
const content = loadContent();
const clock = clockFromEnv();

export async function handler(): Promise<Awaited<ReturnType<typeof dispatchAll>>> {
  const result = await dispatchAll(doc, tableName, queue, await content, clock.now());
  const failed = Object.entries(result.studies).filter(([, r]) => 'error' in r);
  log.info('dispatch tick', { result });
  // Throwing marks the invocation failed (alarmed) after every other study was served.
  if (failed.length > 0) throw new Error(`dispatch failed for ${failed.map(([id]) => id).join(', ')}`);
  return result;
}
