import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxEntry, OutboxReader, RecipientOutcome, SmsBatch, SmsGateway } from '../../core/ports/sms.js';
import { withoutKeys } from './items.js';
import { envPhoneKeys, type PhoneKeys } from '../phone-key.js';
import { GSI1, keys } from './keys.js';

export type { OutboxEntry };

/**
 * The SMS gateway of the local stack when no Africa's Talking credentials are configured:
 * every message lands in the table, listable per number or for everyone, newest first.
 * Never both this and AT: the stack picks one gateway at start.
 */
export class DynamoOutboxGateway implements SmsGateway, OutboxReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date,
    private readonly phones: PhoneKeys = envPhoneKeys,
  ) {}

  async sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    const at = batch.decidedAt ?? this.clock().toISOString();
    const entries: OutboxEntry[] = [...new Set(batch.to)].map((to) => ({
      providerId: `OUTBOX-${randomUUID()}`,
      to,
      text: batch.text,
      at,
      ...(batch.from ? { from: batch.from } : {}),
      ...(batch.studyId ? { studyId: batch.studyId } : {}),
    }));
    const hash = await this.phones.hasher();
    // BatchWriteItem takes 25 items; unprocessed ones are retried so none is lost.
    for (let i = 0; i < entries.length; i += 25) {
      let requests = entries.slice(i, i + 25).map((e) => ({
        PutRequest: { Item: { ...keys.outbox(hash(e.to), e.at, e.providerId), ...keys.outboxIndex(e.studyId, e.at, e.providerId), ...e } },
      }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 5) throw new Error('outbox: DynamoDB left writes unprocessed');
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
    return new Map(entries.map((e) => [e.to, { status: 'accepted', providerId: e.providerId }]));
  }

  /** The newest messages to one number, or of one study (then `to` narrows it to one number). */
  async list(opts: { to?: string; studyId?: string; limit?: number } = {}): Promise<OutboxEntry[]> {
    const to = opts.to ? keys.outbox((await this.phones.hasher())(opts.to)).pk : undefined;
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        ...(to
          ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': to } }
          : { IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.outboxIndex(opts.studyId).gsi1pk } }),
        ...(to && opts.studyId ? { FilterExpression: 'studyId = :sid', ExpressionAttributeValues: { ':pk': to, ':sid': opts.studyId } } : {}),
        ScanIndexForward: false,
        Limit: opts.limit ?? 50,
      }),
    );
    return (out.Items ?? []).map((i) => withoutKeys<OutboxEntry>(i));
  }
}
