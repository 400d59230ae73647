/**
 * The SMS providers a study can name, and what each can and cannot do. One table, read by
 * study validation (which provider may serve which country), the sender (batch limits), the
 * content check and the campaign preview (what to warn about), and the benchmarks.
 */
import { type Messaging, SMS_PROVIDERS, type SmsProvider, type Study } from '../model.js';

export { SMS_PROVIDERS, type Messaging, type SmsProvider };

export interface ProviderTraits {
  label: string;
  /** ISO countries served; `undefined`: any (the account manager sets up the routes). */
  countries?: readonly string[];
  /** Countries where the provider cannot serve at all, with the reason the API gives. */
  refused?: Readonly<Record<string, string>>;
  /** Recipients in one provider request. */
  maxBatch: number;
  /** Sustained requests a second the sender should stay under (a documented or contracted cap). */
  requestsPerSecond: number;
  /** Participants can answer by SMS (false: one-way routes, as standard routes in Bangladesh). */
  twoWay: (country: string) => boolean;
  /** Delivery reports come back (false: a message stays `accepted`, never shown as failed). */
  deliveryReports: boolean;
}

/** Africa's Talking markets (its coverage page); Bangladesh is not one. */
const AT_COUNTRIES = ['KE', 'UG', 'TZ', 'RW', 'NG', 'MW', 'ZM', 'ET', 'GH', 'CI', 'CM', 'ZA'];

export const PROVIDERS: Readonly<Record<SmsProvider, ProviderTraits>> = {
  africastalking: { label: "Africa's Talking", countries: AT_COUNTRIES, maxBatch: 100, requestsPerSecond: 10, twoWay: () => true, deliveryReports: true },
  // Bangladesh by a dedicated route only, one-way like every standard A2P route there.
  // Infobip's throughput is set per account; 10 requests (1,000 messages) a second is a conservative default.
  infobip: { label: 'Infobip', maxBatch: 100, requestsPerSecond: 10, twoWay: (country) => country !== 'BD', deliveryReports: true },
  // SSL Wireless is a Bangladeshi aggregator; its Push SMS API has no inbound and no report callback.
  sslwireless: { label: 'SSL Wireless', countries: ['BD'], maxBatch: 100, requestsPerSecond: 5, twoWay: () => false, deliveryReports: false },
};

/** The provider a study sends through: its own choice, else the one its country needs. */
export function providerOf(study: Pick<Study, 'country' | 'messaging'>): SmsProvider {
  return study.messaging?.provider ?? (study.country === 'BD' ? 'sslwireless' : 'africastalking');
}

/** The sender id of a study's SMS: `messaging.from`, else the older `smsFrom`. */
export function senderOf(study: Pick<Study, 'messaging' | 'smsFrom'>): string | undefined {
  return study.messaging?.from ?? study.smsFrom;
}

/** Why this provider cannot serve this country (empty when it can). */
export function messagingProblems(country: string, messaging: Messaging): string[] {
  const traits = PROVIDERS[messaging.provider];
  if (traits.countries && !traits.countries.includes(country)) {
    const alternatives = SMS_PROVIDERS.filter((p) => PROVIDERS[p].countries?.includes(country) ?? true).map((p) => PROVIDERS[p].label);
    return [`${traits.label} does not serve ${country}; use ${alternatives.join(' or ')}.`];
  }
  if (messaging.masked !== undefined && country !== 'BD') return ['"masked" applies to Bangladeshi sender ids only.'];
  return [];
}

/**
 * What a study's channel mix asks of its provider that the provider cannot do, for the
 * content check and the campaign preview. `sms`: something goes out by SMS; `smsReplies`:
 * participants are offered to answer by SMS (a short code to text).
 */
export function capabilityWarnings(study: Pick<Study, 'country' | 'messaging'>, use: { sms: boolean; smsReplies: boolean; languages?: readonly string[] }): string[] {
  const provider = providerOf(study);
  const traits = PROVIDERS[provider];
  const warnings: string[] = [];
  if (use.smsReplies && !traits.twoWay(study.country)) {
    warnings.push(`${traits.label} routes in ${study.country} are one-way: participants cannot answer by SMS, so the SMS diary reply and keywords (STOP, HELP) do not reach Sauti; offer USSD, voice or an enumerator's call instead.`);
  }
  if (use.sms && !traits.deliveryReports) warnings.push(`${traits.label} sends no delivery reports: messages stay "sent" (accepted by the provider), never "delivered" nor "failed".`);
  if (use.sms && study.country === 'BD' && study.messaging?.masked === false && (use.languages ?? []).some((l) => l !== 'bn')) {
    warnings.push('A non-masked (promotional) sender in Bangladesh must send Bangla Unicode only: texts in other languages may be refused.');
  }
  return warnings;
}
