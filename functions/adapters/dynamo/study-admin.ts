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
  // What each write claims, in the transaction's order: its cancellation reasons come in that order.
  const claims: StudyClaim[] = ['studyId', ...arms.map((): StudyClaim => 'studyId'), 'serviceCode', ...(study.smsShortCode ? ['smsShortCode' as const] : [])];
  try {
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
  } catch (err) {
    const reasons = (err as { name?: string; CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if ((err as { name?: string }).name !== 'TransactionCanceledException' || !reasons) throw err;
    const taken = [...new Set(reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' && claims[i] ? [claims[i]] : [])))];
    throw taken.length > 0 ? new StudyTakenError(taken) : err;
  }
}

export type StudyClaim = 'studyId' | 'serviceCode' | 'smsShortCode';

/** A new study's id, USSD code or SMS short code belongs to another study already. */
export class StudyTakenError extends Error {
  constructor(readonly taken: StudyClaim[]) {
    super(`already taken: ${taken.join(', ')}`);
    this.name = 'StudyTakenError';
  }
}
