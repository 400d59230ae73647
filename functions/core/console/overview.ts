import type { Campaign } from '../campaign/model.js';
import { campaignLessons } from '../campaign/schedule.js';
import type { Content } from '../content/schema.js';
import type { Study } from '../model.js';
import type { MessageStatus } from '../sms/delivery.js';
import { PROVIDERS, providerOf } from '../sms/providers.js';
import type { DiaryWeek } from '../time/week.js';
import type { ConsoleComplaint, ConsoleMessage, ConsoleParticipant, ConsoleWeek } from './model.js';
import { isoWeekMonday } from './weeks.js';

/**
 * The study overview of the console: aggregates only (counts and rates), never a phone number
 * or a participant id, so every role that may see the study may see this.
 */
export interface StudyOverview {
  studyId: string;
  name: string;
  timeZone: string;
  languages: string[];
  arms: { armId: string; name: string; treatment: boolean; participants: number }[];
  enrolment: { enrolled: number; consented: number; declined: number; optedOut: number; pending: number };
  weeks: {
    week: string;
    studyWeek: number;
    start: string;
    /** Any prompt went out, or any diary was kept, that week: before that a 0% is no measurement. */
    prompted: boolean;
    /** The current week, still open: its rate is partial. */
    partial: boolean;
    byArm: { armId: string; expected: number; answered: number; rate: number }[];
  }[];
  delivery: {
    queued: number; sent: number; delivered: number; failed: number; skipped: number; failures: { reason: string; count: number }[];
    /** The study's SMS provider, and whether it reports delivery (SSL Wireless does not: "sent" is as far as a message gets). */
    provider: string; reports: boolean;
  };
  complaints: { week: string; provider: string; providerName: string; count: number }[];
  modules: { moduleId: string; title: string; byArm: { armId: string; sent: number; started: number; completed: number; completionRate: number }[] }[];
}

export interface OverviewInput {
  study: Study;
  /** The study's diary weeks up to now (studyWeeks). */
  calendar: readonly DiaryWeek[];
  participants: readonly ConsoleParticipant[];
  weeks: readonly ConsoleWeek[];
  messages: readonly ConsoleMessage[];
  complaints: readonly ConsoleComplaint[];
  campaigns: readonly Pick<Campaign, 'campaignId' | 'modules'>[];
  /** The education modules (and their lessons), to map campaign lessons to modules. */
  content: Pick<Content, 'modules'>;
  /** The study's first randomization: who it assigned counts from week 0, later joiners from the week they were assigned. */
  initialRandomizationId?: string;
  /** Language of module titles (the study's first). */
  lang: string;
}

/** Where a message stands, in the four buckets of the console (plus ours: skipped at send time). */
export function deliveryBucket(s: MessageStatus): 'queued' | 'sent' | 'delivered' | 'failed' | 'skipped' {
  switch (s) {
    case 'queued':
    case 'sending':
      return 'queued';
    case 'accepted':
    case 'Sent':
    case 'Submitted':
    case 'Buffered':
      return 'sent';
    case 'Success':
      return 'delivered';
    case 'skipped':
      return 'skipped';
    default:
      // failed (refused at send time), Rejected, Failed, AbsentSubscriber, Expired.
      return 'failed';
  }
}

/** A diary week counts as answered when any question has an answer (as the impact report's response rate). */
const answeredAny = (w: ConsoleWeek) => Object.values(w.answers ?? {}).some((a) => a !== null && a !== undefined && a.value !== null && a.value !== undefined);

