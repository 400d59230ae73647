import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { withoutKeys } from './items.js';
import { keys } from './keys.js';

import type { AuditEvent, AuditStore } from '../../core/ports/audit.js';

export type { AuditEvent };

/**
 * The study's audit trail in DynamoDB (`STUDY#{studyId}#AUDIT` / `AUDIT#{at}#{id}`): written
 * before the sensitive answer is given, so a reveal that reached the caller is always on
 * record. Entries are only ever added (a random id: two at the same millisecond both stay).
 * Nothing here holds a phone number.
 */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.audit(event.studyId, event.at, randomUUID()), ...event },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** The newest entries first (the sort key starts with the instant). */
  async list(studyId: string, limit = 200): Promise<AuditEvent[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.audit(studyId, '', '').pk, ':prefix': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => withoutKeys<AuditEvent>(i));
  }
}
