/**
 * Sending per SMS provider: the same 15,000 weekly prompts (English and Bengali for
 * Bangladesh, English and Kiswahili elsewhere) through `sendMessages`, the one sender core,
 * routed by `ProviderRouter` to each real adapter (Africa's Talking SDK, SSL Wireless and
 * Infobip fetch clients) against its local fake, each adapter paced by the sender's own pacer
 * at the provider's request rate (core/sms/pacing.ts, one instance: the whole cap), as in AWS;
 * the local queue does not pace. No DynamoDB: this isolates what differs per
 * provider, the calls per message and the pace under each one's cap (the full sender with
 * its store is the main table above). Checked on every run: each recipient reached once,
 * no call over the provider's batch limit.
 */
import { content } from '../content/index.js';
import { AfricasTalkingSmsGateway } from '../functions/adapters/africastalking/sms-gateway.js';
import { InfobipSmsGateway } from '../functions/adapters/infobip/sms-gateway.js';
import { SslWirelessSmsGateway } from '../functions/adapters/sslwireless/sms-gateway.js';
import type { Participant, Study } from '../functions/core/model.js';
import { messageId } from '../functions/core/schedule/policy.js';
import type { SmsGateway } from '../functions/core/ports/sms.js';
import { Pacer } from '../functions/core/sms/pacing.js';
import { PROVIDERS, type SmsProvider } from '../functions/core/sms/providers.js';
import { ProviderRouter } from '../functions/core/sms/router.js';
import { type OutboundMessage, sendMessages } from '../functions/core/sms/send.js';
import { smsText } from '../functions/core/sms/text.js';
import { demoStudy, dhakaStudy } from '../infra/local/demo.js';
import { LocalQueue } from '../infra/local/queue.js';
import { startFakeAt } from '../test/support/fake-at-server.js';
import { startFakeInfobip } from '../test/support/fake-infobip-server.js';
import { startFakeSslWireless } from '../test/support/fake-sslwireless-server.js';
import { type Metric, mdTable, progress, timed, times } from './lib.js';

/** Friday 12:00 in Nairobi, 15:00 in Dhaka: outside every study's quiet hours. */
export const BENCH_DAYTIME = new Date('2026-11-27T09:00:00Z');

export const PROVIDER_N = Number(process.env.SAUTI_BENCH_PROVIDER_N ?? 15_000);
const CREATED = new Date('2026-11-23T05:00:00Z');

export interface ProviderRun {
  provider: SmsProvider;
  messages: number;
  calls: number;
  ideal: number;
  maxRecipients: number;
  /** Messages a second the pace allows: requests a second × the batch limit. */
  cap: number;
  ms: number;
}

function people(study: Study, n: number): Participant[] {
  const stamp = CREATED.toISOString();
  const bd = study.country === 'BD';
  return Array.from({ length: n }, (_, i) => ({
    studyId: study.studyId, participantId: `p-${i}`, phone: bd ? `+88017${String(10_000_000 + i).slice(-8)}` : `+2547${10_000_000 + i}`,
    lang: study.languages[i % study.languages.length] as string, consent: { state: 'consented', version: content.consent.version, at: stamp, channel: 'import' },
    armId: 'control', source: 'import', createdAt: stamp, updatedAt: stamp,
  }));
}

