import type { Message, Participant } from '../model.js';

/**
 * What the console reads, as the adapters hand it over: never a phone number. Participants
 * come without `phone` (the adapter does not even project it), messages without phone or text.
 */
export type ConsoleParticipant = Omit<Participant, 'phone' | 'baseline'> & {
  /** The export id (`pid`), computed by the adapter from the number it then drops. */
  exportId?: string;
};

export type ConsoleMessage = Pick<Message, 'participantId' | 'period' | 'status' | 'createdAt'> &
  Partial<Pick<Message, 'failureReason' | 'campaignId' | 'sentAt' | 'updatedAt'>> & { purpose: string };

/** A diary week as the console needs it: whose, which week, and whether any answer was given. */
export interface ConsoleWeek {
  participantId: string;
  /** ISO week label, e.g. 2026-W48. */
  week: string;
  studyWeek: number;
  answers: Record<string, { value: unknown; at?: string; channel?: string }>;
  complete: boolean;
  completedAt?: string;
  updatedAt?: string;
}

export interface ConsoleComplaint {
  participantId: string;
  week: string;
  provider: string;
  category?: string;
  ref?: string;
  text?: string;
  at?: string;
  channel?: string;
}

/** One participant as the console lists them (contract of GET /participants). */
export interface ParticipantRow {
  participantId: string;
  /** The `pid` of this participant in exports, when the deployment has its pseudonym key. */
  exportId?: string;
  arm?: string;
  language: string;
  channel: string;
  consent: string;
  cluster?: string;
  stratum?: string;
  enrolledAt?: string;
}

export function participantRow(p: ConsoleParticipant, defaultLanguage: string): ParticipantRow {
  return {
    participantId: p.participantId,
    ...(p.exportId ? { exportId: p.exportId } : {}),
    ...(p.armId ? { arm: p.armId } : {}),
    language: p.lang ?? defaultLanguage,
    // No channel recorded: the dispatcher sends SMS unless the participant chose USSD only.
    channel: p.channel ?? 'sms',
    consent: p.consent?.state ?? 'pending',
    ...(p.cluster ? { cluster: p.cluster } : {}),
    ...(p.stratum ? { stratum: p.stratum } : {}),
    ...(p.createdAt ? { enrolledAt: p.createdAt } : {}),
  };
}
