import { createHash } from 'node:crypto';
import { nextWeekRecord } from '../diary/week-record.js';
import { withdrawConsent } from '../enrol/withdraw-consent.js';
import { StaleSessionError } from '../errors.js';
import type { Study } from '../model.js';
import { studyWeekAt } from '../time/study-calendar.js';
import { EnumerationError } from './errors.js';
import { type InterviewDeps, participantFor, updateCallRecord, weekRecordOf } from './interview.js';
import { type CallAttempt, type CallRecord, type Disposition, enumerationSettings, type EnumeratorId } from './model.js';

/**
 * One call attempt and its disposition. Every attempt is logged with its time and enumerator,
 * at most the study's cap a week (default 4); "withdrew" goes through the one withdrawal of
 * consent, as STOP does; "call back" hides the participant until that time; "completed" marks
 * the week's diary done (the same conditional write as USSD's "save") and may flag the
 * interview for a supervisor's back-check. The attempt id is the browser's: a resend is
 * answered with the stored record, not logged twice.
 */
export interface AttemptInput {
  attemptId: string;
  disposition: Disposition;
  callBackAt?: string;
  note?: string;
  /** The interview's length as the browser measured it (monotonic clock). */
  durationMs?: number;
}

export async function recordAttempt(deps: InterviewDeps, study: Study, participantId: string, enumeratorId: EnumeratorId, a: AttemptInput): Promise<CallRecord> {
  const now = deps.clock.now();
  const week = studyWeekAt(study, now);
  if (a.disposition === 'call_back' && !(a.callBackAt && Date.parse(a.callBackAt) > now.getTime())) {
    throw new EnumerationError('invalid', 'A call-back needs a time in the future.');
  }
  const p = await participantFor(deps, study, participantId, enumeratorId);
  const settings = enumerationSettings(study);
  let logged = false;
  const record = await updateCallRecord(deps, study.studyId, week.id, participantId, (r) => {
    if (r.attempts.some((x) => x.attemptId === a.attemptId)) return r;
    if (r.attempts.length >= settings.maxAttemptsPerWeek) throw new EnumerationError('cap', `This participant has had ${r.attempts.length} calls this week, the most the study allows (${settings.maxAttemptsPerWeek}).`);
    logged = true;
    const stamp = now.toISOString();
    const attempt: CallAttempt = { attemptId: a.attemptId, at: stamp, enumeratorId, disposition: a.disposition, ...(a.callBackAt ? { callBackAt: a.callBackAt } : {}), ...(a.note ? { note: a.note } : {}) };
    const open = r.interviews.at(-1);
    const interviews = open && open.enumeratorId === enumeratorId && !open.endedAt ? [...r.interviews.slice(0, -1), { ...open, endedAt: stamp, ...(a.durationMs !== undefined ? { durationMs: a.durationMs } : {}) }] : r.interviews;
    const { holder: _holder, callBackAt: _cb, ...rest } = r;
    const flag = a.disposition === 'completed' && !r.backCheck && inBackCheckSample(study.studyId, participantId, week.id, settings.backCheckPercent);
    return {
      ...rest, attempts: [...r.attempts, attempt], interviews,
      ...(a.disposition === 'call_back' && a.callBackAt ? { callBackAt: a.callBackAt } : {}),
      ...(flag ? { backCheck: { flaggedAt: stamp } } : r.backCheck ? { backCheck: r.backCheck } : {}),
    };
  });
  if (!logged) return record;
  if (a.disposition === 'withdrew') {
    const stamp = now.toISOString();
    await deps.participants.saveParticipant({ ...withdrawConsent(p, { at: stamp, channel: 'enumerator' }), updatedAt: stamp }, p.updatedAt);
  }
  if (a.disposition === 'completed') await completeWeek(deps, study, participantId, enumeratorId);
  return record;
}

async function completeWeek(deps: InterviewDeps, study: Study, participantId: string, enumeratorId: EnumeratorId): Promise<void> {
  const p = await participantFor(deps, study, participantId, enumeratorId);
  for (let attempt = 0; ; attempt += 1) {
    const now = deps.clock.now();
    const week = studyWeekAt(study, now);
    const record = await weekRecordOf(deps, p, week.id);
    if (record?.complete) return;
    const stamp = now.toISOString();
    const next = nextWeekRecord(record, { participant: p, week: week.id, studyWeek: week.studyWeek, form: deps.content.diary, stamp }, { complete: true, completedAt: stamp });
    try {
      await deps.diary.saveWeek(next, record?.version);
      return;
    } catch (err) {
      if (!(err instanceof StaleSessionError) || attempt >= 8) throw err;
    }
  }
}

/**
 * Whether a completed interview is in the back-check sample: a hash of study, participant and
 * week below k%. Random across interviews, unknowable to the enumerator, and the same on a resend.
 */
export function inBackCheckSample(studyId: string, participantId: string, week: string, percent: number): boolean {
  const h = createHash('sha256').update(`backcheck|${studyId}|${participantId}|${week}`).digest();
  return (h.readUInt32BE(0) / 0x1_0000_0000) * 100 < percent;
}
