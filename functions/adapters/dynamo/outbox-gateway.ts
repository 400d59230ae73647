import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RecipientOutcome, SmsBatch, SmsGateway } from '../../core/sms/gateway.js';
import { withoutKeys } from './items.js';

/** One SMS as the local outbox keeps it. */
export interface OutboxEntry {
  providerId: string;
  to: string;
  from?: string;
  text: string;
  at: string;
  studyId?: string;
}

/**
 * The SMS gateway of the local stack when no Africa's Talking credentials are configured:
 * every message lands in the table, listable per number or for everyone, newest first.
 * Never both this and AT: the stack picks one gateway at start.
 */
export class DynamoOutboxGateway implements SmsGateway {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date,
  ) {}

  async sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    const at = this.clock().toISOString();
    const entries: OutboxEntry[] = [...new Set(batch.to)].map((to) => ({
      providerId: `OUTBOX-${randomUUID()}`,
      to,
      text: batch.text,
      at,
      ...(batch.from ? { from: batch.from } : {}),
      ...(batch.studyId ? { studyId: batch.studyId } : {}),
    }));
    // BatchWriteItem takes 25 items; unprocessed ones are retried so none is lost.
    for (let i = 0; i < entries.length; i += 25) {
      let requests = entries.slice(i, i + 25).map((e) => ({
        PutRequest: { Item: { pk: `OUTBOX#${e.to}`, sk: `${e.at}#${e.providerId}`, gsi1pk: `OUTBOX#${e.studyId ?? '-'}`, gsi1sk: `${e.at}#${e.providerId}`, ...e } },
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
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        ...(opts.to
          ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `OUTBOX#${opts.to}` } }
          : { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `OUTBOX#${opts.studyId ?? '-'}` } }),
        ...(opts.to && opts.studyId ? { FilterExpression: 'studyId = :sid', ExpressionAttributeValues: { ':pk': `OUTBOX#${opts.to}`, ':sid': opts.studyId } } : {}),
        ScanIndexForward: false,
        Limit: opts.limit ?? 50,
      }),
    );
    return (out.Items ?? []).map((i) => withoutKeys<OutboxEntry>(i));
  }
}
