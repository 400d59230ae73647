import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Study } from '../../core/model.js';
import { keys } from './keys.js';

/**
 * Creates a study with its arms and claims its service code (and SMS short code), all or nothing. Fails if the
 * study exists or the service code belongs to another study. Arms keep their position, so
 * they read back in the order the study defined.
 */
export async function createStudy(doc: DynamoDBDocumentClient, tableName: string, study: Study): Promise<void> {
  const { arms, ...meta } = study;
  const put = (Item: Record<string, unknown>) => ({ Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } });
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [
        put({ ...keys.study(study.studyId), ...keys.studyIndex(study.studyId), ...meta }),
        ...arms.map((arm, position) => put({ ...keys.arm(study.studyId, arm.armId), ...arm, position })),
        put({ ...keys.serviceCode(study.serviceCode), studyId: study.studyId }),
        ...(study.smsShortCode ? [put({ ...keys.smsShortCode(study.smsShortCode), studyId: study.studyId })] : []),
      ],
    }),
  );
}
