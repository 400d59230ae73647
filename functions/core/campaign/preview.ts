import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Content, Translated } from '../content/schema.js';
import type { Study } from '../model.js';
import type { Encoding } from '../text/gsm7.js';
import { capabilityWarnings, providerOf, type SmsProvider } from '../sms/providers.js';
import { smsSize } from '../text/segments.js';
import { diaryWeek } from '../time/week.js';
import { studyStart } from '../time/study-calendar.js';
import { campaignProblems, type CampaignInput, type CampaignProblem } from './check.js';
import { campaignLessons, campaignMessages, lessonSendAt } from './schedule.js';

/**
 * What a campaign would send, before staff save it: each lesson's send time in the study's
 * zone, the SMS each language gets, their segments and cost. Only treatment arms the campaign
 * targets count: an audience row for any other arm is listed as ignored and adds nothing.
 */

/** How many participants of an arm read a language (e.g. from the participant counts). */
export interface AudienceRow {
  armId: string;
  lang: string;
  count: number;
}

export interface PreviewMessage {
  lang: string;
  kind: 'lesson' | 'invite';
  recipients: number;
  /** Length as the network counts it: GSM-7 septets (extension characters twice) or UCS-2 units. */
  chars: number;
  encoding: Encoding;
  /** Segments of one such SMS. */
  segments: number;
  /** Segments times recipients. */
  segmentsTotal: number;
}

export interface PreviewWeek {
  index: number;
  /** ISO instant (UTC). */
  sendAt: string;
  /** The same instant in the study's zone, e.g. `2026-12-04 18:00 Africa/Nairobi`. */
  localTime: string;
  /** ISO week of the send time in the study's zone, e.g. `2026-W49`. */
  week: string;
  moduleId: string;
  lessonId: string;
  /** In the study's first language (else English). */
  title: string;
  /** The send time is before `now`: listed, but its cost may already be spent or never be. */
  past: boolean;
  recipients: number;
  messages: PreviewMessage[];
  segments: number;
  cost: number;
}

export interface PreviewTotals {
  /** Distinct people reached by a lesson (the largest lesson audience). */
  recipients: number;
  /** SMS sent, all lessons and people. */
  messages: number;
  segments: number;
  cost: number;
}

export interface CampaignPreview {
  timeZone: string;
  /** The study's SMS provider (core/sms/providers.ts), whose currency the cost is in. */
  provider: SmsProvider;
  /** What the campaign or the study asks of the provider that it cannot do (one-way routes, no delivery reports). */
  warnings: string[];
  currency: string;
  costPerSegment: number;
  /** False when the study has no `smsCost`: costs show as 0, not as free. */
  costConfigured: boolean;
  audience: {
    /** Rows counted, merged by arm and language. */
    counted: AudienceRow[];
    /** Rows left out, and why (not targeted, a control arm, unknown arm, not a count). */
    ignored: (AudienceRow & { reason: string })[];
  };
  weeks: PreviewWeek[];
  /** All listed lessons. */
  totals: PreviewTotals;
  /** Only the lessons whose send time is not past. */
  upcoming: PreviewTotals;
}

export type CampaignPreviewResult = { ok: false; problems: CampaignProblem[] } | { ok: true; preview: CampaignPreview };

export type PreviewInput = CampaignInput & { campaignId?: string; shiftPeriods?: number };

/** Rounds away floating-point noise (0.8 × 3 = 2.4000000000000004), not to a currency's cents. */
const money = (x: number): number => Math.round(x * 1e6) / 1e6;

function firstText(t: Translated, langs: readonly string[]): string {
  for (const l of [...langs, 'en']) {
    const text = t[l];
    if (text !== undefined) return text;
  }
  return Object.values(t)[0] ?? '';
}

