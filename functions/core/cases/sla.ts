/**
 * SLA clocks of complaint cases, per study. Defaults from Kenya's 2018 Banking Sector Charter:
 * acknowledge within 48 hours (elapsed time, whatever the clocks on the wall do), resolve
 * within 7 working days, counted in the study's zone and working week. The working week
 * defaults to Monday-Friday, and Sunday-Thursday in Bangladesh, where banks and government
 * close on Friday and Saturday; a study sets its own (`caseSla.workingDays`, `holidays`).
 */
import { TZDate } from '@date-fns/tz';
import { addDays, addHours, format, getISODay, startOfDay } from 'date-fns';
import type { CaseSlaSettings, Study } from '../model.js';
import { CASE_STATES, type CaseState, type ComplaintCase } from './model.js';

export const CHARTER_SLA: Omit<CaseSlaSettings, 'workingDays'> = { acknowledgeHours: 48, resolveWorkingDays: 7 };
const MON_FRI = [1, 2, 3, 4, 5];
const SUN_THU = [7, 1, 2, 3, 4];

export function caseSla(study: Pick<Study, 'country' | 'caseSla'>): CaseSlaSettings {
  return { ...CHARTER_SLA, workingDays: study.country === 'BD' ? SUN_THU : MON_FRI, ...study.caseSla };
}

export function acknowledgeDue(receivedAt: Date, sla: CaseSlaSettings): Date {
  return addHours(receivedAt, sla.acknowledgeHours);
}

/**
 * The end of the n-th working day after the day of receipt (that day itself does not count: a
 * complaint at 16:55 on a Friday gets the whole next working week), as an instant.
 */
export function resolveDue(receivedAt: Date, sla: CaseSlaSettings, timeZone: string): Date {
  if (!sla.workingDays.some((d) => d >= 1 && d <= 7)) throw new Error('An SLA needs at least one working day a week.');
  const holidays = new Set(sla.holidays ?? []);
  let day = startOfDay(new TZDate(receivedAt.getTime(), timeZone));
  for (let counted = 0; counted < sla.resolveWorkingDays; ) {
    day = addDays(day, 1);
    if (sla.workingDays.includes(getISODay(day)) && !holidays.has(format(day, 'yyyy-MM-dd'))) counted += 1;
  }
  return new Date(addDays(day, 1).getTime());
}

/** `met`/`missed`: done, in time or late; `due`: not yet, still in time; `overdue`: not yet, late. */
export type ClockState = 'met' | 'missed' | 'due' | 'overdue' | 'not_applicable';

export interface SlaStatus {
  acknowledge: ClockState;
  /** On the first resolution: a participant's "No" reopens the case but does not reset it. */
  resolve: ClockState;
  acknowledgeDueAt: string;
  resolveDueAt: string;
  /** Flag on the console and in the digest: a clock ran out and the case still waits. */
  overdue: boolean;
}

function clock(doneAt: string | undefined, due: Date, now: Date, stopped: boolean): ClockState {
  if (doneAt) return Date.parse(doneAt) <= due.getTime() ? 'met' : 'missed';
  if (stopped) return 'missed';
  return now.getTime() > due.getTime() ? 'overdue' : 'due';
}

export function slaStatus(c: ComplaintCase, now: Date, sla: CaseSlaSettings, timeZone: string): SlaStatus {
  const received = new Date(c.receivedAt);
  const ackDue = acknowledgeDue(received, sla);
  const resDue = resolveDue(received, sla, timeZone);
  const base = { acknowledgeDueAt: ackDue.toISOString(), resolveDueAt: resDue.toISOString() };
  // A repeat merged into another case is that case's business, not a second clock.
  if (c.mergedInto) return { acknowledge: 'not_applicable', resolve: 'not_applicable', overdue: false, ...base };
  const closed = c.state === 'closed';
  const acknowledge = clock(c.acknowledgedAt, ackDue, now, closed);
  const resolve = clock(c.resolvedAt, resDue, now, closed);
  const waiting = !closed && c.state !== 'resolved';
  const overdue = acknowledge === 'overdue' || (waiting && now.getTime() > resDue.getTime());
  return { acknowledge, resolve, overdue, ...base };
}

/** The daily digest for staff: counts and overdue cases, never a participant's words. */
export interface CaseDigest {
  studyId: string;
  at: string;
  byState: Record<CaseState, number>;
  /** Received in the 24 hours before `at`. */
  received24h: number;
  overdue: { ref: string; provider: string; category: string; state: CaseState; clock: 'acknowledge' | 'resolve'; dueAt: string }[];
}

export function caseDigest(studyId: string, cases: readonly ComplaintCase[], now: Date, sla: CaseSlaSettings, timeZone: string): CaseDigest {
  const byState = Object.fromEntries(CASE_STATES.map((s) => [s, 0])) as Record<CaseState, number>;
  const dayAgo = now.getTime() - 24 * 3600_000;
  let received24h = 0;
  const overdue: CaseDigest['overdue'] = [];
  for (const c of cases) {
    byState[c.state] += 1;
    if (Date.parse(c.receivedAt) > dayAgo && Date.parse(c.receivedAt) <= now.getTime()) received24h += 1;
    const s = slaStatus(c, now, sla, timeZone);
    if (!s.overdue) continue;
    const which = s.acknowledge === 'overdue' ? 'acknowledge' : 'resolve';
    overdue.push({ ref: c.ref, provider: c.provider, category: c.category, state: c.state, clock: which, dueAt: which === 'acknowledge' ? s.acknowledgeDueAt : s.resolveDueAt });
  }
  overdue.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.ref.localeCompare(b.ref));
  return { studyId, at: now.toISOString(), byState, received24h, overdue };
}
