import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StaleSessionError } from '../../core/errors.js';
import type { CallEnd, VoiceCall, VoiceCallStore } from '../../core/voice/ports.js';
import { conditionally, withoutKeys } from './items.js';
import { keys } from './keys.js';

/**
 * Voice calls: the dialogue state of a call in progress (`VOICE#{sessionId}` / `CALL`, TTL a
 * day; readers drop expired items as TTL is lazy), and the end-of-call record with its duration
 * and cost (`VOICE#{sessionId}` / `END`, kept: cost per call).
 */
const callKey = keys.voiceCall;
const endKey = keys.voiceEnd;

export class DynamoVoiceCallStore implements VoiceCallStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date,
  ) {}

  async getCall(sessionId: string): Promise<VoiceCall | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: callKey(sessionId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const call = withoutKeys<VoiceCall>(out.Item);
    return call.expiresAt > Math.floor(this.now().getTime() / 1000) ? call : undefined;
  }

  async saveCall(call: VoiceCall, previousVersion: number | undefined): Promise<void> {
    const put = new PutCommand({
      TableName: this.tableName,
      Item: { ...callKey(call.sessionId), ...call },
      ...(previousVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now', ExpressionAttributeValues: { ':now': Math.floor(Date.parse(call.updatedAt) / 1000) } }
        : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': previousVersion } }),
    });
    if (!(await conditionally(this.doc.send(put)))) throw new StaleSessionError(call.sessionId);
  }

  async recordEnd(end: CallEnd): Promise<boolean> {
    return conditionally(
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...endKey(end.sessionId), ...end }, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
  }

  /** For the console and tests: what a call cost, once it ended. */
  async getEnd(sessionId: string): Promise<CallEnd | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: endKey(sessionId), ConsistentRead: true }));
    return out.Item ? withoutKeys<CallEnd>(out.Item) : undefined;
  }
}
