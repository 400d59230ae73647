import { DELIVERY_STATUSES, type DeliveryStatus, type MessageStatus } from '../model.js';

export { DELIVERY_STATUSES, type DeliveryStatus, type MessageStatus };

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
