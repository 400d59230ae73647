/**
 * Africa's Talking delivery statuses, ordered so that a report can only move a message
 * forward: reports arrive late, twice, or out of order (a `Sent` after the `Success`), and a
 * final status must never be overwritten by an earlier one.
 */
export const DELIVERY_STATUSES = ['Sent', 'Submitted', 'Buffered', 'Rejected', 'Success', 'Failed', 'AbsentSubscriber', 'Expired'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Our own statuses around the provider's: planned (queued), handed over (accepted), refused
 * by the provider at send time (failed), or not sent because the re-check at send time said
 * no (skipped: opted out, control arm).
 */
export type MessageStatus = 'queued' | 'sending' | 'accepted' | 'failed' | 'skipped' | DeliveryStatus;

const FINAL = new Set<MessageStatus>(['Rejected', 'Success', 'Failed', 'AbsentSubscriber', 'Expired', 'failed', 'skipped']);

/** Progress of a status: a report is applied only if it ranks above the stored one. */
export function statusRank(s: MessageStatus): number {
  // `sending` shares the rank of `queued`: a claim is taken and released by its own conditions.
  if (s === 'queued' || s === 'sending') return 0;
  if (s === 'accepted') return 1;
  if (s === 'Sent' || s === 'Submitted') return 2;
  if (s === 'Buffered') return 3;
  return 4; // final
}

export function isFinal(s: MessageStatus): boolean {
  return FINAL.has(s);
}

export function isDeliveryStatus(s: string): s is DeliveryStatus {
  return (DELIVERY_STATUSES as readonly string[]).includes(s);
}
