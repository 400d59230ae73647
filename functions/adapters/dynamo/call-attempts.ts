import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CallAttempt, CallAttemptStore } from '../../core/ports/voice.js';
import { batchGetAll, conditionally, withoutKeys } from './items.js';
import { keys } from './keys.js';

/**
 * The dispatcher's call attempts (`CALL#{attemptId}`), and a pointer from AT's session id to
 * the attempt (`VOICE#{sessionId}` / `PLACED`) so the end-of-call request finds what it cost.
 */
export class DynamoCallAttemptStore implements CallAttemptStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async attempts(ids: string[]): Promise<CallAttempt[]> {
    return (await batchGetAll(this.doc, this.tableName, ids.map(keys.callAttempt))).map((i) => withoutKeys<CallAttempt>(i));
  }

  async get(attemptId: string): Promise<CallAttempt | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.callAttempt(attemptId), ConsistentRead: true }));
    return out.Item ? withoutKeys<CallAttempt>(out.Item) : undefined;
  }

  claim(attempt: CallAttempt): Promise<boolean> {
    return conditionally(this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.callAttempt(attempt.attemptId), ...attempt }, ConditionExpression: 'attribute_not_exists(pk)' })));
  }

  async placed(attemptId: string, outcome: { status: 'queued'; sessionId: string } | { status: 'failed'; reason: string }): Promise<void> {
    const detail = outcome.status === 'queued' ? { name: 'sessionId', value: outcome.sessionId } : { name: 'reason', value: outcome.reason };
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.callAttempt(attemptId),
        UpdateExpression: 'SET #status = :status, #detail = :detail',
        ExpressionAttributeNames: { '#status': 'status', '#detail': detail.name },
        ExpressionAttributeValues: { ':status': outcome.status, ':detail': detail.value },
      }),
    );
    if (outcome.status === 'queued') {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.voicePlaced(outcome.sessionId), attemptId } }));
    }
  }

  async bySession(sessionId: string): Promise<CallAttempt | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.voicePlaced(sessionId), ConsistentRead: true }));
    const attemptId = out.Item?.attemptId;
    return typeof attemptId === 'string' ? this.get(attemptId) : undefined;
  }

  async ended(attemptId: string, end: { durationInSeconds?: number; amount?: number; currencyCode?: string; endedAt: string }): Promise<void> {
    const fields = Object.entries(end).filter(([, v]) => v !== undefined);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.callAttempt(attemptId),
        UpdateExpression: `SET ${fields.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(fields.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: Object.fromEntries(fields.map(([k, v]) => [`:${k}`, v])),
      }),
    );
  }
}
