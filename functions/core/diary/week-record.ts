import type { AnswerValue } from '../model.js';
import type { UssdSession } from '../ussd/session.js';

/** One stored diary answer; `value` null marks a question the participant chose to skip. */
export interface DiaryAnswer {
  value: AnswerValue | null;
  at: string;
  channel: 'ussd' | 'sms';
  sessionId?: string;
}

/** A consented participant's USSD conversation, kept with the week it belongs to. */
export type Conversation = Pick<UssdSession, 'sessionId' | 'state' | 'lastText' | 'lastResponse' | 'inputMode' | 'startedAt' | 'updatedAt'>;

/**
 * A participant's diary week: the answers (stored the moment they are given) and the USSD
 * conversation that is adding to them. One item, so a diary hop is one write.
 */
export interface WeekRecord {
  studyId: string;
  participantId: string;
  phone: string;
  /** ISO week in the study's time zone, e.g. `2026-W48`. */
  week: string;
  studyWeek: number;
  questionnaireId: string;
  questionnaireVersion: number;
  answers: Record<string, DiaryAnswer>;
  complete: boolean;
  completedAt?: string;
  conversation?: Conversation;
  version: number;
  createdAt: string;
  updatedAt: string;
}
