import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Participant } from '../../core/model.js';
import type { RandomizationStore, StoredRandomization } from '../../core/ports/randomization.js';
import { conditionally, withoutKeys } from './items.js';
import { keys } from './keys.js';
import { envPhoneKeys, type PhoneKeys } from '../phone-key.js';
import { DynamoParticipantStore } from './participant-store.js';

/** Randomization runs and write-once arm assignments on the single table. */
export function dynamoRandomizationStore(doc: DynamoDBDocumentClient, tableName: string, phones: PhoneKeys = envPhoneKeys): RandomizationStore {
  const participants = new DynamoParticipantStore(doc, tableName, phones);
  const runKey = (r: Pick<StoredRandomization, 'studyId' | 'randomizationId'>) => keys.randomization(r.studyId, r.randomizationId);
  return {
    participants: (studyId) => participants.listByStudy(studyId),
    async runs(studyId) {
      const out = await doc.send(
        new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.randomization(studyId, '').pk }, ConsistentRead: true }),
      );
      return (out.Items ?? []).map((i) => withoutKeys<StoredRandomization>(i)).sort((a, b) => a.at.localeCompare(b.at));
    },
    createRun: (run) =>
      conditionally(doc.send(new PutCommand({ TableName: tableName, Item: { ...runKey(run), ...run }, ConditionExpression: 'attribute_not_exists(pk)' }))),
    saveRun: (run, previousVersion) =>
      conditionally(
        doc.send(new PutCommand({ TableName: tableName, Item: { ...runKey(run), ...run }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previousVersion } })),
      ),
    assignArm: async (p: Participant, armId, randomizationId, at) =>
      conditionally(
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.participant(p.studyId, (await phones.hasher())(p.phone)),
            UpdateExpression: 'SET armId = :arm, assignment = :a, updatedAt = :at',
            // Write-once: only a participant without an arm, or this very assignment again (a resumed run).
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(armId) OR (armId = :arm AND assignment.randomizationId = :rid))',
            ExpressionAttributeValues: { ':arm': armId, ':a': { randomizationId, at }, ':at': at, ':rid': randomizationId },
          }),
        ),
      ),
  };
}
