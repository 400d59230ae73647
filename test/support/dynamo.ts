import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../functions/adapters/dynamo/client.js';
import { ensureTable } from '../../functions/adapters/dynamo/table.js';

export interface TestTable {
  endpoint: string;
  tableName: string;
  doc: DynamoDBDocumentClient;
}

/** A fresh table in the run's DynamoDB Local, so test files never see each other's data. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID().slice(0, 8)}`;
  await ensureTable(createDynamoClient({ endpoint }), tableName);
  return { endpoint, tableName, doc: createDocumentClient({ endpoint }) };
}
