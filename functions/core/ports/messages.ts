import type { DeliveryStatus, MessageStatus } from '../sms/delivery.js';

/** An outbound SMS as recorded: created once by the dispatcher, then advanced by the sender and reports. */
export interface MessageRecord {
  messageId: string;
  studyId: string;
  participantId: string;
  purpose: string;
  period: string;
  status: MessageStatus;
  rank: number;
  providerId?: string;
  failureReason?: string;
  /** Sends the provider asked to retry, and the last reason. */
  attempts?: number;
  lastError?: string;
  /** Held back at send time (quiet hours): not enqueued again before this. */
  notBefore?: string;
  /** When the provider accepted it (reminder spacing counts from here, not from planning). */
  sentAt?: string;
  /** The message as sent, so a lost enqueue can be redone from the record alone. */
  phone?: string;
  text?: string;
  treatmentOnly?: boolean;
  createdAt: string;
  updatedAt: string;
}

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
