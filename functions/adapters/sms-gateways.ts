/**
 * Which adapter sends for each provider: the provider's own when its credentials are
 * configured (a Secrets Manager secret in AWS, environment variables locally), the local
 * outbox otherwise, never both for one provider. A study then sends for real exactly when its
 * own provider is configured. Each provider's adapter holds a pacer at its share of the
 * provider's rate cap (core/sms/pacing.ts): the cap ÷ SAUTI_SEND_CONCURRENCY, the most sender
 * instances that run at once (the stack sets it to the event source's maxConcurrency; 1 locally).
 */
import type { Clock } from '../core/ports/index.js';
import type { SmsGateway } from '../core/ports/sms.js';
import { instanceRate, Pacer } from '../core/sms/pacing.js';
import { PROVIDERS, type SmsProvider } from '../core/sms/providers.js';
import { ProviderRouter } from '../core/sms/router.js';
import { AfricasTalkingSmsGateway } from './africastalking/sms-gateway.js';
import { createDocumentClient, dynamoConfigFromEnv, tableNameFromEnv } from './dynamo/client.js';
import { DynamoOutboxGateway } from './dynamo/outbox-gateway.js';
import { InfobipSmsGateway } from './infobip/sms-gateway.js';
import { secretString } from './secrets.js';
import { SslWirelessSmsGateway } from './sslwireless/sms-gateway.js';

/** A secret's JSON fields (all strings), or undefined when the secret is not configured. */
export async function secretFields(arn: string | undefined): Promise<Record<string, string> | undefined> {
  return arn ? (JSON.parse(await secretString(arn)) as Record<string, string>) : undefined;
}

/** A pacer for each provider's adapter, at this instance's share of its cap. */
export function pacersFromEnv(env: NodeJS.ProcessEnv): Record<SmsProvider, Pacer> {
  const concurrency = Number(env.SAUTI_SEND_CONCURRENCY ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`SAUTI_SEND_CONCURRENCY must be a positive integer, got ${JSON.stringify(env.SAUTI_SEND_CONCURRENCY)}`);
  const pacer = (p: SmsProvider) => new Pacer({ requestsPerSecond: instanceRate(PROVIDERS[p].requestsPerSecond, concurrency) });
  return { africastalking: pacer('africastalking'), infobip: pacer('infobip'), sslwireless: pacer('sslwireless') };
}

export async function gatewayFromEnv(env: NodeJS.ProcessEnv, clock: Clock): Promise<ProviderRouter> {
  const pacers = pacersFromEnv(env);
  let outbox: SmsGateway | undefined;
  const local = () => (outbox ??= new DynamoOutboxGateway(createDocumentClient(dynamoConfigFromEnv()), tableNameFromEnv(env), () => clock.now()));

  const at = env.AT_USERNAME && env.AT_API_KEY ? { username: env.AT_USERNAME, apiKey: env.AT_API_KEY } : await secretFields(env.AT_CREDENTIALS_SECRET_ARN);
  const ssl = env.SSLWIRELESS_API_TOKEN && env.SSLWIRELESS_SID
    ? { apiToken: env.SSLWIRELESS_API_TOKEN, sid: env.SSLWIRELESS_SID, ...(env.SSLWIRELESS_BASE_URL ? { baseUrl: env.SSLWIRELESS_BASE_URL } : {}) }
    : await secretFields(env.SSLWIRELESS_CREDENTIALS_SECRET_ARN);
  const infobip = env.INFOBIP_API_KEY && env.INFOBIP_BASE_URL ? { apiKey: env.INFOBIP_API_KEY, baseUrl: env.INFOBIP_BASE_URL } : await secretFields(env.INFOBIP_CREDENTIALS_SECRET_ARN);

  return new ProviderRouter({
    africastalking: at?.username && at.apiKey ? new AfricasTalkingSmsGateway({ username: at.username, apiKey: at.apiKey, pacer: pacers.africastalking, ...(env.AT_BASE_URL ? { baseUrl: env.AT_BASE_URL } : {}) }) : local(),
    sslwireless: ssl?.apiToken && ssl.sid ? new SslWirelessSmsGateway({ apiToken: ssl.apiToken, sid: ssl.sid, pacer: pacers.sslwireless, ...(ssl.baseUrl ? { baseUrl: ssl.baseUrl } : {}) }) : local(),
    infobip: infobip?.apiKey && infobip.baseUrl ? new InfobipSmsGateway({ apiKey: infobip.apiKey, baseUrl: infobip.baseUrl, pacer: pacers.infobip }) : local(),
  });
}

/** Where each provider's SMS go, for the local stack's banner: "SSL Wireless: the local outbox". */
export function describeRoutes(router: ProviderRouter, label: (provider: SmsProvider) => string): string {
  return router.routes.map((r) => `${label(r.provider)}: ${r.gateway instanceof DynamoOutboxGateway ? 'the local outbox' : 'the provider'}`).join(', ');
}
