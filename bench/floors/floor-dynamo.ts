import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Floor bundle of the bundle benchmark: a Lambda that makes the DynamoDB calls of the USSD
 * path (BatchGetItem and PutItem on every hop; GetItem and Query to resolve the study) with
 * the same SDK client, and nothing else. Whatever the
 * USSD bundle weighs or costs at import beyond this is the application's own doing.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.TABLE_NAME ?? 'sauti';

export async function handler(event: { sessionId?: string }): Promise<{ statusCode: number; body: string }> {
  const key = { pk: `USSD#${event.sessionId ?? 'floor'}`, sk: 'SESSION' };
  const service = await doc.send(new GetCommand({ TableName, Key: { pk: 'SVC#floor', sk: 'SVC' } }));
  await doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': String(service.Item?.studyId) } }));
  const out = await doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [key], ConsistentRead: true } } }));
  await doc.send(new PutCommand({ TableName, Item: { ...key, seen: out.Responses?.[TableName]?.length ?? 0 } }));
  return { statusCode: 200, body: 'ok' };
}
