/**
 * `npm start`: the whole of Sauti on one machine. DynamoDB Local (data under .data/), the
 * table, the demo study, and the Lambda handlers behind an HTTP server that speaks
 * API Gateway v2. Ctrl-C or SIGTERM stops everything, DynamoDB Local included.
 */
import { join } from 'node:path';
import { createDocumentClient, createDynamoClient } from '../../functions/adapters/dynamo/client.js';
import { ensureTable } from '../../functions/adapters/dynamo/table.js';
import { DEMO_SERVICE_CODE } from './demo.js';
import { type DynamoLocal, startDynamoLocal } from './dynamodb.js';
import { javaProblem } from './java.js';
import { seedDemos } from './seed.js';
import { createLocalServer } from './server.js';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const dataDir = env.SAUTI_DATA_DIR ?? '.data';
const serviceCode = env.SAUTI_SERVICE_CODE ?? DEMO_SERVICE_CODE;

async function main(): Promise<void> {
  // Lambdas run Node 22; on a Node 20 laptop the SDK's upgrade notice is noise at every start.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const problem = javaProblem();
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  let dynamo: DynamoLocal | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Sauti…');
    server?.close();
    server?.closeAllConnections();
    await dynamo?.stop();
    console.log('Stopped.');
    process.exit(code);
  };
  // `on`, not `once`: after Ctrl-C, npm forwards a second SIGINT, which must not kill the
  // process half-way through stopping DynamoDB Local.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  let server: ReturnType<typeof createLocalServer> | undefined;
  try {
    dynamo = await startDynamoLocal({
      dataDir: join(dataDir, 'dynamodb'),
      ...(env.DYNAMODB_PORT ? { port: Number(env.DYNAMODB_PORT) } : {}),
    });
    // The handlers read their configuration from the environment, as they do in Lambda.
    env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    env.AWS_REGION ??= 'local';
    env.TABLE_NAME ??= 'sauti';
    env.SAUTI_CALLBACK_TOKEN ??= 'local';
    env.POWERTOOLS_SERVICE_NAME ??= 'sauti';

    const doc = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(createDynamoClient({ endpoint: dynamo.endpoint }), env.TABLE_NAME);
    const [seeded, dhaka] = await seedDemos(doc, env.TABLE_NAME, serviceCode);

    const { handler: ussd } = await import('../../functions/ussd/handler.js');
    const { handler: atCallbacks } = await import('../../functions/at-callbacks/handler.js');
    server = createLocalServer({ ussd, atCallbacks });
    await new Promise<void>((resolveListen, reject) => {
      server?.once('error', reject);
      server?.listen(port, host, resolveListen);
    });
    printBanner(seeded, dhaka, dynamo.endpoint);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

type Seeded = { study: { name: string; serviceCode: string }; participants: number; created: boolean };

function printBanner(kenya: Seeded | undefined, dhaka: Seeded | undefined, dynamoEndpoint: string): void {
  const line = (s: Seeded | undefined) =>
    s ? `Demo study "${s.study.name}" on ${s.study.serviceCode}: ${s.participants} participants${s.created ? ' (just seeded)' : ''}.` : '';
  const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  const token = env.SAUTI_CALLBACK_TOKEN;
  const at = `${base}/at/${token}`;
  const curl = (text: string) =>
    `curl -s ${at}/ussd --data-urlencode sessionId=try-1 --data-urlencode 'serviceCode=${serviceCode}' --data-urlencode phoneNumber=+254711000001 --data-urlencode 'text=${text}'`;
  console.log(`
Sauti local stack is ready.

  USSD callback           POST ${at}/ussd
  USSD end of session     POST ${at}/ussd/events
  Incoming SMS            POST ${at}/sms
  SMS delivery reports    POST ${at}/sms/delivery
  Health                  GET  ${base}/health
  DynamoDB Local          ${dynamoEndpoint}  (table ${env.TABLE_NAME}, data in ${join(dataDir, 'dynamodb')})

${line(kenya)}
${line(dhaka)} (Bengali and English; +8801700000001 to +8801700000036)

Dial it as a new number (text is every answer so far, joined by *):
  ${curl('')}
Then choose English and read on:
  ${curl('1')}

Press Ctrl-C to stop.`);
}

void main();
