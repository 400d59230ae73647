/**
 * Complaint cases: every complaint a participant makes becomes a case that moves through
 * `new → acknowledged → referred → provider_responded → resolved | unresolved → closed`,
 * each step recorded with its time, actor, role and note. Kudos are counted, never cases.
 */
import type { Complaint } from '../model.js';

export const CASE_STATES = ['new', 'acknowledged', 'referred', 'provider_responded', 'resolved', 'unresolved', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/**
 * Who acts on a case. Staff roles come from the directory (core/users.ts) plus `provider`, a
 * provider's complaints desk; `participant` is the person who complained, answering on USSD or
 * SMS; `system` is a scheduled job (closing a resolved case nobody answered about).
 */
export type CaseRole = 'ngo' | 'admin' | 'researcher' | 'provider' | 'participant' | 'system';

export interface CaseActor {
  /** Immutable: the directory's username, the participant id, or the job's name. */
  id: string;
  /** What the history shows (an email, "participant"); may change without rewriting history. */
  label: string;
  role: CaseRole;
  /** For `provider`: the provider id whose desk this account is. */
  providerId?: string;
}

export type CaseAction =
  | { type: 'acknowledge'; note?: string }
  /** Triage: the provider and category as staff confirmed them (an SMS complaint names neither). */
  | { type: 'triage'; provider?: string; category?: string; note?: string }
  | { type: 'refer'; note?: string }
  | { type: 'respond'; note: string }
  | { type: 'resolve'; note?: string }
  | { type: 'markUnresolved'; note?: string }
  /** The participant's answer to "Was your problem solved?". */
  | { type: 'answer'; solved: boolean }
  | { type: 'close'; note?: string }
  /** This case repeats `into` (the same participant's other case): it closes, pointing there. */
  | { type: 'merge'; into: string; note?: string };

export interface CaseStep {
  action: CaseAction['type'];
  from: CaseState;
  to: CaseState;
  at: string;
  actor: CaseActor;
  note?: string;
}

export interface ComplaintCase {
  studyId: string;
  participantId: string;
  /** The complaint's reference, given to the participant: unique per study. */
  ref: string;
  state: CaseState;
  provider: string;
  category: string;
  channel: Complaint['channel'];
  /** Diary week of the complaint, for counting per provider and month. */
  week: string;
  receivedAt: string;
  /** The participant's words; never on the scorecard, only redacted in exports. */
  text?: string;
  /** The participant agreed to show their number to the provider's desk for this case. */
  shareNumber: boolean;
  acknowledgedAt?: string;
  referredAt?: string;
  /** The first resolution; SLA "resolved within" counts this one, a reopen does not reset it. */
  resolvedAt?: string;
  closedAt?: string;
  /** The participant's last answer to "Was your problem solved?". */
  solved?: boolean;
  mergedInto?: string;
  history: CaseStep[];
  /** Bumped on every step: the store writes only on the version it read (forward-only). */
  version: number;
}

/** A new case for a stored complaint; undefined for kudos, which open none. */
export function caseFromComplaint(c: Complaint): ComplaintCase | undefined {
  if (c.kind === 'kudos') return undefined;
  return {
    studyId: c.studyId,
    participantId: c.participantId,
    ref: c.ref,
    state: 'new',
    provider: c.provider,
    category: c.category,
    channel: c.channel,
    week: c.week,
    receivedAt: c.at,
    ...(c.text ? { text: c.text } : {}),
    shareNumber: c.shareNumber === true,
    history: [],
    version: 0,
  };
}
