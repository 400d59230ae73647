import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { content } from '../../content/index.js';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.js';
import { dispatchAll } from '../../functions/adapters/dynamo/dispatch-ports.js';
import type { MessageRecord } from '../../functions/adapters/dynamo/message-store.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { SslWirelessSmsGateway } from '../../functions/adapters/sslwireless/sms-gateway.js';
import type { SmsGateway } from '../../functions/core/ports/sms.js';
import { ProviderRouter } from '../../functions/core/sms/router.js';
import { LocalQueue } from '../../infra/local/queue.js';
import { type FakeSslRule, startFakeSslWireless } from '../support/fake-sslwireless-server.js';
import { type Rig, type ScenarioResult, tally } from './faults-rig.js';

/**
 * SSL Wireless under faults, on the Dhaka demo study: the real dispatcher and sender on
 * DynamoDB Local, the SSL Wireless adapter against its fake, the local queue (SQS semantics)
 * on a fake clock. The fake answers 4029 and 4031, an HTTP 502, an HTML page, a SUCCESS
 * without smsinfo, a late answer after the adapter's timeout (accepted, outcome unknown), a
 * 4026 for one number; and the sender dies once right after SSL Wireless accepted a call. The
 * two ambiguous windows that cost Africa's Talking duplicates are closed here by `csms_id`.
 */
const FRIDAY_18_DHAKA = Date.parse('2026-11-27T12:00:00Z');
const MAX_RECEIVES = 5;

export async function sslWirelessFaults(rig: Rig): Promise<ScenarioResult> {
  const table = await rig.newTable(`faults-ssl-${randomUUID().slice(0, 8)}`);
  const fake = await startFakeSslWireless({ apiToken: 'faults-ssl', sid: 'FAULTS' });
  const BLOCKED = '8801700000014';
  const rules: FakeSslRule[] = [
    { statusCode: 4029 },
    { httpStatus: 502, body: '<html>Bad Gateway</html>' },
    { body: '<html>maintenance</html>' },
    { statusCode: 4031 },
    { omitSmsinfo: true },
    { respondAfterMs: 1500 },
    { msisdn: BLOCKED, statusCode: 4026 },
  ];
  fake.script(...rules);
  const now = { t: FRIDAY_18_DHAKA };
  const clock = { now: () => new Date(now.t) };
  let killAfterAccept = true;
  const ssl = new SslWirelessSmsGateway({ apiToken: 'faults-ssl', sid: 'FAULTS', baseUrl: fake.url, timeoutMs: 500 });
  const killing: SmsGateway = {
    async sendBulk(batch) {
      const out = await ssl.sendBulk(batch);
      if (killAfterAccept && [...out.values()].some((o) => o.status === 'accepted')) {
        killAfterAccept = false;
        throw new Error('sender killed (simulated) after SSL Wireless accepted, before recording');
      }
      return out;
    },
  };
  const refuse: SmsGateway = { sendBulk: () => Promise.reject(new Error('only Dhaka is due at 18:00 Dhaka')) };
  const saved = process.env.TABLE_NAME;
  process.env.TABLE_NAME = table;
  const { createSendHandler } = await import('../../functions/sms-send/handler.js');
  const handler = createSendHandler({ gateway: new ProviderRouter({ africastalking: refuse, infobip: refuse, sslwireless: killing }), clock, maxReceives: MAX_RECEIVES });
  process.env.TABLE_NAME = saved;
  const queue = new LocalQueue(handler, { now: () => now.t, batchSize: 100, backoffMs: () => 6 * 60_000, maxReceives: MAX_RECEIVES });
  const doc = createDocumentClient({ endpoint: rig.endpoint });
  try {
    await dispatchAll(doc, table, queue, content, clock.now());
    let rounds = 0;
    for (; rounds < 15 && queue.size > 0; rounds += 1) {
      await queue.poll();
      now.t += 6 * 60_000;
    }
    await dispatchAll(doc, table, queue, content, clock.now()); // a second dispatch: nothing new
    for (; rounds < 20 && queue.size > 0; rounds += 1) {
      await queue.poll();
      now.t += 6 * 60_000;
    }
    const out = await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true, FilterExpression: 'sk = :msg', ExpressionAttributeValues: { ':msg': 'MSG' } }));
    const messages = (out.Items ?? []) as MessageRecord[];
    const got = new Map<string, number>();
    for (const m of fake.delivered) got.set(`${m.msisdn} ${m.text}`, (got.get(`${m.msisdn} ${m.text}`) ?? 0) + 1);
    const duplicates = [...got].filter(([, n]) => n > 1).map(([k, n]) => `${k.slice(0, 20)} ×${n}`);
    const lost: string[] = [];
    for (const m of messages) {
      const reached = got.get(`${m.phone?.slice(1)} ${m.text}`) ?? 0;
      if (m.status === 'queued' || m.status === 'sending') lost.push(`${m.messageId} still ${m.status}`);
      else if (m.status === 'accepted' && reached === 0) lost.push(`${m.messageId} accepted, never reached SSL Wireless`);
    }
    const contaminations = fake.delivered.filter((m) => m.msisdn === BLOCKED).map((m) => `sent to the blocked ${m.msisdn}`);
    const problems = [...lost, ...duplicates.map((d) => `twice: ${d}`), ...contaminations];
    if (killAfterAccept) problems.push('the kill after acceptance never struck');
    if (!fake.requests.some((r) => r.aborted)) problems.push('no call timed out');
    const blocked = await new DynamoParticipantStore(doc, table).getByPhone('dhaka-2026', `+${BLOCKED}`);
    if (blocked?.consent.state !== 'withdrawn') problems.push('the 4026 number was not opted out');
    if (queue.size > 0 || queue.deadLetters.length > 0) problems.push(`${queue.size} still queued, ${queue.deadLetters.length} dead-lettered`);
    const resent = fake.requests.flatMap((r) => r.asked).length - new Set(fake.requests.flatMap((r) => r.asked.map((m) => m.csmsId))).size;
    return {
      name: 'SSL Wireless rate limits, 5xx, bad answers, a late answer, a kill after acceptance',
      tried: `one dispatch at Friday 18:00 Dhaka (${messages.length} messages), then a second; SSL Wireless answered 4029, an HTTP 502, an HTML page, 4031, a SUCCESS without smsinfo, one answer after the adapter's 500 ms timeout (accepted), 4026 for one number; the sender killed once after a call was accepted`,
      found: `${fake.requests.length} SSL Wireless calls over ${rounds} queue rounds (${resent} messages asked again with their csms_id); ${fake.delivered.length} reached handsets; ${duplicates.length} duplicates, ${lost.length} lost; the 4026 number opted out`,
      injected: rules.length + 1,
      retries: fake.requests.length - 1,
      ...tally({ lost, duplicates, contaminations }, problems),
    };
  } finally {
    await fake.close();
  }
}
