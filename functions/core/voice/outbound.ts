import { TZDate } from '@date-fns/tz';
import type { Participant, Study, VoiceRetries } from '../model.js';
import type { CallAttempt, CallAttemptStore, VoiceGateway } from '../ports/voice.js';
import { isQuietHour, promptDue, studySchedule } from '../schedule/policy.js';
import { studyWeekAt } from '../time/study-calendar.js';

/**
 * The weekly diary call of voice participants (`channel: 'voice'`): placed at their chosen
 * local time (the prompt time of the SMS channel: `promptDue`), never in quiet hours, and
 * retried for non-responders (this week's diary not complete) at most `maxPerWeek` times, at
 * least `minHoursApart` after the last attempt. Each attempt has a deterministic id, claimed
 * with a condition before AT is asked to ring: a doubled or concurrent dispatcher places
 * nothing twice (invariant 4). A crash between the claim and AT's answer loses that attempt
 * (it counts as tried); the next retry covers it. At most once beats twice for a phone call.
 */

export const DEFAULT_VOICE_RETRIES: VoiceRetries = { maxPerWeek: 2, minHoursApart: 4 };

export function voiceRetries(study: Pick<Study, 'voice'>): VoiceRetries {
  return { ...DEFAULT_VOICE_RETRIES, ...study.voice?.retries };
}

/** The attempt id: the study is part of it, participant ids are unique per study only. */
export const callAttemptId = (p: { studyId: string; participantId: string }, week: string, seq: number) => `call#${p.studyId}#${week}#${p.participantId}#${seq}`;

export const calledByVoice = (p: Participant): boolean => p.consent.state === 'consented' && p.channel === 'voice' && !p.training;

export interface DueCall {
  attemptId: string;
  participant: Participant;
  period: string;
  seq: number;
}

/**
 * The calls due now for these participants, given their attempts so far this week and who
 * finished the diary. Pure: the same inputs give the same attempt ids.
 */
export function planCalls(input: {
  study: Study;
  now: Date;
  participants: readonly Participant[];
  attempts: readonly CallAttempt[];
  diaryComplete: ReadonlySet<string>;
}): DueCall[] {
  const { study, now } = input;
  const schedule = studySchedule(study);
  if (isQuietHour(new TZDate(now.getTime(), study.timeZone).getHours(), schedule.quiet)) return [];
  const week = studyWeekAt(study, now).id;
  const retries = voiceRetries(study);
  const byParticipant = new Map<string, CallAttempt[]>();
  for (const a of input.attempts) if (a.period === week) byParticipant.set(a.participantId, [...(byParticipant.get(a.participantId) ?? []), a]);
  const due: DueCall[] = [];
  for (const p of input.participants) {
    if (!calledByVoice(p) || input.diaryComplete.has(p.phone)) continue;
    if (promptDue(now, study.timeZone, schedule, p.reminder) > now) continue;
    const mine = byParticipant.get(p.participantId) ?? [];
    const seq = mine.length === 0 ? 0 : Math.max(...mine.map((a) => a.seq)) + 1;
    if (seq > retries.maxPerWeek) continue;
    const last = mine.map((a) => a.createdAt).sort().at(-1);
    if (last && now.getTime() - Date.parse(last) < retries.minHoursApart * 3_600_000) continue;
    due.push({ attemptId: callAttemptId(p, week, seq), participant: p, period: week, seq });
  }
  return due;
}

export interface CallPorts {
  gateway: VoiceGateway;
  attempts: CallAttemptStore;
  participantsPage(studyId: string, cursor?: string): Promise<{ participants: Participant[]; cursor?: string }>;
  diaryComplete(studyId: string, phones: string[], week: string): Promise<Set<string>>;
}

export interface CallResult {
  placed: number;
  failed: number;
}

/** One dispatcher tick's calls for one study: nothing when the study has no voice number. */
export async function placeCalls(study: Study, now: Date, ports: CallPorts): Promise<CallResult> {
  const result: CallResult = { placed: 0, failed: 0 };
  const from = study.voice?.from;
  if (!from) return result;
  const week = studyWeekAt(study, now).id;
  const maxSeq = voiceRetries(study).maxPerWeek;
  let cursor: string | undefined;
  do {
    const page = await ports.participantsPage(study.studyId, cursor);
    cursor = page.cursor;
    const people = page.participants.filter(calledByVoice);
    if (people.length === 0) continue;
    const ids = people.flatMap((p) => Array.from({ length: maxSeq + 1 }, (_, seq) => callAttemptId(p, week, seq)));
    const [attempts, diaryComplete] = await Promise.all([ports.attempts.attempts(ids), ports.diaryComplete(study.studyId, people.map((p) => p.phone), week)]);
    for (const due of planCalls({ study, now, participants: people, attempts, diaryComplete })) {
      const claimed = await ports.attempts.claim({
        attemptId: due.attemptId, studyId: study.studyId, participantId: due.participant.participantId, period: due.period, seq: due.seq, status: 'placing', createdAt: now.toISOString(),
      });
      if (!claimed) continue;
      let outcome: Awaited<ReturnType<VoiceGateway['placeCall']>>;
      try {
        outcome = await ports.gateway.placeCall({ from, to: due.participant.phone, clientRequestId: due.attemptId });
      } catch (err) {
        outcome = { status: 'failed', reason: err instanceof Error ? err.message : String(err) };
      }
      await ports.attempts.placed(due.attemptId, outcome);
      if (outcome.status === 'queued') result.placed += 1;
      else result.failed += 1;
    }
  } while (cursor);
  return result;
}