export function studyOverview(input: OverviewInput): StudyOverview {
  const { study, participants } = input;
  const armIds = new Set(study.arms.map((a) => a.armId));
  const inArm = (armId: string) => participants.filter((p) => p.armId === armId);

  const state = (s: string) => participants.filter((p) => (p.consent?.state ?? 'pending') === s).length;
  const enrolment = { enrolled: participants.length, consented: state('consented'), declined: state('declined'), optedOut: state('withdrawn'), pending: state('pending') };

  // Response, as the impact report counts it: who was in the arm that week (everyone of the
  // first randomization from week 0, late joiners from the week they were assigned or first
  // kept a diary, whichever is earlier), and how many of them answered anything that week.
  const answeredBy = new Map<string, Set<string>>();
  const firstRecord = new Map<string, number>();
  for (const w of input.weeks) {
    firstRecord.set(w.participantId, Math.min(firstRecord.get(w.participantId) ?? Infinity, w.studyWeek));
    if (!answeredAny(w)) continue;
    const set = answeredBy.get(w.week) ?? new Set<string>();
    set.add(w.participantId);
    answeredBy.set(w.week, set);
  }
  const weekOf = (at: string) => input.calendar.find((w) => Date.parse(at) <= w.closesAt.getTime())?.studyWeek ?? Infinity;
  const entryWeek = (p: ConsoleParticipant) =>
    !p.assignment || input.initialRandomizationId === undefined || p.assignment.randomizationId === input.initialRandomizationId
      ? 0
      : Math.min(weekOf(p.assignment.at), firstRecord.get(p.participantId) ?? Infinity);
  const entry = new Map(participants.map((p) => [p.participantId, entryWeek(p)]));
  const promptedWeeks = new Set([...input.messages.filter((m) => m.purpose === 'prompt').map((m) => m.period), ...input.weeks.map((w) => w.week)]);
  const lastWeek = input.calendar.at(-1)?.id;
  const weeks = input.calendar.map((w) => {
    const answered = answeredBy.get(w.id) ?? new Set<string>();
    return {
      week: w.id,
      studyWeek: w.studyWeek,
      start: isoWeekMonday(w.id),
      prompted: promptedWeeks.has(w.id),
      // The calendar runs up to now: its last week has not closed.
      partial: w.id === lastWeek,
      byArm: study.arms.map((arm) => {
        const expected = inArm(arm.armId).filter((p) => (entry.get(p.participantId) ?? 0) <= w.studyWeek);
        const n = expected.filter((p) => answered.has(p.participantId)).length;
        return { armId: arm.armId, expected: expected.length, answered: n, rate: expected.length > 0 ? n / expected.length : 0 };
      }),
    };
  });

  const delivery = { queued: 0, sent: 0, delivered: 0, failed: 0, skipped: 0 };
  const failures = new Map<string, number>();
  for (const m of input.messages) {
    const bucket = deliveryBucket(m.status);
    delivery[bucket] += 1;
    if (bucket === 'failed') {
      const reason = m.failureReason || m.status;
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
    }
  }

  const providerName = new Map(study.providers.map((p) => [p.id, p.name]));
  const complaintCounts = new Map<string, { week: string; provider: string; providerName: string; count: number }>();
  for (const c of input.complaints) {
    const key = `${c.week}|${c.provider}`;
    const row = complaintCounts.get(key) ?? { week: c.week, provider: c.provider, providerName: providerName.get(c.provider) ?? c.provider, count: 0 };
    row.count += 1;
    complaintCounts.set(key, row);
  }

  return {
    studyId: study.studyId,
    name: study.name,
    timeZone: study.timeZone,
    languages: [...study.languages],
    arms: study.arms.map((a) => ({ armId: a.armId, name: a.name, treatment: a.treatment, participants: inArm(a.armId).length })),
    enrolment,
    weeks,
    delivery: { ...delivery, provider: PROVIDERS[providerOf(study)].label, reports: PROVIDERS[providerOf(study)].deliveryReports, failures: [...failures].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)) },
    complaints: [...complaintCounts.values()].sort((a, b) => a.week.localeCompare(b.week) || a.provider.localeCompare(b.provider)),
    modules: moduleProgress(input, armIds),
  };
}

/**
 * Per module and arm: how many were sent a lesson of it (handed to the provider; lessons pulled
 * on USSD are not sent), started it (finished one lesson) and completed it (every lesson). The
 * completion rate is over everyone in the arm, so the arms compare as randomized: a control
 * arm shows 0, a treatment arm shows how far the offer got.
 */
function moduleProgress(input: OverviewInput, armIds: ReadonlySet<string>): StudyOverview['modules'] {
  const armOf = new Map(input.participants.map((p) => [p.participantId, p.armId]));
  // Campaign lesson index -> module, from each campaign's module list (period `campaignId:index`).
  const lessonModule = new Map<string, string>();
  // campaignLessons reads only the modules of the content.
  const content = input.content as Content;
  for (const c of input.campaigns) for (const l of campaignLessons(c, content)) lessonModule.set(`${c.campaignId}:${l.index}`, l.moduleId);
  const sentTo = new Map<string, Set<string>>();
  for (const m of input.messages) {
    if (m.purpose !== 'lesson') continue;
    const bucket = deliveryBucket(m.status);
    if (bucket === 'queued' || bucket === 'skipped' || m.status === 'failed') continue;
    const moduleId = lessonModule.get(m.period);
    if (!moduleId) continue;
    const set = sentTo.get(moduleId) ?? new Set<string>();
    set.add(m.participantId);
    sentTo.set(moduleId, set);
  }
  return [...(input.content.modules ?? [])]
    .sort((a, b) => a.order - b.order)
    .map((m) => ({
      moduleId: m.id,
      title: m.title[input.lang] ?? m.title.en ?? m.id,
      byArm: input.study.arms.map((arm) => {
        const people = input.participants.filter((p) => p.armId === arm.armId && armIds.has(arm.armId));
        const doneCount = (p: ConsoleParticipant) => m.lessons.filter((l) => p.lessons?.[`${m.id}/${l.id}`] !== undefined).length;
        const started = people.filter((p) => doneCount(p) > 0).length;
        const completed = people.filter((p) => doneCount(p) === m.lessons.length).length;
        const sent = [...(sentTo.get(m.id) ?? [])].filter((id) => armOf.get(id) === arm.armId).length;
        return { armId: arm.armId, sent, started, completed, completionRate: people.length > 0 ? completed / people.length : 0 };
      }),
    }));
}
