import type { CampaignInput } from './check.js';
import type { Campaign, CampaignStatus } from './model.js';
import { lessonSendAt, type CampaignTiming, type StudyClock } from './schedule.js';

/**
 * A campaign's life: scheduled ⇄ paused, and either to cancelled (final). Each change returns
 * a new campaign (a store should write it conditionally on the status it read). Resuming moves the
 * remaining lessons later by the periods the pause covered, so a pause never skips a lesson.
 */

export type CampaignAction = 'pause' | 'resume' | 'cancel';

/** A change the campaign's status does not allow (e.g. resuming a cancelled campaign). */
export class CampaignStateError extends Error {
  constructor(
    readonly status: CampaignStatus,
    readonly action: CampaignAction,
    message: string,
  ) {
    super(message);
    this.name = 'CampaignStateError';
  }
}

export function newCampaign(input: CampaignInput, ids: { campaignId: string; studyId: string; createdBy?: string; now: Date }): Campaign {
  const at = ids.now.toISOString();
  return {
    campaignId: ids.campaignId,
    studyId: ids.studyId,
    name: input.name.trim(),
    modules: [...input.modules],
    targetArms: [...input.targetArms],
    startsOn: input.startsOn,
    everyWeeks: input.everyWeeks,
    day: input.day,
    hour: input.hour,
    channel: input.channel,
    status: 'scheduled',
    shiftPeriods: 0,
    ...(ids.createdBy !== undefined ? { createdBy: ids.createdBy } : {}),
    createdAt: at,
    updatedAt: at,
  };
}

const REFUSALS: Partial<Record<`${CampaignStatus}:${CampaignAction}`, string>> = {
  'scheduled:resume': 'This campaign is not paused; there is nothing to resume.',
  'paused:pause': 'This campaign is already paused.',
  'cancelled:pause': 'This campaign is cancelled; it cannot be paused.',
  'cancelled:resume': 'This campaign is cancelled; it cannot be resumed.',
  'cancelled:cancel': 'This campaign is already cancelled.',
};

function refuse(c: Campaign, action: CampaignAction): never {
  const message = REFUSALS[`${c.status}:${action}`] ?? `This campaign is ${c.status}; it cannot be changed that way.`;
  throw new CampaignStateError(c.status, action, message);
}

function withStatus(c: Campaign, status: CampaignStatus, now: Date): Campaign {
  const { pausedAt: _pausedAt, ...rest } = c;
  return { ...rest, status, updatedAt: now.toISOString() };
}

export function pauseCampaign(c: Campaign, now: Date): Campaign {
  if (c.status !== 'scheduled') refuse(c, 'pause');
  return { ...c, status: 'paused', pausedAt: now.toISOString(), updatedAt: now.toISOString() };
}

/**
 * Resumes a paused campaign. Lesson send times that fell inside the pause (after `pausedAt`,
 * before `now`) were not sent; the remaining lessons move later by that many periods, so the
 * next lesson goes at the first period boundary after resuming and none is skipped. The lesson
 * that was due when the campaign was paused stays due until then (catch-up; its period id makes
 * a second send of it nothing).
 */
export function resumeCampaign(c: Campaign, now: Date, study: StudyClock): Campaign {
  if (c.status !== 'paused') refuse(c, 'resume');
  const pausedAt = c.pausedAt ? new Date(c.pausedAt) : now;
  const missed = sendTimesWithin(c, study, pausedAt, now);
  return { ...withStatus(c, 'scheduled', now), shiftPeriods: c.shiftPeriods + missed };
}

export function cancelCampaign(c: Campaign, now: Date): Campaign {
  if (c.status !== 'scheduled' && c.status !== 'paused') refuse(c, 'cancel');
  return withStatus(c, 'cancelled', now);
}

/**
 * How many of the campaign's send times (lesson indices 0, 1, ... with its current shift) fall
 * strictly between `from` and `to`. Indices past the last lesson count too: they are the period
 * boundaries the remaining lessons move onto, so no content is needed.
 */
export function sendTimesWithin(c: CampaignTiming, study: StudyClock, from: Date, to: Date): number {
  // A campaign that was never valid (no period) has no grid to count on.
  if (to.getTime() <= from.getTime() || !(c.everyWeeks >= 1)) return 0;
  const period = c.everyWeeks * 7 * 86_400_000;
  const first = lessonSendAt(c, study, 0).getTime();
  // Start a little before the estimate (quiet hours and DST move times by hours, not periods).
  let k = Math.max(0, Math.floor((from.getTime() - first) / period) - 1);
  while (k > 0 && lessonSendAt(c, study, k).getTime() > from.getTime()) k -= 1;
  while (lessonSendAt(c, study, k).getTime() <= from.getTime()) k += 1;
  let n = 0;
  while (lessonSendAt(c, study, k + n).getTime() < to.getTime()) n += 1;
  return n;
}
