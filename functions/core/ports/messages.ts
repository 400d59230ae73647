import type { DeliveryStatus, Message } from '../model.js';

/** An outbound SMS as recorded (model.ts `Message`): the number and text go when the participant is forgotten. */
export type MessageRecord = Omit<Message, 'phone' | 'text' | 'treatmentOnly' | 'purpose'> & Partial<Pick<Message, 'phone' | 'text' | 'treatmentOnly'>> & { purpose: string };

/** A message as it is first recorded: the store sets status, rank and updatedAt. */
export type NewMessage = Omit<MessageRecord, 'status' | 'rank' | 'updatedAt'>;

/** Outbound messages: created once, claimed by one sender, moved only forward. */
export interface MessageStore {
  /** Creates the message unless its id exists: false when it did. */
  create(m: NewMessage): Promise<boolean>;
  /** Creates many, each only if its id is new; returns the ids it created. */
  createMany(ms: readonly NewMessage[]): Promise<string[]>;
  /** The messages among these ids that exist. */
  getMany(ids: readonly string[]): Promise<MessageRecord[]>;
  get(messageId: string): Promise<MessageRecord | undefined>;
  /** Claims a queued message (or a stale claim) for sending; false when someone else holds it. */
  claim(messageId: string, at: Date, leaseMs?: number): Promise<boolean>;
  /** Gives a claim back for a retry, keeping the attempt and its reason. */
  release(messageId: string, at: Date, reason: string): Promise<void>;
  /** The provider accepted it: records that and links the provider's id for delivery reports. */
  accepted(messageId: string, providerId: string, at: string): Promise<void>;
  /** Back to `queued` until `until` (quiet hours at send time). */
  defer(messageId: string, until: Date, at: Date): Promise<void>;
  /** Ends a message that was not sent. */
  closed(messageId: string, status: 'failed' | 'skipped', reason: string, at: string): Promise<void>;
  /** The message a provider's id belongs to. */
  byProviderId(providerId: string): Promise<MessageRecord | undefined>;
  /** Applies a delivery report, only forward and once; false when it changed nothing. */
  report(providerId: string, status: DeliveryStatus, failureReason: string | undefined, at: string): Promise<boolean>;
}
