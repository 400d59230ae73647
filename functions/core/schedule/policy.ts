import { TZDate } from '@date-fns/tz';
import type { SchedulePolicy, StudySchedule } from '../model.js';

export type { SchedulePolicy };
import { addDays, setHours, startOfISOWeek } from 'date-fns';

const HOUR_MS = 3_600_000;

export const DEFAULT_POLICY: SchedulePolicy = {
  promptDay: 5,
  promptHour: 18,
  quiet: { start: 21, end: 8 },
  reminders: { maxPerWeek: 1, minHoursApart: 24 },
};

/** A study's schedule with the defaults filled in (a study may set only what differs). */
export function studySchedule(study: { schedule?: Partial<StudySchedule> }): StudySchedule {
  const s = study.schedule ?? {};
  return {
    ...DEFAULT_POLICY,
    reminderAfterHours: 24,
    ...s,
    quiet: { ...DEFAULT_POLICY.quiet, ...s.quiet },
    reminders: { ...DEFAULT_POLICY.reminders, ...s.reminders },
  };
}

export function isQuietHour(hour: number, quiet: SchedulePolicy['quiet']): boolean {
  return quiet.start <= quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/** The first instant at or after `at` that is outside quiet hours in the zone. */
export function outOfQuietHours(at: Date, timeZone: string, quiet: SchedulePolicy['quiet']): Date {
  let t = new TZDate(at.getTime(), timeZone);
  // Step to the next local hour on the timeline, in absolute time: `startOfHour` of an hour that
  // a DST fall-back repeats picks its first occurrence, which would loop back an hour. At most
  // 25 steps (a fall-back day has 25 hours); some hour of every day is allowed (validPolicy).
  for (let i = 0; i < 25 && isQuietHour(t.getHours(), quiet); i += 1) {
    const intoHour = (t.getMinutes() * 60 + t.getSeconds()) * 1000 + t.getMilliseconds();
    t = new TZDate(t.getTime() - intoHour + HOUR_MS, timeZone);
  }
  return new Date(t.getTime());
}

/**
 * When this week's prompt is due: the participant's preferred day and hour if set, else the
 * study's, in the study's zone, moved out of quiet hours.
 */
export function promptDue(weekOf: Date, timeZone: string, policy: SchedulePolicy, preferred?: { day: number; hour: number }): Date {
  const day = preferred?.day ?? policy.promptDay;
  const hour = preferred?.hour ?? policy.promptHour;
  // Zone arithmetic costs ~50 µs; a tick asks this for every participant of the week, and
  // they share a handful of (day, hour) choices: one computation per week and choice.
  const key = `${timeZone}|${day}|${hour}|${policy.quiet.start}|${policy.quiet.end}`;
  const t = weekOf.getTime();
  const hit = dueCache.get(key);
  if (hit && t >= hit.from && t < hit.to) return hit.due;
  const monday = startOfISOWeek(new TZDate(t, timeZone));
  const local = setHours(addDays(monday, day - 1), hour);
  const due = outOfQuietHours(new Date(local.getTime()), timeZone, policy.quiet);
  if (dueCache.size > 500) dueCache.clear();
  dueCache.set(key, { from: monday.getTime(), to: addDays(monday, 7).getTime(), due });
  return due;
}

const dueCache = new Map<string, { from: number; to: number; due: Date }>();

/**
 * Whether a reminder may go now: the diary is not done, fewer than the weekly cap were sent,
 * the last message was long enough ago, and it is not a quiet hour.
 */
export function reminderAllowed(
  now: Date,
  timeZone: string,
  policy: SchedulePolicy,
  state: { diaryComplete: boolean; remindersThisWeek: number; lastSentAt?: Date },
): boolean {
  if (state.diaryComplete || state.remindersThisWeek >= policy.reminders.maxPerWeek) return false;
  if (state.lastSentAt && now.getTime() - state.lastSentAt.getTime() < policy.reminders.minHoursApart * 3_600_000) return false;
  return !isQuietHour(new TZDate(now.getTime(), timeZone).getHours(), policy.quiet);
}

/** Problems with a policy a study is configured with (empty: valid). */
export function policyProblems(p: SchedulePolicy): string[] {
  const problems: string[] = [];
  const hour = (h: number) => Number.isInteger(h) && h >= 0 && h <= 23;
  if (!(Number.isInteger(p.promptDay) && p.promptDay >= 1 && p.promptDay <= 7)) problems.push('promptDay must be 1 (Monday) to 7 (Sunday)');
  if (!hour(p.promptHour)) problems.push('promptHour must be 0 to 23');
  if (!hour(p.quiet.start) || !hour(p.quiet.end)) problems.push('quiet hours must be 0 to 23');
  if (p.quiet.start === p.quiet.end) problems.push('quiet hours must leave some hours to send in');
  if (p.reminders.maxPerWeek < 0 || p.reminders.minHoursApart < 0) problems.push('reminder limits cannot be negative');
  return problems;
}

/**
 * The deterministic id of an outbound message: written with a condition, it makes a second
 * dispatch of the same period send nothing twice (invariant 4).
 */
export function messageId(
  p: { studyId: string; participantId: string },
  purpose: 'prompt' | 'reminder' | 'lesson' | 'reply',
  period: string,
  seq = 0,
): string {
  // The study is part of the id: participant ids are unique per study, not across studies.
  return `${purpose}#${p.studyId}#${period}#${p.participantId}#${seq}`;
}
