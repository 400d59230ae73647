import { TZDate } from '@date-fns/tz';
import type { Lang, Participant, Study } from '../model.js';
import { isResearchParticipant } from '../training.js';
import { type CallRecord, type Disposition, enumerationSettings, FINAL_FOR_WEEK } from './model.js';

/**
 * An enumerator's weekly call list: their participants who have not answered this week by any
 * channel, have not reached the week's attempt cap, and owe no final disposition; a call-back
 * leaves the list until its time, then heads it. Ordered by the best time to call now in the
 * participant's zone (the study's). No row carries an arm or a phone number: the enumerator
 * asks for a number to dial, and that is audited.
 */
export interface CallListRow {
  participantId: string;
  lang?: Lang;
  /** The participant's preferred local hour (their reminder hour), if they chose one. */
  preferredHour?: number;
  attempts: number;
  lastDisposition?: Disposition;
  lastAttemptAt?: string;
  callBackAt?: string;
  /** Another enumerator has this participant open on an interview screen. */
  heldBy?: string;
  /** Why the row is where it is, in words for the screen. */
  why: string;
}

export interface CallListInput {
  study: Pick<Study, 'timeZone'> & { enumeration?: Study['enumeration'] };
  participants: readonly Participant[];
  /** Participant ids whose diary of this week is answered (any channel). */
  answered: ReadonlySet<string>;
  records: readonly CallRecord[];
  now: Date;
}

export function callList(input: CallListInput): CallListRow[] {
  const { study, now } = input;
  const cap = enumerationSettings(study).maxAttemptsPerWeek;
  const byId = new Map(input.records.map((r) => [r.participantId, r]));
  const hourNow = new TZDate(now.getTime(), study.timeZone).getHours();
  const rows: (CallListRow & { rank: [number, number, number] })[] = [];
  for (const p of input.participants) {
    if (p.consent.state !== 'consented' || p.forgotten || !isResearchParticipant(p) || input.answered.has(p.participantId)) continue;
    const r = byId.get(p.participantId);
    const attempts = r?.attempts.length ?? 0;
    const last = r?.attempts.at(-1);
    if (attempts >= cap || (last && FINAL_FOR_WEEK.includes(last.disposition))) continue;
    const callBack = r?.callBackAt && last?.disposition === 'call_back' ? r.callBackAt : undefined;
    if (callBack && Date.parse(callBack) > now.getTime()) continue;
    const preferredHour = p.reminder?.hour;
    const distance = preferredHour === undefined ? 12 : Math.min(Math.abs(hourNow - preferredHour), 24 - Math.abs(hourNow - preferredHour));
    const holder = r?.holder && Date.parse(r.holder.until) > now.getTime() ? r.holder.enumeratorId : undefined;
    rows.push({
      participantId: p.participantId,
      ...(p.lang ? { lang: p.lang } : {}),
      ...(preferredHour !== undefined ? { preferredHour } : {}),
      attempts,
      ...(last ? { lastDisposition: last.disposition, lastAttemptAt: last.at } : {}),
      ...(callBack ? { callBackAt: callBack } : {}),
      ...(holder ? { heldBy: holder } : {}),
      why: callBack ? 'asked to be called back now' : preferredHour === undefined ? 'no preferred time' : distance === 0 ? 'their preferred hour is now' : `prefers ${String(preferredHour).padStart(2, '0')}:00`,
      rank: [callBack ? 0 : 1, callBack ? Date.parse(callBack) : distance, attempts],
    });
  }
  rows.sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2] || a.participantId.localeCompare(b.participantId));
  return rows.map(({ rank: _rank, ...row }) => row);
}
