import { TZDate } from '@date-fns/tz';
import { getISODay } from 'date-fns';
import type { Content, Lesson, Translated } from '../content/schema.js';
import type { Lang, Study } from '../model.js';
import { isQuietHour, outOfQuietHours, studySchedule } from '../schedule/policy.js';
import { fill } from '../ussd/text.js';
import type { Campaign } from './model.js';

/**
 * When a campaign's lessons go out, and what they say. Lesson `k` belongs to period `k`: it is
 * due from its send time until the next lesson's, and a dispatcher tick anywhere in that window
 * sends it (catch-up after downtime), never before. Pure: the same campaign and clock give the
 * same answer, so the dispatcher can ask at every tick.
 */

const WEEK_MS = 7 * 24 * 3_600_000;

/** One lesson of a campaign, in sending order. */
export interface CampaignLesson {
  /** Position in the campaign (0: the first lesson sent). */
  index: number;
  moduleId: string;
  lessonId: string;
  title: Translated;
}

/** The parts of a campaign its timing depends on. */
export type CampaignTiming = Pick<Campaign, 'startsOn' | 'everyWeeks' | 'day' | 'hour' | 'shiftPeriods'>;

/** The study settings the timing depends on. */
export type StudyClock = Pick<Study, 'timeZone' | 'schedule'>;

export interface DueLesson {
  index: number;
  lesson: CampaignLesson;
  /** When the lesson became due (its send time). */
  dueAt: Date;
  /** `campaignId:index`: the period of message ids, so a lesson is sent once per participant. */
  period: string;
}

export interface CampaignMessage {
  /** Fixed per kind (lesson 0, invite 1), so message ids stay stable whatever the channel. */
  seq: number;
  kind: 'lesson' | 'invite';
  text: string;
}

/** The period of a campaign lesson, used in message ids (`messageId(participant, 'lesson', period, seq)`). */
export function campaignPeriod(campaignId: string, index: number): string {
  return `${campaignId}:${index}`;
}

/**
 * The campaign's lessons in sending order: modules in the campaign's order, each module's
 * lessons in content order. Module ids the content does not have are left out.
 */
export function campaignLessons(c: Pick<Campaign, 'modules'>, content: Content): CampaignLesson[] {
  const modules = content.modules ?? [];
  const lessons: CampaignLesson[] = [];
  for (const moduleId of c.modules) {
    const module = modules.find((m) => m.id === moduleId);
    for (const l of module?.lessons ?? []) lessons.push({ index: lessons.length, moduleId, lessonId: l.id, title: l.title });
  }
  return lessons;
}

/**
 * When lesson `index` goes out: period 0 is the first (day, hour) at or after the start date,
 * period k is `(k + shiftPeriods) × everyWeeks` weeks later at the same local wall-clock time,
 * then moved out of quiet hours. The date is counted in calendar days and the wall-clock time
 * made an instant by TZDate in the study's zone, so a DST change does not move the local time.
 * `shiftPeriods` counts whole periods (see `Campaign.shiftPeriods`), so with `everyWeeks` > 1 a
 * pause keeps lessons on the campaign's original grid of send times.
 */
export function lessonSendAt(c: CampaignTiming, study: StudyClock, index: number): Date {
  const [y = NaN, m = NaN, d = NaN] = c.startsOn.split('-').map(Number);
  // The weekday of a calendar date does not depend on the zone.
  const startDay = getISODay(new Date(Date.UTC(y, m - 1, d, 12)));
  const days = ((c.day - startDay + 7) % 7) + 7 * (index + c.shiftPeriods) * c.everyWeeks;
  const local = new TZDate(y, m - 1, d + days, c.hour, 0, 0, study.timeZone);
  return outOfQuietHours(new Date(local.getTime()), study.timeZone, studySchedule(study).quiet);
}

/**
 * The lesson due now: the one whose send time has passed and whose period has not ended (the
 * next lesson's send time; for the last lesson, one more period). Nothing while the campaign
 * is paused or cancelled, before its first lesson, after its last period, or in quiet hours.
 */
export function lessonDue(c: Campaign, study: StudyClock, lessons: readonly CampaignLesson[], now: Date): DueLesson | undefined {
  if (c.status !== 'scheduled' || lessons.length === 0) return undefined;
  if (isQuietHour(new TZDate(now.getTime(), study.timeZone).getHours(), studySchedule(study).quiet)) return undefined;
  const t = now.getTime();
  const sendAt = (k: number) => lessonSendAt(c, study, k).getTime();
  const first = sendAt(0);
  if (t < first) return undefined;
  // Send times increase with the index and are about a period apart: start from the estimate.
  let k = Math.min(Math.floor((t - first) / (c.everyWeeks * WEEK_MS)), lessons.length);
  let at = sendAt(k);
  while (k > 0 && at > t) {
    k -= 1;
    at = sendAt(k);
  }
  let next = sendAt(k + 1);
  while (next <= t && k < lessons.length) {
    k += 1;
    at = next;
    next = sendAt(k + 1);
  }
  const lesson = lessons[k];
  if (!lesson) return undefined; // after the last lesson's period
  return { index: k, lesson, dueAt: new Date(at), period: campaignPeriod(c.campaignId, k) };
}

/** The first of `lang`, the study's first language and English that `texts` has. */
function pickLang(texts: Translated | undefined, lang: Lang, study: Pick<Study, 'languages'>): Lang | undefined {
  return [lang, study.languages[0], 'en'].find((l): l is Lang => l !== undefined && texts?.[l] !== undefined);
}

function findLesson(content: Content, moduleId: string, lessonId: string): Lesson | undefined {
  return content.modules?.find((m) => m.id === moduleId)?.lessons.find((l) => l.id === lessonId);
}

/**
 * The SMS one participant gets for a lesson, in their language (else the study's first, else
 * English): the lesson text (`sms`), an invitation to the lesson on USSD (`ussd`), or both,
 * lesson first. A text the content has in none of those languages is left out (never an empty
 * SMS). Throws when the content no longer has the lesson: sending nothing silently would hide
 * the problem.
 */
export function campaignMessages(
  c: Pick<Campaign, 'channel'>,
  study: Pick<Study, 'languages' | 'serviceCode'>,
  content: Content,
  lesson: Pick<CampaignLesson, 'moduleId' | 'lessonId'>,
  lang: Lang,
): CampaignMessage[] {
  const found = findLesson(content, lesson.moduleId, lesson.lessonId);
  if (!found) throw new Error(`The content has no lesson ${lesson.moduleId}/${lesson.lessonId}`);
  const messages: CampaignMessage[] = [];
  if (c.channel === 'sms' || c.channel === 'both') {
    const l = pickLang(found.sms, lang, study);
    const text = l ? found.sms[l] : undefined;
    if (text) messages.push({ seq: 0, kind: 'lesson', text });
  }
  if (c.channel === 'ussd' || c.channel === 'both') {
    const invite = content.sms?.lessonInvite;
    const l = pickLang(invite, lang, study);
    const template = l ? invite?.[l] : undefined;
    // The title in the invitation's language, so one SMS does not mix two languages.
    const titleLang = pickLang(found.title, l ?? lang, study);
    const title = titleLang ? found.title[titleLang] : undefined;
    if (template && title) messages.push({ seq: 1, kind: 'invite', text: fill(template, { title, code: study.serviceCode }) });
  }
  return messages;
}
