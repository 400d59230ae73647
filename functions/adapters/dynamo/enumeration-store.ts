import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Assignment, CallRecord, EnumeratorId } from '../../core/enumerate/model.js';
import type { EnumerationStore } from '../../core/ports/enumeration.js';
import { batchGetAll, queryAll, withoutKeys } from './items.js';
import { GSI1, keys } from './keys.js';
import { putOrStale } from './participant-store.js';

/**
 * Assignments (`STUDY#{id}#ASSIGN` / `P#{participantId}`, gsi1 per enumerator) and call records
 * (`STUDY#{id}#CALLS#{week}` / `P#{participantId}`), each written on its version.
 */
export class DynamoEnumerationStore implements EnumerationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async assignments(studyId: string, enumeratorId?: EnumeratorId): Promise<Assignment[]> {
    const items = enumeratorId
      ? await queryAll(this.doc, { TableName: this.tableName, IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.assignmentIndex(studyId, enumeratorId).gsi1pk } })
      : await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.assignment(studyId, '').pk } });
    return items.map((i) => withoutKeys<Assignment>(i));
  }

  async assignment(studyId: string, participantId: string): Promise<Assignment | undefined> {
    const [item] = await batchGetAll(this.doc, this.tableName, [keys.assignment(studyId, participantId)]);
    return item ? withoutKeys<Assignment>(item) : undefined;
  }

  saveAssignment(a: Assignment, previousVersion: number): Promise<void> {
    const Item = { ...keys.assignment(a.studyId, a.participantId), ...keys.assignmentIndex(a.studyId, a.enumeratorId, a.participantId), ...a };
    return putOrStale(this.doc, { TableName: this.tableName, Item, ...versionCondition(previousVersion) }, a.participantId);
  }

  async callRecords(studyId: string, week: string, participantIds?: readonly string[]): Promise<CallRecord[]> {
    const items = participantIds
      ? await batchGetAll(this.doc, this.tableName, participantIds.map((id) => keys.callRecord(studyId, week, id)))
      : await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.callRecord(studyId, week, '').pk }, ConsistentRead: true });
    return items.map((i) => withoutKeys<CallRecord>(i));
  }

  saveCallRecord(r: CallRecord, previousVersion: number): Promise<void> {
    return putOrStale(this.doc, { TableName: this.tableName, Item: { ...keys.callRecord(r.studyId, r.week, r.participantId), ...r }, ...versionCondition(previousVersion) }, r.participantId);
  }
}

const versionCondition = (previous: number) =>
  previous === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': previous } };
