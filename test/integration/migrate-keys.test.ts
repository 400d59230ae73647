/**
 * `npm run migrate` (infra/local/migrate-keys.ts) on a table written the old way: a table without
 * gsi2, with phone numbers in its keys, written item by item here as the old adapters wrote them.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../functions/adapters/dynamo/client.js';
import { DynamoForgetStore } from '../../functions/adapters/dynamo/forget-store.js';
import { DynamoOutboxGateway } from '../../functions/adapters/dynamo/outbox-gateway.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { tableDefinition } from '../../functions/adapters/dynamo/table.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import { envPhoneKeys } from '../../functions/adapters/phone-key.js';
import { phoneVariants } from '../../functions/core/privacy/forget.js';
import { migrateKeys } from '../../infra/local/migrate-keys.js';
import { inject } from 'vitest';

const STUDY = 'athi-river-2026';
const PHONE = '+254700000042';
const endpoint = inject('dynamoEndpoint');
const client = createDynamoClient({ endpoint });
const doc = createDocumentClient({ endpoint });
const tableName = `migrate-${randomUUID().slice(0, 8)}`;
const profile = { studyId: STUDY, participantId: 'p_old42', phone: PHONE, consent: { state: 'consented', at: '2026-11-23T06:00:00.000Z' }, lang: 'en', updatedAt: '2026-11-23T06:00:00.000Z' };

/** The old layout, as the adapters before issue 15 wrote it. */
const oldItems: Record<string, unknown>[] = [
  { pk: `STUDY#${STUDY}#PHONE#${PHONE}`, sk: 'PROFILE', gsi1pk: `STUDY#${STUDY}#PARTICIPANTS`, gsi1sk: 'p_old42', ...profile },
  { pk: `STUDY#${STUDY}#PHONE#${PHONE}`, sk: 'DIARY#2026-W48', gsi1pk: `STUDY#${STUDY}#DIARY#2026-W48`, gsi1sk: 'p_old42', studyId: STUDY, participantId: 'p_old42', phone: PHONE, week: '2026-W48', answers: { wage_amount: { value: 8000 } }, version: 1 },
  { pk: `OUTBOX#${PHONE}`, sk: '2026-11-24T07:00:00.000Z#OUTBOX-1', gsi1pk: `OUTBOX#${STUDY}`, gsi1sk: '2026-11-24T07:00:00.000Z#OUTBOX-1', providerId: 'OUTBOX-1', to: PHONE, text: 'hello', at: '2026-11-24T07:00:00.000Z', studyId: STUDY },
  { pk: `ONCE#help#${PHONE}#2026-11-24`, sk: 'ONCE', expiresAt: 1_900_000_000 },
  { pk: 'ONCE#retention#2026-11-24', sk: 'ONCE', expiresAt: 1_900_000_000 },
  { pk: 'MSG#reply#x#1', sk: 'MSG', gsi1pk: `STUDY#${STUDY}#MESSAGES`, gsi1sk: '2026-11-24#reply#x#1', messageId: 'reply#x#1', studyId: STUDY, participantId: 'p_old42', phone: PHONE, text: 'hi', status: 'accepted' },
  { pk: 'CALLBACK#sms-inbound#at-1', sk: 'RAW', kind: 'sms-inbound', id: 'at-1', fields: { from: PHONE, to: '22384', text: 'hello' }, receivedAt: '2026-11-24T07:00:00.000Z' },
];

async function scanAll(): Promise<Record<string, unknown>[]> {
  const out = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return out.Items ?? [];
}

beforeAll(async () => {
  // The table as it was: gsi1 only.
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: tableDefinition.KeySchema.map((k) => ({ ...k })),
      AttributeDefinitions: tableDefinition.AttributeDefinitions.filter((a) => !a.AttributeName.startsWith('gsi2')).map((a) => ({ ...a })),
      GlobalSecondaryIndexes: tableDefinition.GlobalSecondaryIndexes.filter((g) => g.IndexName === 'gsi1').map((g) => ({ ...g, KeySchema: g.KeySchema.map((k) => ({ ...k })), Projection: { ...g.Projection } })),
    }),
  );
  for (const item of oldItems) await doc.send(new PutCommand({ TableName: tableName, Item: item }));
});

describe('npm run migrate', () => {
  it('rewrites the old layout: no number left in a key, every record reachable through the adapters, gsi2 added', async () => {
    const hash = await envPhoneKeys.hasher();
    // Resumable: a run that stopped after writing the new profile, before deleting the old one.
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...oldItems[0], pk: `STUDY#${STUDY}#PH#${hash(PHONE)}` } }));
    const first = await migrateKeys(client, doc, tableName, hash);
    expect(first).toMatchObject({ moved: 3, indexed: 2, dropped: 1, indexCreated: true });
    const items = await scanAll();
    const forms = phoneVariants(PHONE);
    for (const item of items) for (const k of ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']) expect(forms.some((f) => String(item[k] ?? '').includes(f)), `${k}=${String(item[k])}`).toBe(false);
    expect(items.filter((i) => String(i.pk).startsWith(`STUDY#${STUDY}#PH#`))).toHaveLength(2);
    expect(await new DynamoParticipantStore(doc, tableName).getByPhone(STUDY, PHONE)).toMatchObject({ participantId: 'p_old42' });
    expect((await new DynamoUssdStore(doc, tableName).listWeeks(STUDY, PHONE, '2026-W01', '2026-W53')).map((w) => w.week)).toEqual(['2026-W48']);
    expect((await new DynamoOutboxGateway(doc, tableName, () => new Date(0)).list({ to: PHONE })).map((e) => e.providerId)).toEqual(['OUTBOX-1']);
    // The marker not made of a number stays; the other went.
    expect(items.filter((i) => String(i.pk).startsWith('ONCE#')).map((i) => i.pk)).toEqual(['ONCE#retention#2026-11-24']);

    // Idempotent: a second run changes nothing.
    const snapshot = JSON.stringify(await scanAll());
    expect(await migrateKeys(client, doc, tableName, hash)).toMatchObject({ moved: 0, indexed: 0, dropped: 0, indexCreated: false });
    expect(JSON.stringify(await scanAll())).toBe(snapshot);
  });

  it('leaves a table that forget-me can work on by Query: the migrated number goes everywhere', async () => {
    const store = new DynamoForgetStore(doc, tableName);
    const found = await store.findById(STUDY, 'p_old42');
    expect(found.active?.phone).toBe(PHONE);
    const result = await store.forget(found.active!, { at: '2026-11-25T07:00:00.000Z', by: 'admin' }, { by: 'test' });
    expect(result).toMatchObject({ weeks: 1, messages: 1, callbacks: 1, deleted: 1 });
    const left = (await scanAll()).filter((i) => phoneVariants(PHONE).some((f) => JSON.stringify(i).includes(f)));
    expect(left).toEqual([]);
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: 'ONCE#retention#2026-11-24', sk: 'ONCE' } }));
  });
});