function audienceOf(c: CampaignInput, study: Study, rows: readonly AudienceRow[]): CampaignPreview['audience'] {
  const counted = new Map<string, AudienceRow>();
  const ignored: CampaignPreview['audience']['ignored'] = [];
  for (const row of rows) {
    const arm = study.arms.find((a) => a.armId === row.armId);
    const reason = !arm
      ? `There is no arm "${row.armId}" in the study.`
      : !arm.treatment
        ? `Arm "${arm.name}" is a control arm: it never receives lessons.`
        : !c.targetArms.includes(row.armId)
          ? `Arm "${arm.name}" is not targeted by this campaign.`
          : !(Number.isInteger(row.count) && row.count >= 0)
            ? 'The count is not a whole number of people.'
            : undefined;
    if (reason) {
      ignored.push({ armId: row.armId, lang: row.lang, count: row.count, reason });
      continue;
    }
    const key = `${row.armId}\u0000${row.lang}`;
    const prev = counted.get(key);
    counted.set(key, { armId: row.armId, lang: row.lang, count: (prev?.count ?? 0) + row.count });
  }
  return { counted: [...counted.values()], ignored };
}

function totalsOf(weeks: readonly PreviewWeek[]): PreviewTotals {
  return {
    recipients: weeks.reduce((m, w) => Math.max(m, w.recipients), 0),
    messages: weeks.reduce((n, w) => n + w.messages.reduce((k, m) => k + m.recipients, 0), 0),
    segments: weeks.reduce((n, w) => n + w.segments, 0),
    cost: money(weeks.reduce((n, w) => n + w.cost, 0)),
  };
}

export function previewCampaign(
  c: PreviewInput,
  study: Study,
  content: Content,
  audienceRows: readonly AudienceRow[],
  now: Date,
): CampaignPreviewResult {
  const problems = campaignProblems(c, study, content);
  if (problems.length > 0) return { ok: false, problems };

  const { perSegment, currency } = study.smsCost ?? { perSegment: 0, currency: 'USD' };
  const audience = audienceOf(c, study, audienceRows);
  const byLang = new Map<string, number>();
  for (const row of audience.counted) byLang.set(row.lang, (byLang.get(row.lang) ?? 0) + row.count);
  const timing = { ...c, shiftPeriods: c.shiftPeriods ?? 0 };
  const start = studyStart(study);

  const weeks = campaignLessons(c, content).map((lesson): PreviewWeek => {
    const at = lessonSendAt(timing, study, lesson.index);
    const messages: PreviewMessage[] = [];
    for (const [lang, recipients] of byLang) {
      for (const m of campaignMessages(c, study, content, lesson, lang)) {
        const size = smsSize(m.text);
        messages.push({ lang, kind: m.kind, recipients, chars: size.length, encoding: size.encoding, segments: size.segments, segmentsTotal: size.segments * recipients });
      }
    }
    const segments = messages.reduce((n, m) => n + m.segmentsTotal, 0);
    return {
      index: lesson.index,
      sendAt: at.toISOString(),
      localTime: `${format(new TZDate(at.getTime(), study.timeZone), 'yyyy-MM-dd HH:mm')} ${study.timeZone}`,
      week: diaryWeek(at, study.timeZone, start).id,
      moduleId: lesson.moduleId,
      lessonId: lesson.lessonId,
      title: firstText(lesson.title, study.languages),
      past: at.getTime() < now.getTime(),
      recipients: [...byLang.values()].reduce((n, k) => n + k, 0),
      messages,
      segments,
      cost: money(segments * perSegment),
    };
  });

  return {
    ok: true,
    preview: {
      timeZone: study.timeZone,
      provider: providerOf(study),
      warnings: capabilityWarnings(study, { sms: c.channel !== 'ussd', smsReplies: study.smsShortCode !== undefined, languages: study.languages }),
      currency,
      costPerSegment: perSegment,
      costConfigured: study.smsCost !== undefined,
      audience,
      weeks,
      totals: totalsOf(weeks),
      upcoming: totalsOf(weeks.filter((w) => !w.past)),
    },
  };
}