async function runOne(provider: SmsProvider, study: Study, gateway: SmsGateway, reached: () => { calls: number; recipients: string[]; maxRecipients: number }): Promise<ProviderRun> {
  const ps = people(study, PROVIDER_N);
  const byPhone = new Map(ps.map((p) => [p.phone, p]));
  // A fixed daytime instant: the sender holds messages in quiet hours, and a benchmark run at night must still send.
  const key = study.country === 'BD' ? 'promptOneWay' : 'prompt';
  const messages: OutboundMessage[] = ps
    .map((p) => ({ messageId: messageId(p, 'prompt', '2026-W48'), studyId: study.studyId, participantId: p.participantId, phone: p.phone, text: smsText(content, key, p.lang ?? 'en', { code: study.serviceCode }), treatmentOnly: false }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  const traits = PROVIDERS[provider];
  const cap = traits.requestsPerSecond * traits.maxBatch;
  const router = new ProviderRouter({ africastalking: gateway, infobip: gateway, sslwireless: gateway });
  const queue = new LocalQueue(
    async (event) => {
      const batch = event.Records.map((r) => JSON.parse(r.body) as OutboundMessage);
      const results = await sendMessages(batch, { gateway: router, participants: { getMany: async (keys) => keys.map((k) => byPhone.get(k.phone)).filter((p): p is Participant => p !== undefined) }, studies: { getStudy: async () => study }, batchSize: 100, now: BENCH_DAYTIME });
      const retry = event.Records.filter((r) => results.get((JSON.parse(r.body) as OutboundMessage).messageId)?.status !== 'sent');
      return { batchItemFailures: retry.map((r) => ({ itemIdentifier: r.messageId })) };
    },
    { batchSize: 100, maxReceives: 3, backoffMs: () => 100 },
  );
  const { ms } = await timed(async () => {
    await queue.enqueue(messages);
    for (let round = 0; queue.size > 0; round += 1) {
      if (round > 1000) throw new Error(`${provider}: ${queue.size} messages still queued`);
      if ((await queue.poll()) === 0) await new Promise((r) => setTimeout(r, 50));
    }
  });
  const seen = reached();
  if (queue.deadLetters.length > 0) throw new Error(`${provider}: ${queue.deadLetters.length} dead-lettered: ${queue.deadLetters[0]?.reason}`);
  if (seen.recipients.length !== PROVIDER_N || new Set(seen.recipients).size !== PROVIDER_N) throw new Error(`${provider}: ${seen.recipients.length} deliveries for ${PROVIDER_N} messages`);
  if (seen.maxRecipients > traits.maxBatch) throw new Error(`${provider}: a call carried ${seen.maxRecipients} recipients`);
  const perText = new Map<string, number>();
  for (const m of messages) perText.set(m.text, (perText.get(m.text) ?? 0) + 1);
  const ideal = [...perText.values()].reduce((a, n) => a + Math.ceil(n / traits.maxBatch), 0);
  return { provider, messages: PROVIDER_N, calls: seen.calls, ideal, maxRecipients: seen.maxRecipients, cap, ms };
}

export async function runProviders(): Promise<ProviderRun[]> {
  const at = await startFakeAt({ apiKey: 'bench-at' });
  const ssl = await startFakeSslWireless({ apiToken: 'bench-ssl', sid: 'BENCH' });
  const ib = await startFakeInfobip({ apiKey: 'bench-ib' });
  try {
    const kenya = demoStudy('*384*123#', CREATED);
    const dhaka = dhakaStudy(CREATED);
    const runs: ProviderRun[] = [];
    progress(`per provider: ${PROVIDER_N.toLocaleString('en-US')} prompts each, paced at its request rate`);
    const pacer = (p: SmsProvider) => new Pacer({ requestsPerSecond: PROVIDERS[p].requestsPerSecond });
    runs.push(await runOne('africastalking', kenya, new AfricasTalkingSmsGateway({ username: 'sauti-bench', apiKey: 'bench-at', baseUrl: at.url, pacer: pacer('africastalking') }), () => ({
      calls: at.requests.length, recipients: at.requests.flatMap((r) => r.accepted), maxRecipients: Math.max(0, ...at.requests.map((r) => r.to.length)),
    })));
    runs.push(await runOne('sslwireless', dhaka, new SslWirelessSmsGateway({ apiToken: 'bench-ssl', sid: 'BENCH', baseUrl: ssl.url, pacer: pacer('sslwireless') }), () => ({
      calls: ssl.requests.length, recipients: ssl.delivered.map((m) => m.msisdn), maxRecipients: Math.max(0, ...ssl.requests.map((r) => r.asked.length)),
    })));
    runs.push(await runOne('infobip', { ...kenya, messaging: { provider: 'infobip' } }, new InfobipSmsGateway({ apiKey: 'bench-ib', baseUrl: ib.url, pacer: pacer('infobip') }), () => ({
      calls: ib.requests.length, recipients: ib.delivered.map((m) => m.to), maxRecipients: Math.max(0, ...ib.requests.map((r) => r.asked.length)),
    })));
    for (const r of runs) progress(`  ${r.provider}: ${r.calls} calls (ideal ${r.ideal}), ${Math.round(r.messages / (r.ms / 1000))} msg/s under a cap of ${r.cap}`);
    return runs;
  } finally {
    await Promise.all([at.close(), ssl.close(), ib.close()]);
  }
}

const tput = (r: ProviderRun): number => r.messages / (r.ms / 1000);

export function providerReport(runs: readonly ProviderRun[]): { markdown: string; metrics: Metric[] } {
  const table = mdTable(
    ['Provider', 'Prompts', 'Calls', 'Ideal (batch limit)', 'Calls / ideal', 'Max recipients / call', 'Cap (req/s × batch)', 'Throughput', 'vs cap'],
    runs.map((r) => [PROVIDERS[r.provider].label, r.messages.toLocaleString('en-US'), String(r.calls), `${r.ideal} (${PROVIDERS[r.provider].maxBatch})`, times(r.calls / r.ideal), String(r.maxRecipients), `${r.cap} msg/s`, `${Math.round(tput(r))} msg/s`, times(tput(r) / r.cap)]),
  );
  const metrics = runs.flatMap((r): Metric[] => [
    { metric: `Sending per provider: ${PROVIDERS[r.provider].label} calls for ${r.messages.toLocaleString('en-US')} prompts`, value: String(r.calls), floor: `${r.ideal} (ideal)`, ratio: times(r.calls / r.ideal), target: '≤ 1.1× ideal', pass: r.calls <= 1.1 * r.ideal },
    { metric: `Sending per provider: ${PROVIDERS[r.provider].label} throughput under its cap`, value: `${Math.round(tput(r))} msg/s`, floor: `${r.cap} msg/s (cap)`, ratio: times(tput(r) / r.cap), target: '0.9× to 1.1× cap', pass: tput(r) >= 0.9 * r.cap && tput(r) <= 1.1 * r.cap },
  ]);
  const markdown = [
    '### Per provider',
    '',
    `${PROVIDER_N.toLocaleString('en-US')} prompts per provider through the sender core (\`sendMessages\`) and \`ProviderRouter\` to each real adapter and its fake,`,
    "each adapter paced by the sender's pacer at the provider's request rate (core/sms/providers.ts, pacing.ts); no DynamoDB, so the figures are the",
    "providers' own: calls per message against the fewest their batch limit allows, and the pace under their cap: close to it, never far",
    'above (a provider refuses what exceeds its rate, SSL Wireless with 4029/4031). Each recipient reached exactly once, no call over the limit.',
    '',
    table,
  ].join('\n');
  return { markdown, metrics };
}
