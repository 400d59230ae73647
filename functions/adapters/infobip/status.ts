/**
 * Infobip's message statuses (groupId 1 pending, 2 undeliverable, 3 delivered, 4 expired,
 * 5 rejected) onto ours: what a send answer means for the sender, and what a delivery report
 * moves a message to (forward only, core/sms/delivery.ts).
 */
import type { RecipientOutcome } from '../../core/ports/sms.js';
import type { DeliveryStatus } from '../../core/sms/delivery.js';

export interface InfobipStatus {
  groupId: number;
  groupName?: string;
  id?: number;
  name?: string;
  description?: string;
}

/** Do-not-disturb (REJECTED_DND) and blocked-destination refusals: the number opted out, as an AT 406. */
export function isOptOut(status: InfobipStatus): boolean {
  return /DND|DESTINATION_BLOCK|BLACKLIST|OPT.?OUT/i.test(status.name ?? '');
}

/** What the send answer's status of one destination means. */
export function sendOutcome(status: InfobipStatus, providerId: string): RecipientOutcome {
  const reason = `${status.groupName ?? `group ${status.groupId}`}${status.name ? ` ${status.name}` : ''}`;
  if (status.groupId === 1 || status.groupId === 3) return { status: 'accepted', providerId };
  if (status.groupId === 2 || status.groupId === 4 || status.groupId === 5) return { status: 'permanent', reason, optedOut: isOptOut(status) };
  return { status: 'retry', reason: `unknown status ${reason}` };
}

/**
 * The message status a delivery report moves to, or undefined for a group we do not know.
 * DELIVERED_TO_OPERATOR is in the delivered group but not final (the handset's report may
 * follow): it ranks below Success, so the later report still moves the message on.
 */
export function reportStatus(status: InfobipStatus): DeliveryStatus | undefined {
  if (status.groupId === 3 && status.name === 'DELIVERED_TO_OPERATOR') return 'Buffered';
  const byGroup: Record<number, DeliveryStatus> = { 1: 'Submitted', 2: 'Failed', 3: 'Success', 4: 'Expired', 5: 'Rejected' };
  return byGroup[status.groupId];
}
