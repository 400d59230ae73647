import { createHash } from 'node:crypto';

/**
 * A provider's idempotency key for one of our messages: the same message id always gives the
 * same key, so a resend (a crash after the provider accepted, a redelivered queue entry) is
 * the provider's duplicate, not a second SMS. Hashed, because provider keys are short and
 * plain (SSL Wireless `csms_id`: at most 20 characters), while our ids carry study, period
 * and participant. 20 hex digits are 80 bits: no collision among a study's messages.
 */
export function providerKey(messageId: string, length = 20): string {
  return createHash('sha256').update(messageId).digest('hex').slice(0, length);
}
