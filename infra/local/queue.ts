import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type SendQueue, systemClock } from '../../functions/core/ports/index.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';

/**
 * The local stand-in for SQS and its Lambda event source: messages are delivered to the
 * handler in batches with the SQS event shape; the handler's `batchItemFailures` are
 * redelivered after a backoff (the visibility timeout), and a message received `maxReceives`
 * times goes to the dead-letter list with its last error, as a redrive policy does.
 */
export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface Pending {
  messageId: string;
  body: string;
  receives: number;
  visibleAt: number;
}

export interface LocalQueueOptions {
  batchSize?: number;
  maxReceives?: number;
  /** Delay before a failed message is visible again, by receive count. */
  backoffMs?: (receives: number) => number;
  /** Epoch ms for visibility and the records' timestamps; the real clock (through the port) by default, so backoffs are real waits. */
  now?: () => number;
  /** Messages handed to the handler per second at most: the local stand-in for `maxConcurrency`. */
  ratePerSecond?: number;
}

export class LocalQueue implements SendQueue {
  private pending: Pending[] = [];
  readonly deadLetters: { messageId: string; body: string; receives: number; reason: string }[] = [];
  private readonly batchSize: number;
  private readonly maxReceives: number;
  private readonly backoffMs: (receives: number) => number;
  private readonly now: () => number;
  private readonly ratePerSecond: number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<number> | undefined;

  constructor(
    private readonly handler: SqsHandler,
    opts: LocalQueueOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 10;
    this.maxReceives = opts.maxReceives ?? 3;
    this.backoffMs = opts.backoffMs ?? ((n) => 1000 * 2 ** (n - 1));
    this.now = opts.now ?? (() => systemClock.now().getTime());
    this.ratePerSecond = opts.ratePerSecond ?? Number.POSITIVE_INFINITY;
  }

  async enqueue(messages: readonly OutboundMessage[]): Promise<void> {
    for (const m of messages) this.send(m);
  }

  /** Polls every `everyMs` until stopped, as the Lambda event source does. */
  start(everyMs = 250): void {
    this.timer ??= setInterval(() => {
      this.polling ??= this.poll().finally(() => {
        this.polling = undefined;
      });
    }, everyMs);
    this.timer.unref();
  }

  /** Stops polling and waits for a delivery under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  send(body: unknown): string {
    const messageId = randomUUID();
    this.pending.push({ messageId, body: JSON.stringify(body), receives: 0, visibleAt: this.now() });
    return messageId;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Delivers every visible message once, in batches. Returns how many were delivered. */
  async poll(): Promise<number> {
    const now = this.now();
    const visible = this.pending.filter((p) => p.visibleAt <= now);
    for (let i = 0; i < visible.length; i += this.batchSize) {
      const started = performance.now();
      const batch = visible.slice(i, i + this.batchSize);
      await this.deliver(batch);
      // Rate cap in real time (not the injected clock): it protects the provider, not the test.
      const minMs = (batch.length / this.ratePerSecond) * 1000;
      const wait = minMs - (performance.now() - started);
      if (wait > 0 && i + this.batchSize < visible.length) await new Promise((r) => setTimeout(r, wait));
    }
    return visible.length;
  }

  private async deliver(batch: Pending[]): Promise<void> {
    for (const p of batch) p.receives += 1;
    const sentAt = this.now();
    const event: SQSEvent = { Records: batch.map((p) => record(p, sentAt)) };
    let failed: Set<string>;
    let reason = 'reported as failed by the handler';
    try {
      const res = await this.handler(event);
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      // A handler that throws fails the whole batch, as with SQS.
      failed = new Set(batch.map((p) => p.messageId));
      reason = err instanceof Error ? err.message : String(err);
    }
    // One pass over the pending list per batch (not per message: that made draining quadratic).
    const done = new Set<Pending>();
    for (const p of batch) {
      if (!failed.has(p.messageId)) {
        done.add(p);
      } else if (p.receives >= this.maxReceives) {
        done.add(p);
        this.deadLetters.push({ messageId: p.messageId, body: p.body, receives: p.receives, reason });
      } else {
        p.visibleAt = this.now() + this.backoffMs(p.receives);
      }
    }
    if (done.size > 0) this.pending = this.pending.filter((x) => !done.has(x));
  }
}

function record(p: Pending, at: number): SQSRecord {
  return {
    messageId: p.messageId,
    receiptHandle: `local-${p.messageId}-${p.receives}`,
    body: p.body,
    attributes: {
      ApproximateReceiveCount: String(p.receives),
      SentTimestamp: String(at),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(at),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:sauti-send',
    awsRegion: 'local',
  };
}
