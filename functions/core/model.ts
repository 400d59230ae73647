/** Entities of Sauti as the core sees them; storage layout lives in the adapters. */
import type { OutcomeDefinition } from './outcome-definition.js';
import type { IncentiveDesign, IncentivePolicy } from './incentive-policy.js';

export type Lang = string;

/** How an answer or a complaint came in: a USSD session, an SMS, a voice call (IVR), or an enumerator's call (issue 18). */
export type AnswerChannel = 'ussd' | 'sms' | 'voice' | 'enumerator';

/**
 * When messages may go out: the study's weekly prompt at a local day and hour (or the
 * participant's own), never in quiet hours, and reminders that respect people: only to those
 * who have not answered, at most N a week, at least H hours apart (docs/design.md, "Respect").
 */
export interface SchedulePolicy {
  /** ISO weekday (1 = Monday) and local hour of the weekly diary prompt. */
  promptDay: number;
  promptHour: number;
  /** Local hours when nothing is sent: from `start` (inclusive) to `end` (exclusive), may wrap midnight. */
  quiet: { start: number; end: number };
  reminders: { maxPerWeek: number; minHoursApart: number };
}

export const SMS_PROVIDERS = ['africastalking', 'infobip', 'sslwireless'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

/** A study's choice of SMS provider and sender. */
export interface Messaging {
  provider: SmsProvider;
  /** Sender id or short code; the account default when absent (SSL Wireless: the SID decides). */
  from?: string;
  /**
   * Bangladesh: a masked (brand) sender carries transactional SMS; a non-masked (numeric) one
   * promotional SMS, which BTRC wants in Bangla Unicode and within sending hours.
   */
  masked?: boolean;
}

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
  /** The voice channel's outbound calls: the number they come from, and retries of a missed call (core/voice/outbound.ts). */
  voice?: { from: string; retries?: Partial<VoiceRetries> };
  /** Complaint-case SLA clocks (core/cases/sla.ts); the Kenyan Banking Charter's where absent. */
  caseSla?: Partial<CaseSlaSettings>;
  /** The study's complaints, kudos and diary feed the public provider scorecard (opt-in). */
  publishScorecard?: boolean;
  /** What participants are paid for their time, and how (core/payouts/policy.ts); none when absent. */
  incentives?: IncentivePolicy;
  /** `differential`: incentives may differ by arm, and the impact report says so; `equal` when absent. */
  incentiveDesign?: IncentiveDesign;
  /** Enumerator calls: weekly attempt cap, back-check share (core/enumerate/model.ts DEFAULT_ENUMERATION). */
  enumeration?: { maxAttemptsPerWeek?: number; backCheckPercent?: number; holdMinutes?: number };
  createdAt: string;
}

/** How long staff and providers have to acknowledge and resolve a complaint case. */
export interface CaseSlaSettings {
  /** Elapsed hours from receipt to acknowledgement. */
  acknowledgeHours: number;
  /** Working days from receipt to resolution, counted in the study's zone. */
  resolveWorkingDays: number;
  /** ISO weekdays that are working days (1 = Monday … 7 = Sunday). */
  workingDays: number[];
  /** Local dates (YYYY-MM-DD) that are not working days. */
  holidays?: string[];
}

/** A missed weekly call is placed again at most `maxPerWeek` times, `minHoursApart` after the last. */
export interface VoiceRetries {
  maxPerWeek: number;
  minHoursApart: number;
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
  /** The name the public scorecard shows (the brand), where it differs from `name`. */
  publicName?: string;
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
  channel?: 'ussd' | 'sms' | 'import' | 'provider' | 'enumerator';
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
  /** Digital maturity: reach by USSD only, send SMS reminders too, or call them (the IVR: core/voice/outbound.ts). */
  channel?: 'ussd' | 'sms' | 'voice';
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
  /**
   * A complaint by voice: the provider's URL of the participant's recording, kept as the
   * complaint's evidence. Never exported with identities (the complaints export lists its columns).
   */
  recordingUrl?: string;
  /** Diary week it was reported in. */
  week: string;
  at: string;
  channel: AnswerChannel;
  sessionId: string;
  /** Praise (kudos) is counted like a complaint but opens no case; absent: a complaint. */
  kind?: 'complaint' | 'kudos';
  /** The participant agreed to show their number to the provider's desk for this case. */
  shareNumber?: boolean;
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

/**
 * Africa's Talking delivery statuses, ordered so that a report can only move a message
 * forward: reports arrive late, twice, or out of order (a `Sent` after the `Success`), and a
 * final status must never be overwritten by an earlier one.
 */
export const DELIVERY_STATUSES = ['Sent', 'Submitted', 'Buffered', 'Rejected', 'Success', 'Failed', 'AbsentSubscriber', 'Expired'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Our own statuses around the provider's: planned (queued), handed over (accepted), refused
 * by the provider at send time (failed), or not sent because the re-check at send time said
 * no (skipped: opted out, control arm).
 */
export type MessageStatus = 'queued' | 'sending' | 'accepted' | 'failed' | 'skipped' | DeliveryStatus;

/**
 * An outbound SMS, the one message entity: planned by the dispatcher (or a reply to an
 * incoming SMS), recorded once by its deterministic id, claimed and sent by the sender, moved
 * forward by delivery reports. What travels on the queue (`OutboundMessage`), what the
 * dispatcher records (`StoredMessage`), the stored record (`MessageRecord`) and what exports
 * and the console read (`ExportMessage`, `ConsoleMessage`) are views of it.
 */
export interface Message {
  /** Deterministic id (schedule/policy.ts `messageId`). */
  messageId: string;
  studyId: string;
  participantId: string;
  /** E.164; gone from the record of a forgotten participant. */
  phone: string;
  text: string;
  from?: string;
  /** Education content: only ever to a treatment arm, checked at send time, not only when planned. */
  treatmentOnly: boolean;
  /** The one message allowed after STOP: its confirmation. */
  stopConfirmation?: boolean;
  /** An answer to an SMS the number sent us: it may go to someone not (yet) in the study. */
  reply?: boolean;
  purpose: 'prompt' | 'reminder' | 'lesson' | 'reply' | 'case';
  period: string;
  status: MessageStatus;
  /** The status's order: a status only ever moves to a higher rank. */
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
  /** When it was due (UTC) and the zone that was computed in (the study's). */
  dueAt?: string;
  timeZone?: string;
  campaignId?: string;
  /** Kept on the message of a forgotten participant, whose number is gone. */
  pid?: string;
  createdAt: string;
  updatedAt: string;
}
