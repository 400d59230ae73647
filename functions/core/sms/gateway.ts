/**
 * The SMS gateway port. Africa's Talking is one adapter; a local outbox is another; a
 * Bangladeshi aggregator can be a third (AT does not serve Bangladesh).
 */

/** One text to many recipients, sent as one bulk request. */
export interface SmsBatch {
  text: string;
  /** Sender id or short code; the account default when absent. */
  from?: string;
  /** E.164 numbers with a leading +. */
  to: string[];
  /** The study the messages belong to (the outbox lists per study; AT ignores it). */
  studyId?: string;
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
