/**
 * Rewrites a table of the old key layout (phone numbers in keys) to the hashed one (keys.ts):
 *  - adds gsi2, the number index, if the table has none;
 *  - moves each `STUDY#…#PHONE#<number>` partition item to `STUDY#…#PH#<hash>` and each
 *    `OUTBOX#<number>` entry to `OUTBOX#<hash>`: the new item is written first, the old one
 *    deleted after, so a run that stops half-way is finished by the next;
 *  - drops once-markers keyed by a number (a help reply a day; they expire in two days anyway);
 *  - gives messages, raw callbacks and USSD sessions that name a number their gsi2 entry.
 * Idempotent: a migrated item matches none of the old patterns, and a second run changes nothing.
 */
import { type DynamoDBClient, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callbackNumber } from '../../functions/adapters/dynamo/callback-store.js';
import { GSI2, keys, NUMBER_BEARING_PREFIXES, numberIndex, type PhoneHasher } from '../../functions/adapters/dynamo/keys.js';
import { tableDefinition } from '../../functions/adapters/dynamo/table.js';
import type { RawCallback } from '../../functions/core/ports/callbacks.js';

export interface MigrationCounts {
  scanned: number;
  moved: number;
  indexed: number;
  dropped: number;
  indexCreated: boolean;
}

const OLD_PARTICIPANT = /^STUDY#(.+)#PHONE#(\+\d+)$/;
const OLD_OUTBOX = /^OUTBOX#(\+\d+)$/;
const OLD_ONCE = /^ONCE#.*\+\d{6,}/;

export async function migrateKeys(client: DynamoDBClient, doc: DynamoDBDocumentClient, tableName: string, hash: PhoneHasher): Promise<MigrationCounts> {
  const counts: MigrationCounts = { scanned: 0, moved: 0, indexed: 0, dropped: 0, indexCreated: await ensureNumberIndex(client, tableName) };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) {
      counts.scanned += 1;
      const pk = String(item.pk);
      const participant = OLD_PARTICIPANT.exec(pk);
      const outbox = OLD_OUTBOX.exec(pk);
      if (participant) {
        const [, studyId = '', phone = ''] = participant;
        await move(doc, tableName, item, keys.participant(studyId, hash(phone)).pk);
        counts.moved += 1;
      } else if (outbox) {
        await move(doc, tableName, item, keys.outbox(hash(outbox[1] ?? '')).pk);
        counts.moved += 1;
      } else if (OLD_ONCE.test(pk)) {
        await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }));
        counts.dropped += 1;
      } else if (item.gsi2pk === undefined) {
        const phone = numberOf(pk, item);
        if (!phone) continue;
        const entry = numberIndex(hash(phone), pk, String(item.sk));
        await doc.send(
          new UpdateCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET gsi2pk = :p, gsi2sk = :s', ExpressionAttributeValues: { ':p': entry.gsi2pk, ':s': entry.gsi2sk } }),
        );
        counts.indexed += 1;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return counts;
}

/** The number an item outside a participant's partition holds, if it is one the index covers. */
function numberOf(pk: string, item: Record<string, unknown>): string | undefined {
  if (pk.startsWith(NUMBER_BEARING_PREFIXES.message) || pk.startsWith(NUMBER_BEARING_PREFIXES.session)) {
    return typeof item.phone === 'string' && item.phone.startsWith('+') ? item.phone : undefined;
  }
  if (pk.startsWith(NUMBER_BEARING_PREFIXES.callback) && typeof item.kind === 'string' && item.fields) {
    return callbackNumber({ kind: item.kind as RawCallback['kind'], fields: item.fields as Record<string, string> });
  }
  return undefined;
}

/** The new item first, then the old one goes: a crash in between leaves both, and the next run finishes. */
async function move(doc: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>, pk: string): Promise<void> {
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...item, pk } }));
  await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }));
}

/** Adds gsi2 to a table made before it existed; true when it did. */
async function ensureNumberIndex(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (table.Table?.GlobalSecondaryIndexes?.some((g) => g.IndexName === GSI2)) return false;
  const index = tableDefinition.GlobalSecondaryIndexes.find((g) => g.IndexName === GSI2);
  if (!index) throw new Error('gsi2 missing from tableDefinition');
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: tableDefinition.AttributeDefinitions.filter((a) => a.AttributeName.startsWith('gsi2')).map((a) => ({ ...a })),
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema.map((k) => ({ ...k })), Projection: { ...index.Projection } } }],
    }),
  );
  // Writes that touch a new index while it is still being created fail (DynamoDB Local answers
  // InternalFailure on a busy machine): wait until the table and the index are ACTIVE.
  for (let polls = 0; ; polls += 1) {
    const now = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const created = now.Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === GSI2);
    if (now.Table?.TableStatus === 'ACTIVE' && created?.IndexStatus === 'ACTIVE') return true;
    if (polls >= 3000) throw new Error(`gsi2 of ${tableName} is still ${created?.IndexStatus ?? 'missing'}: run npm run migrate again`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
