import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type StudyClaim, StudyTakenError } from '../../core/errors.js';
import type { Study } from '../../core/model.js';
import type { StudyStore } from '../../core/ports/studies.js';
import { keys } from './keys.js';

/** Writes studies (admin API, seeding): apart from DynamoStudyStore, so the USSD path carries no write code. */
export class DynamoStudyAdmin implements StudyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  create(study: Study): Promise<void> {
    return createStudy(this.doc, this.tableName, study);
  }

  async setOutcomes(studyId: string, outcomes: NonNullable<Study['outcomes']>): Promise<void> {
    await this.doc.send(
      new UpdateCommand({ TableName: this.tableName, Key: keys.study(studyId), UpdateExpression: 'SET outcomes = :o', ExpressionAttributeValues: { ':o': outcomes } }),
    );
  }
}

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

export { type StudyClaim, StudyTakenError };
