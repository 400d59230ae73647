/** Builders for the payout unit tests: a study with a policy, week records, payouts. */
import type { DiaryAnswer, WeekRecord } from '../../functions/core/diary/week-record.js';
import type { AnswerValue } from '../../functions/core/model.js';
import type { IncentivePolicy } from '../../functions/core/payouts/policy.js';

export const AT = new Date('2026-03-09T10:00:00.000Z');

export const KENYA_POLICY: IncentivePolicy = { currency: 'KES', perWeek: 20, perParticipantCap: 200, budget: 10_000, channel: 'airtime' };

export const ARMS = [
  { armId: 'treatment', treatment: true },
  { armId: 'control', treatment: false },
];

/** A week record with these answers, each by `channel` unless given as [value, channel]. */
export function weekWith(studyWeek: number, answers: Record<string, AnswerValue | null | [AnswerValue | null, DiaryAnswer['channel']]>, channel: DiaryAnswer['channel'] = 'ussd'): WeekRecord {
  const stored: Record<string, DiaryAnswer> = {};
  for (const [id, v] of Object.entries(answers)) {
    const [value, by] = Array.isArray(v) && v.length === 2 && (v[1] === 'ussd' || v[1] === 'sms') ? (v as [AnswerValue | null, DiaryAnswer['channel']]) : [v as AnswerValue | null, channel];
    stored[id] = { value, at: AT.toISOString(), channel: by };
  }
  return {
    studyId: 's1',
    participantId: 'p1',
    phone: '+254711000001',
    week: '2026-W11',
    studyWeek,
    questionnaireId: 'diary',
    questionnaireVersion: 1,
    answers: stored,
    complete: false,
    version: 1,
    createdAt: AT.toISOString(),
    updatedAt: AT.toISOString(),
  };
}
