import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Participant } from '../../core/model.js';
import { keys, type PhoneHasher } from './keys.js';

/** A participant as stored: keyed by study and the hash of the number, indexed by study for listings. */
export function participantItem(p: Participant, hash: PhoneHasher): Record<string, unknown> {
  return { ...keys.participant(p.studyId, hash(p.phone)), ...keys.participantIndex(p.studyId, p.participantId), ...p };
}

/** A ProjectionExpression of exactly these attributes, every name escaped (status, text, source... are reserved words). */
export function projection(names: readonly string[], more: Record<string, string> = {}): { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  return { ProjectionExpression: names.map((_, i) => `#p${i}`).join(', '), ExpressionAttributeNames: { ...Object.fromEntries(names.map((n, i) => [`#p${i}`, n])), ...more } };
}

/** Removes the storage keys from an item read back from the table. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, gsi2pk: _n1, gsi2sk: _n2, ...rest } = item;
  return rest as T;
}

export function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/**
 * Runs a conditional write: true when it was made, false when its condition failed (the
 * thing was there already, or someone else got there first). Any other error is thrown.
 */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/**
 * Reads many items by key, 100 per BatchGetItem, retrying keys DynamoDB leaves unprocessed
 * (it does under throttling) so that none is silently missing.
 */
export async function batchGetAll(doc: DynamoDBDocumentClient, tableName: string, keys: readonly Record<string, unknown>[], concurrency = 4): Promise<Record<string, unknown>[]> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100) as Record<string, unknown>[]);
  const found: Record<string, unknown>[] = [];
  // A few requests at once: a page of several hundred keys costs one round trip, not several.
  for (let i = 0; i < chunks.length; i += concurrency) {
    const results = await Promise.all(chunks.slice(i, i + concurrency).map((chunk) => batchGetChunk(doc, tableName, chunk)));
    for (const items of results) found.push(...items);
  }
  return found;
}

async function batchGetChunk(doc: DynamoDBDocumentClient, tableName: string, keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let request = keys;
  for (let attempt = 0; request.length > 0; attempt += 1) {
    if (attempt > 5) throw new Error('DynamoDB left keys unprocessed after retries');
    if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: request, ConsistentRead: true } } }));
    found.push(...(out.Responses?.[tableName] ?? []));
    request = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return found;
}

/** A query's items page by page (DynamoDB returns at most 1 MB a page), following every page. */
export async function* queryPages(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    if (out.Items && out.Items.length > 0) yield out.Items;
    start = out.LastEvaluatedKey;
  } while (start);
}

/** Every item of a query, all pages: for listings known to stay small (studies, campaigns, one week). */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(doc, input)) items.push(...page);
  return items;
}
