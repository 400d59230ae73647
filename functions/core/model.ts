/** Entities of Sauti as the core sees them; storage layout lives in the adapters. */

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
  /** First day of the study (YYYY-MM-DD, local); study weeks count from its ISO week. */
  startsOn?: string;
  createdAt: string;
}

export type ConsentState = 'pending' | 'consented' | 'declined' | 'withdrawn';

export interface Consent {
  state: ConsentState;
  /** Version of the consent text the participant read when agreeing or declining. */
  version?: string;
  at?: string;
  channel?: 'ussd' | 'sms' | 'import';
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
  stratum?: string;
  cluster?: string;
  baseline?: Baseline;
  source: 'ussd' | 'import' | 'seed';
  createdAt: string;
  updatedAt: string;
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
