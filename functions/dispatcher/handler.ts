import { clockFromEnv } from '../adapters/clock.js';
import { loadContent } from '../adapters/content.js';
import { createDocumentClient, dynamoConfigFromEnv, tableNameFromEnv } from '../adapters/dynamo/client.js';
import { dispatchAllOn } from '../adapters/dynamo/dispatch-ports.js';
import { dynamoPorts } from '../adapters/dynamo/ports.js';
import type { DispatchTickResult } from '../core/schedule/dispatch-tick.js';
import { createLogger } from '../adapters/logger.js';
import { SqsSendQueue } from '../adapters/sqs/send-queue.js';
import { voiceGatewayFromEnv } from '../adapters/voice-gateways.js';
import type { Clock, SendQueue } from '../core/ports/index.js';

/**
 * The dispatcher (EventBridge Scheduler every 15 minutes, or invoked on demand): plans and
 * enqueues what is due in every study. Idempotent, so a retried or doubled invocation, or two
 * at once, sends nothing twice; a crash half-way heals at the next tick.
 */
export interface DispatcherDeps {
  /** "Now" of every tick: what is due, and the periods it belongs to. */
  clock: Clock;
  queue: SendQueue;
}

export function createDispatchHandler({ clock, queue }: DispatcherDeps) {
  const log = createLogger();
  const ports = dynamoPorts(createDocumentClient(dynamoConfigFromEnv()), tableNameFromEnv(), clock);
  const content = loadContent();
  // Read once per container: the secret's credentials do not change between ticks.
  const voice = voiceGatewayFromEnv(process.env);
  return async function handler(): Promise<DispatchTickResult> {
    const result = await dispatchAllOn(ports, queue, await content, clock.now(), await voice);
    const failed = Object.entries(result.studies).filter(([, r]) => 'error' in r);
    log.info('dispatch tick', { result });
    // Throwing marks the invocation failed (alarmed) after every other study was served.
    if (failed.length > 0) throw new Error(`dispatch failed for ${failed.map(([id]) => id).join(', ')}`);
    return result;
  };
}

export const handler = createDispatchHandler({ clock: clockFromEnv(), queue: new SqsSendQueue(process.env.SEND_QUEUE_URL ?? '') });
