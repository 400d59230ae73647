/**
 * The PayoutStore port in memory, for tests of the payout core and the airtime adapter, with
 * the contract phase 2's DynamoDB store must keep: create only if new, save only on the
 * previous version, a requestId link for each accepted attempt, callbacks kept apart.
 */
import type { AirtimeStatusCallback } from '../../functions/core/payouts/callbacks.js';
import type { Payout } from '../../functions/core/payouts/ledger.js';
import { type PayoutStore, StalePayoutError } from '../../functions/core/ports/payouts.js';

export class MemoryPayoutStore implements PayoutStore {
  readonly payouts = new Map<string, Payout>();
  readonly unmatched: AirtimeStatusCallback[] = [];
  /** Every successful write, in order: what a test checks "nothing twice" on. */
  readonly writes: Payout[] = [];

  async createPayouts(payouts: readonly Payout[]): Promise<{ created: string[]; existing: string[] }> {
    const created: string[] = [];
    const existing: string[] = [];
    for (const p of payouts) {
      if (this.payouts.has(p.payoutId)) existing.push(p.payoutId);
      else {
        this.payouts.set(p.payoutId, structuredClone(p));
        this.writes.push(structuredClone(p));
        created.push(p.payoutId);
      }
    }
    return { created, existing };
  }

  async savePayout(next: Payout): Promise<void> {
    const stored = this.payouts.get(next.payoutId);
    if (!stored || stored.version !== next.version - 1) throw new StalePayoutError(next.payoutId);
    this.payouts.set(next.payoutId, structuredClone(next));
    this.writes.push(structuredClone(next));
  }

  async getPayout(payoutId: string): Promise<Payout | undefined> {
    const p = this.payouts.get(payoutId);
    return p && structuredClone(p);
  }

  async listPayouts(studyId: string): Promise<Payout[]> {
    return [...this.payouts.values()].filter((p) => p.studyId === studyId).map((p) => structuredClone(p));
  }

  async payoutsOfPhone(phone: string): Promise<Payout[]> {
    return [...this.payouts.values()].filter((p) => p.phone === phone).map((p) => structuredClone(p));
  }

  async payoutOfRequest(requestId: string): Promise<Payout | undefined> {
    const p = [...this.payouts.values()].find((x) => x.requests.some((r) => r.requestId === requestId));
    return p && structuredClone(p);
  }

  async recordUnmatchedCallback(callback: AirtimeStatusCallback, _at: Date): Promise<void> {
    if (!this.unmatched.some((c) => c.requestId === callback.requestId && c.status === callback.status)) this.unmatched.push(callback);
  }

  async unmatchedCallbacks(requestId: string): Promise<AirtimeStatusCallback[]> {
    return this.unmatched.filter((c) => c.requestId === requestId);
  }
}

/** A clock a test moves by hand. */
export function manualClock(startIso: string): { now(): Date; advance(ms: number): void } {
  let t = Date.parse(startIso);
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
  };
}
