import type { Questionnaire } from '../content/schema.js';
import type { AnswerChannel, AnswerValue, Participant } from '../model.js';
import type { UssdSession } from '../conversation.js';

/** One stored diary answer; `value` null marks a question the participant chose to skip. */
export interface DiaryAnswer {
  value: AnswerValue | null;
  at: string;
  channel: AnswerChannel;
  sessionId?: string;
  /** An enumerator's answer: who recorded it, and the browser's idempotency key (a resend writes nothing). */
  enumeratorId?: string;
  key?: string;
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

/**
 * The next version of a participant's diary week: the stored record (or a new one) with the
 * changes applied. One place that knows how a week record is made, for USSD and SMS alike.
 */
export function nextWeekRecord(
  record: WeekRecord | undefined,
  base: { participant: Participant; week: string; studyWeek: number; form: Questionnaire | undefined; stamp: string },
  changes: Partial<Pick<WeekRecord, 'answers' | 'complete' | 'completedAt' | 'conversation'>>,
): WeekRecord {
  const { participant: p, stamp } = base;
  return {
    studyId: p.studyId,
    participantId: p.participantId,
    phone: p.phone,
    week: base.week,
    studyWeek: base.studyWeek,
    questionnaireId: base.form?.id ?? 'diary',
    questionnaireVersion: base.form?.version ?? 0,
    answers: record?.answers ?? {},
    complete: record?.complete ?? false,
    ...(record?.completedAt ? { completedAt: record.completedAt } : {}),
    ...(record?.conversation ? { conversation: record.conversation } : {}),
    ...changes,
    version: (record?.version ?? 0) + 1,
    createdAt: record?.createdAt ?? stamp,
    updatedAt: stamp,
  };
}

/**
 * Whether the week's diary is done, for reminders: finished on USSD, or answered by SMS (the
 * compact SMS reply is the whole SMS diary; the USSD menu still offers the other questions).
 */
export function weekAnswered(record: Pick<WeekRecord, 'complete' | 'answers'>): boolean {
  return record.complete || Object.values(record.answers ?? {}).some((a) => a.channel === 'sms');
}
