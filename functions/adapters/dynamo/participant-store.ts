import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Participant } from '../../core/model.js';
import { conditionally, participantItem, withoutKeys } from './items.js';
import { GSI1, keys } from './keys.js';

/** Participants outside the USSD hop (seeding, imports, reports, tests). */
export class DynamoParticipantStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds a participant unless the number is already in the study. Returns false if it was. */
  async addParticipant(participant: Participant): Promise<boolean> {
    return conditionally(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: participantItem(participant),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getByPhone(studyId: string, phone: string): Promise<Participant | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.participant(studyId, phone), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<Participant>(out.Item) : undefined;
  }

  /** Several participants at once (the sender's send-time check), 100 keys per request. */
  async getMany(wanted: readonly { studyId: string; phone: string }[]): Promise<Participant[]> {
    const unique = [...new Map(wanted.map((k) => [`${k.studyId}|${k.phone}`, keys.participant(k.studyId, k.phone)])).values()];
    const found: Participant[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, unknown>[] = unique.slice(i, i + 100);
      for (let attempt = 0; request.length > 0; attempt += 1) {
        if (attempt > 5) throw new Error('DynamoDB left keys unprocessed after retries');
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: request, ConsistentRead: true } } }));
        found.push(...(out.Responses?.[this.tableName] ?? []).map((item) => withoutKeys<Participant>(item)));
        request = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  /** All participants of a study, in participant-id order (the index is eventually consistent). */
  async listByStudy(studyId: string): Promise<Participant[]> {
    const found: Participant[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.participantIndex(studyId, '').gsi1pk },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(out.Items ?? []).map((i) => withoutKeys<Participant>(i)));
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  }
}
