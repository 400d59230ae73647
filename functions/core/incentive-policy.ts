/** The incentive policy of a study, as an entity (its rules live in core/payouts/). */

export type IncentiveChannel = 'airtime' | 'payout_file';
export type IncentiveDesign = 'equal' | 'differential';

/** What each kind of completion earns, in the policy's currency. */
export interface IncentiveAmounts {
  /** Per completed diary week (core/payouts/completed.ts says what "completed" is). */
  perWeek: number;
  /** Per completed lesson module (every lesson of it finished). */
  perModule?: number;
  /** Paid once, when the participant has completed `afterWeeks` diary weeks. */
  completionBonus?: { amount: number; afterWeeks: number };
}

export interface IncentivePolicy extends IncentiveAmounts {
  /** ISO 4217, e.g. KES; one currency per study. */
  currency: string;
  /** The most one participant is paid over the study, every reason together. */
  perParticipantCap: number;
  /** The most the study pays, everyone together; no payout is planned past it. */
  budget: number;
  /** `airtime`: Africa's Talking Airtime; `payout_file`: a CSV an NGO uploads to bKash, Nagad, M-Pesa… */
  channel: IncentiveChannel;
  /** Amounts of particular arms (by armId), replacing the ones above: only in a differential design. */
  byArm?: Record<string, IncentiveAmounts>;
  /** An SMS receipt on success (default true); false where the route or the ethics board forbids it. */
  receipts?: boolean;
  /** Send attempts before a payout is shown for action (default 5). */
  maxTries?: number;
}
