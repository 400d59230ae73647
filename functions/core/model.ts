/** Entities of Sauti as the core sees them; storage layout lives in the adapters. */
import type { OutcomeDefinition } from './impact/outcomes.js';
import type { IncentiveDesign, IncentivePolicy } from './payouts/policy.js';
import type { SchedulePolicy } from './schedule/policy.js';
import type { Messaging } from './sms/providers.js';

export type Lang = string;

export interface Arm {
  armId: string;
  name: string;
  /** Relative share in randomization (e.g. 1 and 1 for equal arms). */
  ratio: number;
  /** Treatment arms receive education content; control arms never do (invariant 2). */
  treatment: boolean;
}

export interface Study {
  studyId: string;
  name: string;
  /** ISO 3166-1 alpha-2 country, the default region for phone numbers. */
  country: string;
  timeZone: string;
  languages: Lang[];
  serviceCode: string;
  /** Who participants call with questions; shown in the consent text. */
  contact: string;
  arms: Arm[];
  /** Banks, mobile-money operators and agents participants can report a problem with. */
  providers: Provider[];
  /** First day of the study (YYYY-MM-DD, local); study weeks count from its ISO week. */
  startsOn?: string;
  /** Short code or long number participants text; incoming SMS to it belong to this study. */
  smsShortCode?: string;
  /** Sender id or short code outbound SMS come from (the account default when absent); `messaging.from` wins. */
  smsFrom?: string;
  /** The SMS provider and sender (core/sms/providers.ts); by country when absent (Bangladesh: SSL Wireless). */
  messaging?: Messaging;
  /** The weekly prompt, quiet hours and reminders; DEFAULT_SCHEDULE where absent. */
  schedule?: Partial<StudySchedule>;
  /** What one SMS segment costs, for campaign previews (e.g. 0.8 KES). */
  smsCost?: { perSegment: number; currency: string };
  /** The pre-specified outcomes of the impact report (DEFAULT_OUTCOMES when absent). */
  outcomes?: OutcomeDefinition[];
  /** Data retention: raw SMS and USSD bodies are blanked this many days after receipt. */
  retention?: { rawSmsDays: number };
  /** What participants are paid for their time, and how (core/payouts/policy.ts); none when absent. */
  incentives?: IncentivePolicy;
  /** `differential`: incentives may differ by arm, and the impact report says so; `equal` when absent. */
  incentiveDesign?: IncentiveDesign;
  createdAt: string;
}

export interface StudySchedule extends SchedulePolicy {
  /** Hours after the prompt before a reminder may go to someone who has not answered. */
  reminderAfterHours: number;
}

export interface Provider {
  id: string;
  /** As participants know it; shown on USSD screens, so GSM-7 and short. */
  name: string;
  kind: 'bank' | 'mobile_money' | 'agent' | 'other';
}

/** A finished lesson: the quiz answer given, and whether it was right. */
export interface LessonResult {
  choice: string;
  correct: boolean;
  at: string;
  sessionId: string;
}

export type ConsentState = 'pending' | 'consented' | 'declined' | 'withdrawn';

export interface Consent {
  state: ConsentState;
  /** Version of the consent text the participant read when agreeing or declining. */
  version?: string;
  at?: string;
  /** `provider`: the SMS provider reported the number opted out (AT 406, blacklisted). */
  channel?: 'ussd' | 'sms' | 'import' | 'provider';
  /** The USSD session that recorded the decision: a replay of its last request is answered, not re-applied. */
  sessionId?: string;
}

export interface Participant {
  studyId: string;
  participantId: string;
  /** E.164 with a leading +. */
  phone: string;
  lang?: Lang;
  consent: Consent;
  armId?: string;
  /** How the arm was given (write-once: invariant 5). */
  assignment?: { randomizationId: string; at: string };
  stratum?: string;
  cluster?: string;
  baseline?: Baseline;
  /** Finished lessons by `moduleId/lessonId` (treatment arm). */
  lessons?: Record<string, LessonResult>;
  /** Preferred reminder time, local: ISO weekday (1 = Monday) and hour. */
  reminder?: { day: number; hour: number };
  /** Digital maturity: reach by USSD only, or send SMS reminders too. */
  channel?: 'ussd' | 'sms';
  source: 'ussd' | 'import' | 'seed';
  /**
   * A throw-away number made by a training tool (the simulator's guided tour): it walks the real
   * menus but is never research data, so exports, impact and balance leave it out (invariant 10).
   */
  training?: { tool: 'tour'; at: string };
  /** A "FORGET" by SMS waiting for its confirmation (core/privacy/forget.ts). */
  forgetRequest?: { at: string; smsId: string };
  /** Set once the participant is forgotten: the phone is gone, the export id kept. */
  forgotten?: { at: string; by: 'participant' | 'admin'; pseudonym?: string };
  createdAt: string;
  updatedAt: string;
}

/** A problem reported by a participant ("voice"), countable per provider and week. */
export interface Complaint {
  studyId: string;
  participantId: string;
  phone: string;
  /** Short reference given to the participant. */
  ref: string;
  provider: string;
  category: string;
  text?: string;
  /** Diary week it was reported in. */
  week: string;
  at: string;
  channel: 'ussd' | 'sms';
  sessionId: string;
}

export type AnswerValue = string | number | string[];

/**
 * Baseline answers, kept on the participant as covariates: randomization by strata, balance
 * tables and impact models read them with the participant, and CSV imports fill the same map.
 */
export interface Baseline {
  questionnaireId: string;
  questionnaireVersion: number;
  answers: Record<string, AnswerValue>;
  answeredAt: string;
  channel: 'ussd' | 'sms' | 'import';
  sessionId?: string;
}
