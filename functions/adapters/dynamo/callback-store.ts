import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from './items.js';
import { envPhoneKeys, type PhoneKeys } from '../phone-key.js';
import { keys, numberIndex } from './keys.js';

import type { CallbackStore, OnceStore, RawCallback } from '../../core/ports/callbacks.js';

export type { RawCallback };

/** Keeps provider callbacks (Africa's Talking, Infobip) as received, once per provider id (both resend). */
export class DynamoCallbackStore implements CallbackStore, OnceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly phones: PhoneKeys = envPhoneKeys,
  ) {}

  /** Returns false when this callback was already stored. */
  async saveOnce(callback: RawCallback): Promise<boolean> {
    const key = keys.callback(callback.kind, callback.id);
    const phone = callbackNumber(callback);
    // A callback that names a number is indexed by its hash, so forgetting finds it by a Query.
    const indexed = phone ? numberIndex((await this.phones.hasher())(phone), key.pk, key.sk) : {};
    return conditionally(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...indexed, ...callback },
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
    // Hashed: a once-key may be made of a number ("help#<number>#<day>").
    const hashed = (await this.phones.hasher())(key);
    return conditionally(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.once(hashed), expiresAt: Math.floor(now.getTime() / 1000) + 2 * 86_400 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }
}

/**
 * The participant's number a raw callback names, in E.164: AT's USSD events and delivery reports
 * (`phoneNumber`), incoming SMS (`from`, AT and Infobip) and Infobip reports (`to`). Infobip
 * writes numbers without the plus.
 */
export function callbackNumber(c: Pick<RawCallback, 'kind' | 'fields'>): string | undefined {
  const field = c.kind === 'sms-inbound' ? c.fields.from : c.kind === 'infobip-report' ? c.fields.to : c.fields.phoneNumber;
  if (!field) return undefined;
  const trimmed = field.trim();
  return /^\d{6,15}$/.test(trimmed) ? `+${trimmed}` : trimmed;
}
