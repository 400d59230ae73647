/**
 * The ports the payout core needs, for phase 2 to implement (DynamoDB, the AT airtime adapter)
 * and tests to fake. Narrow on purpose: each method is one conditional write or one read.
 */
import type { AirtimeStatusCallback } from '../payouts/callbacks.js';
import type { Payout } from '../payouts/ledger.js';

/** Raised by a store when a payout changed since it was read (someone else moved it first). */
export class StalePayoutError extends Error {
  constructor(readonly payoutId: string) {
    super(`Payout ${payoutId} was changed concurrently`);
    this.name = 'StalePayoutError';
  }
}

export interface PayoutStore {
  /**
   * Creates each payout only if no payout has its id (`attribute_not_exists`): a second plan of
   * the same completions, or two dispatchers at once, create nothing twice. Says which were new.
   */
  createPayouts(payouts: readonly Payout[]): Promise<{ created: string[]; existing: string[] }>;
  /**
   * Writes `next` only if the stored payout's version is still `next.version - 1`; otherwise
   * throws StalePayoutError (the caller re-reads and decides again). The only way a payout
   * changes, so every change went through `advance` (forward only) or a marked helper.
   */
  savePayout(next: Payout): Promise<void>;
  getPayout(payoutId: string): Promise<Payout | undefined>;
  /** Every payout of a study (for planning: existing ids, amounts committed; the console). */
  listPayouts(studyId: string): Promise<Payout[]>;
  /** The payouts of one number, for the validation callback. */
  payoutsOfPhone(phone: string): Promise<Payout[]>;
  /** The payout whose attempt AT gave this requestId (a link item written with `acceptedByAt`). */
  payoutOfRequest(requestId: string): Promise<Payout | undefined>;
  /** A status callback that matched no payout: kept apart, once per requestId and status. */
  recordUnmatchedCallback(callback: AirtimeStatusCallback, at: Date): Promise<void>;
  /**
   * The callbacks kept apart for this requestId: a callback can overtake the sender's record of
   * AT's answer, so the sender applies them once it has linked the requestId.
   */
  unmatchedCallbacks(requestId: string): Promise<AirtimeStatusCallback[]>;
}

/** One airtime payment to make: one AT request, under its own idempotency key. */
export interface AirtimeRequest {
  payoutId: string;
  /** `idempotencyKey(payout)`: the same for every resend of an attempt. */
  idempotencyKey: string;
  /** E.164 with '+'. */
  phone: string;
  currency: string;
  amount: number;
}

export type AirtimeOutcome =
  /** Handed to the operator ("Sent"); the status callback has the final word. */
  | { status: 'sent'; requestId: string; discount?: string }
  /** Definitely not paid: AT answered Failed for the recipient, or refused the request. */
  | { status: 'failed'; reason: string }
  /** Unknown whether paid (5xx, timeout, not JSON, no answer for the recipient): resend under the same key. */
  | { status: 'retry'; reason: string };

export interface AirtimeGateway {
  /**
   * Sends each request (one AT call per request, since AT takes one key per call) and answers
   * per payout id. Never throws for a failed call: every payout gets an outcome.
   */
  send(requests: readonly AirtimeRequest[]): Promise<Map<string, AirtimeOutcome>>;
}
