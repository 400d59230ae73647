import type { Content } from '../content/schema.js';
import type { Study } from '../model.js';
import { isQuietHour, studySchedule } from '../schedule/policy.js';
import type { Campaign, CampaignChannel } from './model.js';

/** What staff provide when they create a campaign; the rest (ids, status, times) the system sets. */
export type CampaignInput = Pick<Campaign, 'name' | 'modules' | 'targetArms' | 'startsOn' | 'everyWeeks' | 'day' | 'hour' | 'channel'>;

export interface CampaignProblem {
  /** The input field the problem is about (e.g. `targetArms`), for the form to show it next to. */
  field: string;
  /** A plain sentence a programme officer understands. */
  message: string;
}

const CHANNELS: readonly CampaignChannel[] = ['sms', 'ussd', 'both'];
export const MAX_EVERY_WEEKS = 8;

/** `08:00` for 8. */
export const clock = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;

/** Whether `s` is a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** The hours of the day, in order from the end of quiet hours, when sending is allowed. */
function sendingHours(quiet: { start: number; end: number }): number[] {
  return Array.from({ length: 24 }, (_, i) => (quiet.end + i) % 24).filter((h) => !isQuietHour(h, quiet));
}

/**
 * Problems with a campaign before it is saved (empty: it may be scheduled). Treatment arms
 * only: education content never reaches a control arm (invariant 2), so naming one is refused
 * rather than silently dropped.
 */
export function campaignProblems(c: CampaignInput, study: Study, content: Content): CampaignProblem[] {
  const problems: CampaignProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });

  if (typeof c.name !== 'string' || c.name.trim() === '') add('name', 'Give the campaign a name.');

  const known = new Set((content.modules ?? []).map((m) => m.id));
  if (!Array.isArray(c.modules) || c.modules.length === 0) add('modules', 'Choose at least one module to send.');
  else {
    const seen = new Set<string>();
    for (const id of c.modules) {
      if (!known.has(id)) add('modules', `There is no module "${String(id)}" in the content. Choose from: ${[...known].join(', ')}.`);
      else if (seen.has(id)) add('modules', `Module "${id}" is listed twice; each module can be sent only once in a campaign.`);
      seen.add(id);
    }
  }

  if (!Array.isArray(c.targetArms) || c.targetArms.length === 0) add('targetArms', 'Choose at least one treatment arm to send the lessons to.');
  else {
    for (const armId of c.targetArms) {
      const arm = study.arms.find((a) => a.armId === armId);
      if (!arm) add('targetArms', `There is no arm "${String(armId)}" in the study "${study.name}".`);
      else if (!arm.treatment) add('targetArms', `Arm "${arm.name}" (${arm.armId}) is a control arm. Education lessons are only sent to treatment arms, so the control group stays a fair comparison.`);
    }
  }

  if (!isCalendarDate(c.startsOn)) add('startsOn', 'The start date must be a real date written as YYYY-MM-DD, for example 2026-12-01.');
  if (!(Number.isInteger(c.everyWeeks) && c.everyWeeks >= 1 && c.everyWeeks <= MAX_EVERY_WEEKS)) {
    add('everyWeeks', `Send one lesson every 1 to ${MAX_EVERY_WEEKS} weeks (a whole number; 1 means every week).`);
  }
  if (!(Number.isInteger(c.day) && c.day >= 1 && c.day <= 7)) add('day', 'The day must be 1 (Monday) to 7 (Sunday).');

  if (!(Number.isInteger(c.hour) && c.hour >= 0 && c.hour <= 23)) add('hour', 'The hour must be a whole hour from 0 to 23 (local time of the study).');
  else {
    const { quiet } = studySchedule(study);
    if (isQuietHour(c.hour, quiet)) {
      const allowed = sendingHours(quiet);
      const range = allowed.length > 0 ? ` Choose an hour from ${clock(allowed[0] ?? 0)} to ${clock(allowed.at(-1) ?? 0)}.` : '';
      add('hour', `${clock(c.hour)} is in the study's quiet hours (${clock(quiet.start)} to ${clock(quiet.end)}, ${study.timeZone}), when no messages are sent.${range}`);
    }
  }

  if (!CHANNELS.includes(c.channel)) add('channel', 'The channel must be "sms" (the lesson by SMS), "ussd" (an SMS inviting to the lesson on USSD) or "both".');
  return problems;
}
