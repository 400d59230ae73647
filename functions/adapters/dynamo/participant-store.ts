import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, type PutCommandInput, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AlreadyEnrolledError, StaleSessionError } from '../../core/errors.js';
import type { Participant } from '../../core/model.js';
import type { ParticipantStore } from '../../core/ports/participants.js';
import { envPhoneKeys, type PhoneKeys } from '../phone-key.js';
import { batchGetAll, conditionally, isConditionFailure, participantItem, withoutKeys } from './items.js';
import { GSI1, keys } from './keys.js';

/** A write conditional on what was read: losing the race means re-read and replay (StaleSessionError). */
export async function putOrStale(doc: DynamoDBDocumentClient, put: PutCommandInput, id: string): Promise<void> {
  if (!(await conditionally(doc.send(new PutCommand(put))))) throw new StaleSessionError(id);
}

/** Participants: the USSD hop's writes, seeding, imports, reports, the sender's send-time check. */
export class DynamoParticipantStore implements ParticipantStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly phones: PhoneKeys = envPhoneKeys,
  ) {}

  private async item(participant: Participant): Promise<Record<string, unknown>> {
    return participantItem(participant, await this.phones.hasher());
  }

  /** Adds a participant unless the number is already in the study. Returns false if it was. */
  async addParticipant(participant: Participant): Promise<boolean> {
    return conditionally(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: await this.item(participant),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getByPhone(studyId: string, phone: string): Promise<Participant | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.participant(studyId, (await this.phones.hasher())(phone)), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<Participant>(out.Item) : undefined;
  }

  /** Several participants at once (the sender's send-time check). */
  async getMany(wanted: readonly { studyId: string; phone: string }[]): Promise<Participant[]> {
    const hash = await this.phones.hasher();
    const unique = [...new Map(wanted.map((k) => [`${k.studyId}|${k.phone}`, keys.participant(k.studyId, hash(k.phone))])).values()];
    return (await batchGetAll(this.doc, this.tableName, unique)).map((item) => withoutKeys<Participant>(item));
  }

  /** One page of a study's participants, in id order, and the cursor of the next page. */
  async page(studyId: string, cursor?: string, limit = 100): Promise<{ participants: Participant[]; cursor?: string }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.participantIndex(studyId, '').gsi1pk },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown> } : {}),
      }),
    );
    const next = out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined;
    return { participants: (out.Items ?? []).map((i) => withoutKeys<Participant>(i)), ...(next ? { cursor: next } : {}) };
  }

  /** All participants of a study, in participant-id order (the index is eventually consistent). */
  async listByStudy(studyId: string): Promise<Participant[]> {
    const found: Participant[] = [];
    let cursor: string | undefined;
    do {
      const next = await this.page(studyId, cursor, 1000);
      found.push(...next.participants);
      cursor = next.cursor;
    } while (cursor);
    return found;
  }

  async saveConsent(participant: Participant): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: await this.item(participant),
          // Never overwrite a consented participant (a concurrent session enrolled the number).
          ConditionExpression: 'attribute_not_exists(pk) OR #consent.#state <> :consented',
          ExpressionAttributeNames: { '#consent': 'consent', '#state': 'state' },
          ExpressionAttributeValues: { ':consented': 'consented' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // The document client does not unmarshall the item carried by a failed condition.
      const old = (err as Error & { Item?: Record<string, AttributeValue> }).Item;
      throw new AlreadyEnrolledError(old ? withoutKeys<Participant>(unmarshall(old)) : undefined);
    }
  }

  async saveParticipant(participant: Participant, previousUpdatedAt: string): Promise<void> {
    await putOrStale(this.doc, 
      { TableName: this.tableName, Item: await this.item(participant), ConditionExpression: 'updatedAt = :previous', ExpressionAttributeValues: { ':previous': previousUpdatedAt } },
      participant.participantId,
    );
  }
}
