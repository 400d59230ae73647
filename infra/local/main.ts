/**
 * `npm start`: the whole of Sauti on one machine. DynamoDB Local (data under .data/), the
 * table, the demo study, and the Lambda handlers behind an HTTP server that speaks
 * API Gateway v2. Ctrl-C or SIGTERM stops everything, DynamoDB Local included.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDocumentClient, createDynamoClient, tableNameFromEnv } from '../../functions/adapters/dynamo/client.js';
import { ensureTable } from '../../functions/adapters/dynamo/table.js';
import { clockFromEnv, realNowMs } from '../../functions/adapters/clock.js';
import type { Clock, ForgetJob } from '../../functions/core/ports/index.js';
import { DEMO_SERVICE_CODE, DEMO_SMS_SHORT_CODE, demoParticipants } from './demo.js';
import { type DynamoLocal, startDynamoLocal } from './dynamodb.js';
import { javaProblem } from './java.js';
import { seedAssignments, seedDemos } from './seed.js';
import { createLocalServer } from './server.js';
import { LocalQueue } from './queue.js';
import { content } from '../../content/index.js';
import { dispatchAllOn } from '../../functions/adapters/dynamo/dispatch-ports.js';
import { DynamoOutboxGateway } from '../../functions/adapters/dynamo/outbox-gateway.js';
import { dynamoPorts } from '../../functions/adapters/dynamo/ports.js';
import type { Study } from '../../functions/core/model.js';
import { describeRoutes } from '../../functions/adapters/sms-gateways.js';
import { PROVIDERS } from '../../functions/core/sms/providers.js';
import { createSimulator, simulatedStudies } from './simulator.js';
import { tourParticipant } from './tour.js';
import { ensureWebBuilt, WEB_DIST } from '../../web/build.js';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const dataDir = env.SAUTI_DATA_DIR ?? '.data';
const serviceCode = env.SAUTI_SERVICE_CODE ?? DEMO_SERVICE_CODE;

// `npm start -- --clock 2026-11-27T17:50:00+03:00 --speed 60`: a simulated clock for every
// handler, so a study week can be watched in minutes. The dispatcher then ticks every 15
// simulated minutes (at least every 2 real seconds, at most every minute).
const args = parseArgs({
  options: { clock: { type: 'string' }, speed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: false,
}).values;
if (args.help) {
  console.log(`npm start [-- --clock <ISO time> --speed <factor>]

  --clock   start the simulated clock at this instant (e.g. 2026-11-27T17:50:00+03:00)
  --speed   simulated seconds per real second (e.g. 60: an hour a minute); default 1

Environment: PORT (3000), HOST, SAUTI_DATA_DIR (.data), SAUTI_SEND_RATE (messages a second, 50),
and per SMS provider (a study whose provider has none goes to the local outbox):
  AT_USERNAME + AT_API_KEY [AT_BASE_URL]                       Africa's Talking
  SSLWIRELESS_API_TOKEN + SSLWIRELESS_SID [SSLWIRELESS_BASE_URL]  SSL Wireless (Bangladesh)
  INFOBIP_API_KEY + INFOBIP_BASE_URL                           Infobip`);
  process.exit(0);
}
if (args.clock ?? env.SAUTI_CLOCK_START) {
  env.SAUTI_CLOCK_START = args.clock ?? env.SAUTI_CLOCK_START;
  env.SAUTI_CLOCK_SPEED = args.speed ?? env.SAUTI_CLOCK_SPEED ?? '1';
  if (Number.isNaN(Date.parse(env.SAUTI_CLOCK_START ?? '')) || !(Number(env.SAUTI_CLOCK_SPEED) > 0)) {
    console.error(`--clock needs an ISO time (e.g. 2026-11-27T17:50:00+03:00) and --speed a positive number; got ${env.SAUTI_CLOCK_START} and ${env.SAUTI_CLOCK_SPEED}.`);
    process.exit(2);
  }
}
const speed = Number(env.SAUTI_CLOCK_SPEED ?? 1);
const tickMs = Math.max(2_000, Math.min(60_000, (15 * 60_000) / speed));

/** Local API tokens by role (the deployed API uses Cognito instead). */
const LOCAL_TOKENS = { 'local-admin': { name: 'Local admin', role: 'admin' }, 'local-researcher': { name: 'Local researcher', role: 'researcher' }, 'local-ngo': { name: 'Local NGO staff', role: 'ngo' }, 'local-provider': { name: 'Local M-Pesa desk', role: 'provider', providerId: 'mpesa' }, 'local-enumerator': { name: 'Local enumerator', role: 'enumerator' } };

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
    clearInterval(ticker);
    server?.close();
    server?.closeAllConnections();
    await queue?.stop();
    await forgetQueue?.stop();
    await dynamo?.stop();
    console.log('Stopped.');
    process.exit(code);
  };
  // `on`, not `once`: after Ctrl-C, npm forwards a second SIGINT, which must not kill the
  // process half-way through stopping DynamoDB Local.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  let server: ReturnType<typeof createLocalServer> | undefined;
  let queue: LocalQueue | undefined;
  let forgetQueue: LocalQueue | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    dynamo = await startDynamoLocal({
      dataDir: join(dataDir, 'dynamodb'),
      ...(env.DYNAMODB_PORT ? { port: Number(env.DYNAMODB_PORT) } : {}),
    });
    // The handlers read their configuration from the environment, as they do in Lambda.
    env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    env.AWS_REGION ??= 'local';
    env.TABLE_NAME = tableNameFromEnv(env);
    env.SAUTI_CALLBACK_TOKEN ??= 'local';
    env.POWERTOOLS_SERVICE_NAME ??= 'sauti';
    env.SAUTI_API_TOKENS ??= JSON.stringify(LOCAL_TOKENS);
    // Synthetic diaries (POST /api/v1/studies/{id}/simulate) for trying the research workflow; never deployed.
    env.SAUTI_ALLOW_SIMULATION ??= 'true';
    // Key of the exports' pseudonymous ids (pid). This fixed default is for local, synthetic data
    // only: anyone who has it can link pids back to numbers. Set your own secret for real data;
    // a deployment reads its generated secret from Secrets Manager instead.
    env.SAUTI_PSEUDONYM_KEY ??= 'local-only-pseudonym-key-not-for-real-studies';

    // One clock for the whole stack: seeding, every handler, the dispatcher and the queue.
    const clock = clockFromEnv(env);
    const doc = createDocumentClient({ endpoint: dynamo.endpoint });
    const tableName = env.TABLE_NAME;
    const ports = dynamoPorts(doc, tableName, clock);
    await ensureTable(createDynamoClient({ endpoint: dynamo.endpoint }), tableName);
    const [seeded, dhaka] = await seedDemos(doc, tableName, serviceCode, clock.now());
    if (seeded) await seedAssignments(doc, tableName, seeded.study, clock.now());

    const ussd = (await import('../../functions/ussd/handler.js')).createUssdHandler({ clock });
    const { createCallbacksHandler } = await import('../../functions/at-callbacks/handler.js');
    const { createSendHandler, gatewayFromEnv } = await import('../../functions/sms-send/handler.js');
    const { createApiHandler } = await import('../../functions/api/handler.js');
    // The send queue and its sender, as SQS and the sender Lambda are in AWS, rate-capped.
    const gateway = await gatewayFromEnv(env, clock);
    queue = new LocalQueue(createSendHandler({ gateway, clock }), { batchSize: 100, ratePerSecond: Number(env.SAUTI_SEND_RATE ?? 50) });
    queue.start();
    const localQueue = queue;
    // "Forget me" runs off the request, as the forget queue and its Lambda do in AWS.
    const { createForgetHandler } = await import('../../functions/forget/handler.js');
    forgetQueue = new LocalQueue(createForgetHandler({ queue, clock }), { batchSize: 1, maxReceives: 5 });
    forgetQueue.start();
    const localForgets = forgetQueue;
    const forgets = { enqueue: async (job: ForgetJob) => void localForgets.send(job) };
    const runDispatch = async () => dispatchAllOn(ports, localQueue, content, clock.now());
    const tick = () =>
      void runDispatch()
        .then((r) => {
          for (const [id, s] of Object.entries(r.studies)) {
            if ('error' in s) console.error(`dispatcher: ${id} failed: ${s.error}`);
            else if (s.created > 0) console.log(`[${clock.now().toISOString()}] dispatcher: ${id}: ${s.created} message(s) queued`);
          }
        })
        .catch((err: unknown) => console.error('dispatcher tick failed:', err));
    // The simulated clock starts now that everything is loaded, not while DynamoDB Local started.
    if (env.SAUTI_CLOCK_START) env.SAUTI_CLOCK_ANCHOR = String(realNowMs());
    ticker = setInterval(tick, tickMs);
    tick();
    // The web console is bundled on first start and again whenever its sources changed.
    // A broken console build must not take the API and the callbacks down with it.
    await ensureWebBuilt().then(
      (built) => built && console.log('Built the web console (web/dist).'),
      (err: unknown) => console.error(`The web console could not be built (npm run build shows why): ${err instanceof Error ? err.message.split('\n')[0] : err}`),
    );
    const atCallbacks = createCallbacksHandler({ queue, clock, forgets });
    const { studies: studyStore, participants: participantStore } = ports;
    const simulator = createSimulator({
      clock,
      ussd,
      atCallbacks,
      callbackToken: env.SAUTI_CALLBACK_TOKEN,
      outbox: ports.outbox,
      // The simulator's inbox is the outbox: on while any provider writes to it.
      simulatorEnabled: gateway.routes.some((r) => r.gateway instanceof DynamoOutboxGateway),
      startTour: async (studyId) => {
        const study = await studyStore.getStudy(studyId);
        if (!study) return undefined;
        // A drawn number may already be someone's: draw again rather than touch theirs.
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const p = tourParticipant(study, clock.now());
          if (!p) return undefined;
          if (await participantStore.addParticipant(p)) return { phone: p.phone };
        }
        return undefined;
      },
      studies: async () => {
        const studies = (await Promise.all((await studyStore.studyIds()).map((id) => studyStore.getStudy(id)))).filter((s): s is Study => s !== undefined);
        return simulatedStudies(studies, Object.fromEntries([seeded, dhaka].filter((s) => s !== undefined).map((s) => [s.study.studyId, seededPhones(s.study, clock)])));
      },
    });
    server = createLocalServer({ ussd, atCallbacks, api: createApiHandler({ runDispatch, clock, queue, forgets }) }, { local: simulator, webRoot: WEB_DIST, clock });
    await new Promise<void>((resolveListen, reject) => {
      server?.once('error', reject);
      server?.listen(port, host, resolveListen);
    });
    printBanner(seeded, dhaka, dynamo.endpoint, describeRoutes(gateway, (p) => PROVIDERS[p].label));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

