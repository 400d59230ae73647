import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DeliveryStatus, type MessageStatus, statusRank } from '../../core/sms/delivery.js';
import { batchGetAll, conditionally, withoutKeys } from './items.js';

import type { MessageRecord, MessageStore, NewMessage } from '../../core/ports/messages.js';
import { envPhoneKeys, type PhoneKeys } from '../phone-key.js';
import { keys, numberIndex, type PhoneHasher } from './keys.js';

export type { MessageRecord };

const messageKey = keys.message;
const providerKey = keys.providerLink;
/** A new message's item: keys, the study's messages index, the number index (forget-me), the record queued at rank 0. */
function newItem(m: NewMessage, hash: PhoneHasher) {
  const key = messageKey(m.messageId);
  return { ...key, ...keys.messageIndex(m.studyId, m.createdAt, m.messageId), ...(m.phone ? numberIndex(hash(m.phone), key.pk, key.sk) : {}), ...m, status: 'queued', rank: 0, updatedAt: m.createdAt };
}

export class DynamoMessageStore implements MessageStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly phones: PhoneKeys = envPhoneKeys,
  ) {}

  /** Creates the message unless its id exists: a second dispatch of a period plans nothing twice. */
  async create(m: NewMessage): Promise<boolean> {
    return conditionally(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: newItem(m, await this.phones.hasher()),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /**
   * Creates many messages, each only if its id is new, and returns those it created. Up to 100
   * conditional puts go in one TransactWriteItems (one round trip instead of 100); when some
   * exist already the transaction is cancelled, and the others are tried again without them.
   * A conflict with a concurrent dispatcher falls back to one conditional put each.
   */
  async createMany(ms: readonly NewMessage[], concurrency = 4): Promise<string[]> {
    const chunks: (typeof ms)[] = [];
    for (let i = 0; i < ms.length; i += 100) chunks.push(ms.slice(i, i + 100));
    const created: string[] = [];
    // Distinct messages in each chunk: a few transactions at once never conflict with each other.
    for (let i = 0; i < chunks.length; i += concurrency) {
      for (const ids of await Promise.all(chunks.slice(i, i + concurrency).map((c) => this.createChunk(c)))) created.push(...ids);
    }
    return created;
  }

  private async createChunk(ms: readonly NewMessage[]): Promise<string[]> {
    const created: string[] = [];
    let chunk = ms;
    for (let attempt = 0; chunk.length > 0; attempt += 1) {
      if (chunk.length === 1 || attempt > 2) {
        const made = await Promise.all(chunk.map(async (m) => ((await this.create(m)) ? m.messageId : undefined)));
        created.push(...made.filter((id): id is string => id !== undefined));
        break;
      }
      const reasons = await this.transactCreate(chunk);
      if (!reasons) {
        created.push(...chunk.map((m) => m.messageId));
        break;
      }
      // Drop the ones that exist; retry the rest (a cancelled transaction wrote nothing).
      chunk = chunk.filter((_, n) => reasons[n] !== 'ConditionalCheckFailed');
    }
    return created;
  }

  /** undefined when written; else the cancellation reason of each item. */
  private async transactCreate(ms: readonly NewMessage[]): Promise<(string | undefined)[] | undefined> {
    const hash = await this.phones.hasher();
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: ms.map((m) => ({
            Put: {
              TableName: this.tableName,
              Item: newItem(m, hash),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        }),
      );
      return undefined;
    } catch (err) {
      if (!(err instanceof Error && err.name === 'TransactionCanceledException')) throw err;
      const reasons = (err as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      return ms.map((_, n) => reasons?.[n]?.Code);
    }
  }

  /** The messages among these ids that exist. */
  async getMany(ids: readonly string[]): Promise<MessageRecord[]> {
    return (await batchGetAll(this.doc, this.tableName, ids.map(messageKey))).map((i) => withoutKeys<MessageRecord>(i));
  }

  async get(messageId: string): Promise<MessageRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: messageKey(messageId), ConsistentRead: true }));
    return out.Item ? withoutKeys<MessageRecord>(out.Item) : undefined;
  }

  /**
   * Claims a queued message for sending, so that a second queue entry for it (a re-enqueue, a
   * concurrent dispatcher) does not send it twice. A claim older than `leaseMs` is taken over:
   * the sender that held it crashed before it could record anything.
   */
  async claim(messageId: string, at: Date, leaseMs = 5 * 60_000): Promise<boolean> {
    return conditionally(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(messageId),
          UpdateExpression: 'SET #status = :sending, updatedAt = :at',
          ConditionExpression: '#status = :queued OR (#status = :sending AND updatedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':queued': 'queued', ':at': at.toISOString(), ':stale': new Date(at.getTime() - leaseMs).toISOString() },
        }),
      ),
    );
  }

  /**
   * Gives a claim back when the provider asked to retry: the queue's next delivery claims it
   * again. The attempt and its reason are kept, so a message the queue later gives up on is
   * told apart from one whose enqueue was lost (only the latter is re-enqueued by the dispatcher).
   */
  async release(messageId: string, at: Date, reason: string): Promise<void> {
    await conditionally(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(messageId),
          UpdateExpression: 'SET #status = :queued, updatedAt = :at, lastError = :reason ADD attempts :one',
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':queued': 'queued', ':at': at.toISOString(), ':reason': reason, ':one': 1 },
        }),
      ),
    );
  }

  /** Records that the provider accepted the message, and links its id for delivery reports. */
  async accepted(messageId: string, providerId: string, at: string): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: messageKey(messageId),
              UpdateExpression: 'SET #status = :status, #rank = :rank, providerId = :pid, updatedAt = :at, sentAt = :at',
              // A delivery report may already have overtaken the send result.
              ConditionExpression: 'attribute_exists(pk) AND #rank < :rank',
              ExpressionAttributeNames: { '#status': 'status', '#rank': 'rank' },
              ExpressionAttributeValues: { ':status': 'accepted', ':rank': statusRank('accepted'), ':pid': providerId, ':at': at },
            },
          },
          { Put: { TableName: this.tableName, Item: { ...providerKey(providerId), messageId }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    ).catch((err: unknown) => {
      if (!(err instanceof Error && err.name === 'TransactionCanceledException')) throw err;
    });
  }

  /** Ends a message that was not sent: refused by the provider, or blocked by the send-time check. */
  /**
   * Back to `queued` until `until` (it would have gone out in quiet hours): not an attempt, and
   * not the queue's to retry; the dispatcher enqueues it again once `notBefore` has passed.
   */
  async defer(messageId: string, until: Date, at: Date): Promise<void> {
    await conditionally(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(messageId),
          UpdateExpression: 'SET #status = :queued, updatedAt = :at, notBefore = :until',
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':queued': 'queued', ':at': at.toISOString(), ':until': until.toISOString() },
        }),
      ),
    );
  }

  async closed(messageId: string, status: 'failed' | 'skipped', reason: string, at: string): Promise<void> {
    await this.advance(messageId, status, reason, at);
  }

  /** The message a provider's id belongs to (the link the sender wrote on acceptance). */
  async byProviderId(providerId: string): Promise<MessageRecord | undefined> {
    const link = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: providerKey(providerId), ConsistentRead: true }));
    return typeof link.Item?.messageId === 'string' ? this.get(link.Item.messageId) : undefined;
  }

  /**
   * Applies a delivery report by the provider's id: only forward (out-of-order safe) and once
   * (a resent report changes nothing). Returns false when it changed nothing.
   */
  async report(providerId: string, status: DeliveryStatus, failureReason: string | undefined, at: string): Promise<boolean> {
    const link = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: providerKey(providerId), ConsistentRead: true }));
    const messageId = link.Item?.messageId;
    if (typeof messageId !== 'string') return false;
    return this.advance(messageId, status, failureReason, at);
  }

  /** Moves a message to a status of higher rank, or leaves it: the only way a status changes. */
  private async advance(messageId: string, status: MessageStatus, reason: string | undefined, at: string): Promise<boolean> {
    return conditionally(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(messageId),
          UpdateExpression: `SET #status = :status, #rank = :rank, updatedAt = :at${reason ? ', failureReason = :reason' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND #rank < :rank',
          ExpressionAttributeNames: { '#status': 'status', '#rank': 'rank' },
          ExpressionAttributeValues: { ':status': status, ':rank': statusRank(status), ':at': at, ...(reason ? { ':reason': reason } : {}) },
        }),
      ),
    );
  }
}
