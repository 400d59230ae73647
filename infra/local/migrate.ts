/**
 * `npm run migrate`: rewrites the local stack's `.data/` table to the hashed key layout
 * (infra/local/migrate-keys.ts). Idempotent and resumable: run it again after an interruption.
 * The hash key is SAUTI_PHONE_KEY, or the local default: the one `npm start` will use.
 */
import { join } from 'node:path';
import { createDocumentClient, createDynamoClient, tableNameFromEnv } from '../../functions/adapters/dynamo/client.js';
import { envPhoneKeys } from '../../functions/adapters/phone-key.js';
import { startDynamoLocal } from './dynamodb.js';
import { migrateKeys } from './migrate-keys.js';

const env = process.env;
const dynamo = await startDynamoLocal({ dataDir: join(env.SAUTI_DATA_DIR ?? '.data', 'dynamodb'), ...(env.DYNAMODB_PORT ? { port: Number(env.DYNAMODB_PORT) } : {}) });
try {
  const counts = await migrateKeys(createDynamoClient({ endpoint: dynamo.endpoint }), createDocumentClient({ endpoint: dynamo.endpoint }), tableNameFromEnv(env), await envPhoneKeys.hasher());
  console.log(`migrate: ${counts.scanned} item(s) read, ${counts.moved} moved to hashed keys, ${counts.indexed} indexed by number, ${counts.dropped} number-keyed marker(s) dropped${counts.indexCreated ? ', gsi2 created' : ''}.`);
} finally {
  await dynamo.stop();
}
