/**
 * The SMS gateway port. Africa's Talking, Infobip and SSL Wireless are adapters, the local
 * outbox another; `ProviderRouter` (sms/router.ts) is the one the sender holds, and hands each
 * batch to the adapter of its study's provider.
 */
import type { SmsProvider } from '../sms/providers.js';

/** One text to many recipients, sent as one bulk request. */
export interface SmsBatch {
  text: string;
  /** Sender id or short code; the account default when absent. */
  from?: string;
  /** E.164 numbers with a leading +. */
  to: string[];
  /** The study the messages belong to (the outbox lists per study; AT ignores it). */
  studyId?: string;
  /** The study's provider: the router's choice of adapter (Africa's Talking when absent). */
  provider?: SmsProvider;
  /**
   * When the sender decided this batch may go out (checked against quiet hours at that instant).
   * The local outbox records it as the hand-over time, so what it shows never depends on how long
   * the write took (at the local stack's fast clock, a slow second is minutes); providers ignore it.
   */
  decidedAt?: string;
  /**
   * Each number's deterministic message id, from which providers that take an idempotency
   * key (SSL Wireless `csms_id`, Infobip `messageId`) derive it: a resend after a crash is then
   * recognised by the provider instead of sent twice. AT has no such key and ignores it.
   */
  messageIds?: Readonly<Record<string, string>>;
  /**
   * Numbers whose message an earlier attempt may already have handed to the provider: a
   * redelivery after a sender died, or after a call whose answer never came. A provider whose
   * key does not deduplicate (Infobip) looks these up before sending; the others ignore it.
   */
  mayHaveGone?: readonly string[];
}

/** What became of one recipient of a batch. */
export type RecipientOutcome =
  /** Accepted by the provider (AT statusCode 100 Processed, 101 Sent, 102 Queued). */
  | { status: 'accepted'; providerId: string; cost?: string }
  /**
   * Will never succeed as sent (AT 401-409). `optedOut` when the provider says the number
   * blacklisted us or opted out (AT 406): nothing more may be sent to it.
   */
  | { status: 'permanent'; reason: string; optedOut: boolean }
  /** May succeed later (AT 500-502, timeouts, 5xx for the whole request): retry with backoff. */
  | { status: 'retry'; reason: string };

export interface SmsGateway {
  /**
   * Sends one batch. Resolves with an outcome for every recipient (by number). A failure of
   * the whole request that a retry may cure (timeout, 5xx) gives every recipient `retry`;
   * one that no retry cures (bad credentials) rejects.
   */
  sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>>;
}

/** One SMS as the local outbox keeps it. */
export interface OutboxEntry {
  providerId: string;
  to: string;
  from?: string;
  text: string;
  at: string;
  studyId?: string;
}

/** The local outbox read back (the console's "phone" and the tests), newest first. */
export interface OutboxReader {
  list(opts?: { to?: string; studyId?: string; limit?: number }): Promise<OutboxEntry[]>;
}
