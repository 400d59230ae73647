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
import { DeleteTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callbackNumber } from '../../functions/adapters/dynamo/callback-store.js';
import { GSI2, keys, NUMBER_BEARING_PREFIXES, numberIndex, type PhoneHasher } from '../../functions/adapters/dynamo/keys.js';
import { ensureTable } from '../../functions/adapters/dynamo/table.js';
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
  const counts: MigrationCounts = { scanned: 0, moved: 0, indexed: 0, dropped: 0, indexCreated: await ensureNumberIndex(client, doc, tableName) };
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

/**
 * Gives a table made before gsi2 existed the full definition; true when it did. Not by
 * UpdateTable: DynamoDB Local's backfill of a new index over existing items can stay CREATING
 * for minutes on a busy machine and fails writes meanwhile. Instead the items go to a copy made
 * with the full definition, the table is made again the same way and the items come back. A
 * run that stops half-way leaves the copy, and the next run finishes from it.
 */
async function ensureNumberIndex(client: DynamoDBClient, doc: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
  const copy = `${tableName}-migrating`;
  const table = await describe(client, tableName);
  const hasIndex = table?.GlobalSecondaryIndexes?.some((g) => g.IndexName === GSI2) ?? false;
  const copyExists = (await describe(client, copy)) !== undefined;
  if (hasIndex && !copyExists) return false;
  if (!hasIndex) {
    await ensureTable(client, copy);
    if (table) {
      await copyItems(doc, tableName, copy);
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      await until(async () => (await describe(client, tableName)) === undefined, `${tableName} to be deleted`);
    }
    await ensureTable(client, tableName);
  }
  await copyItems(doc, copy, tableName);
  await client.send(new DeleteTableCommand({ TableName: copy }));
  return true;
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

/** Every item of one table into another (puts: copying twice changes nothing). */
async function copyItems(doc: DynamoDBDocumentClient, from: string, to: string): Promise<void> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: from, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) await doc.send(new PutCommand({ TableName: to, Item: item }));
    start = page.LastEvaluatedKey;
  } while (start);
}

async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let polls = 0; !(await done()); polls += 1) {
    if (polls >= 600) throw new Error(`still waiting for ${what}: run npm run migrate again`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
