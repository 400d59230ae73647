import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Floor bundle of the bundle benchmark: a Lambda that makes the DynamoDB calls of a USSD hop
 * (one BatchGetItem, one PutItem) with the same SDK client, and nothing else. Whatever the
 * USSD bundle weighs or costs at import beyond this is the application's own doing.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.TABLE_NAME ?? 'sauti';

export async function handler(event: { sessionId?: string }): Promise<{ statusCode: number; body: string }> {
  const key = { pk: `USSD#${event.sessionId ?? 'floor'}`, sk: 'SESSION' };
  const out = await doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [key], ConsistentRead: true } } }));
  await doc.send(new PutCommand({ TableName, Item: { ...key, seen: out.Responses?.[TableName]?.length ?? 0 } }));
  return { statusCode: 200, body: 'ok' };
}