type Seeded = { study: { name: string; serviceCode: string }; participants: number; created: boolean };

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', sw: 'Kiswahili', bn: 'Bengali' };
/** The first seeded (synthetic) numbers of a demo study, with what the simulator's picker says of them. */
function seededPhones(study: Study, clock: Clock): { phone: string; label: string }[] {
  return demoParticipants(study, clock.now())
    .slice(0, 6)
    .map((p) => ({ phone: p.phone, label: `${LANGUAGE_NAMES[p.lang ?? 'en'] ?? p.lang}, ${p.armId === 'control' ? 'diary only' : 'with lessons'}` }));
}

function printBanner(kenya: Seeded | undefined, dhaka: Seeded | undefined, dynamoEndpoint: string, sendsTo: string): void {
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
  Web console             ${base}/  (sign in with local-admin, local-researcher, local-ngo or local-enumerator)
  Phone simulator         ${base}/simulator  (no sign-in; dial ${serviceCode} as a demo participant)
  Health                  GET  ${base}/health
  Admin API               ${base}/api/v1  (Authorization: Bearer local-admin | local-researcher | local-ngo | local-enumerator)
  Outbox (SMS sent)       curl -s -H 'authorization: Bearer local-admin' ${base}/api/v1/studies/athi-river-2026/outbox
  SMS go to               ${sendsTo}; the dispatcher runs every ${tickMs / 1000} s${env.SAUTI_CLOCK_START ? ` (clock from ${env.SAUTI_CLOCK_START} at ${speed}×)` : ''}
  DynamoDB Local          ${dynamoEndpoint}  (table ${env.TABLE_NAME}, data in ${join(dataDir, 'dynamodb')})

${line(kenya)}
${line(dhaka)} (Bengali and English; +8801700000001 to +8801700000036)

Dial it as a new number (text is every answer so far, joined by *):
  ${curl('')}
Then choose English and read on:
  ${curl('1')}

Answer this week's diary by SMS (to the demo short code ${DEMO_SMS_SHORT_CODE}), then see the reply in the outbox:
  curl -s ${at}/sms --data-urlencode id=try-sms-1 --data-urlencode from=+254700000001 --data-urlencode to=${DEMO_SMS_SHORT_CODE} --data-urlencode 'text=D 8000 M 200 500'

Press Ctrl-C to stop.`);
}

void main();
