import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from './items.js';
import { keys } from './keys.js';

import type { CallbackStore, OnceStore, RawCallback } from '../../core/ports/callbacks.js';

export type { RawCallback };

/** Keeps provider callbacks (Africa's Talking, Infobip) as received, once per provider id (both resend). */
export class DynamoCallbackStore implements CallbackStore, OnceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Returns false when this callback was already stored. */
  async saveOnce(callback: RawCallback): Promise<boolean> {
    return conditionally(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.callback(callback.kind, callback.id), ...callback },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /**
   * Whether a stored callback was fully acted on. A handler that failed half-way (AT then
   * resends) finds it stored but not processed, and acts on it again: its effects are idempotent.
   */
  async processed(kind: RawCallback['kind'], id: string): Promise<boolean> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.callback(kind, id), ConsistentRead: true, ProjectionExpression: 'processedAt' }));
    return typeof out.Item?.processedAt === 'string';
  }

  async markProcessed(kind: RawCallback['kind'], id: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({ TableName: this.tableName, Key: keys.callback(kind, id), UpdateExpression: 'SET processedAt = :at', ExpressionAttributeValues: { ':at': at } }),
    );
  }

  /**
   * True the first time a key is claimed (e.g. one help reply a day per number); the marker
   * expires after two days through TTL.
   */
  async claimOnce(key: string, now: Date): Promise<boolean> {
    return conditionally(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.once(key), expiresAt: Math.floor(now.getTime() / 1000) + 2 * 86_400 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }
}
