import { reachableBySms } from '../enrol/withdraw-consent.js';
import type { Campaign } from '../campaign/model.js';
import { campaignLessons, campaignMessages, lessonDue } from '../campaign/schedule.js';
import type { Content } from '../content/schema.js';
import type { Message, Participant, Study } from '../model.js';
import type { OutboundMessage } from '../sms/send.js';
import { diaryWeek } from '../time/week.js';
import { studyStart } from '../time/study-calendar.js';
import { smsText } from '../sms/text.js';
import { PROVIDERS, providerOf, senderOf } from '../sms/providers.js';
import { planDue, type WeekActivity } from './plan.js';
import { isQuietHour, messageId, promptDue, studySchedule } from './policy.js';
import { TZDate } from '@date-fns/tz';

/**
 * One dispatcher tick for one study: page through participants, plan what is due (the weekly
 * prompt, reminders, the current lesson of each running campaign), record each message once
 * (with its text) and enqueue it. Crash-safe: a message recorded but never enqueued is still
 * `queued` at the next tick and is enqueued again; the sender's claim makes a duplicate queue
 * entry harmless. Running twice, or two at once, sends nothing twice (invariant 4).
 */
export type StoredMessage = OutboundMessage &
  Pick<Message, 'period' | 'createdAt'> &
  Partial<Pick<Message, 'sentAt' | 'dueAt' | 'timeZone' | 'attempts' | 'notBefore' | 'campaignId'>> & { purpose: 'prompt' | 'reminder' | 'lesson'; status: string };

export interface DispatchPorts {
  participantsPage(studyId: string, cursor?: string): Promise<{ participants: Participant[]; cursor?: string }>;
  /** This week's diary state of each participant in the page (phones whose diary is complete). */
  diaryComplete(studyId: string, phones: string[], week: string): Promise<Set<string>>;
  /** Messages already recorded among these deterministic ids. */
  recorded(ids: string[]): Promise<StoredMessage[]>;
  /** Records each message once; returns the ids it created (an existing id is left alone). */
  createMany(ms: StoredMessage[]): Promise<string[]>;
  enqueue(ms: OutboundMessage[]): Promise<void>;
}

export interface DispatchInput {
  study: Study;
  content: Content;
  now: Date;
  /** The study's campaigns (any status: only running ones send). */
  campaigns?: readonly Campaign[];
  /** A message still queued this long after it was recorded is enqueued again. */
  requeueAfterMs?: number;
}

export interface DispatchResult {
  created: number;
  enqueued: number;
}

export async function dispatchStudy(input: DispatchInput, ports: DispatchPorts): Promise<DispatchResult> {
  const { study, content, now } = input;
  const schedule = studySchedule(study);
  // Nothing goes out in quiet hours, not even a re-enqueue: it would be sent at once.
  if (isQuietHour(new TZDate(now.getTime(), study.timeZone).getHours(), schedule.quiet)) return { created: 0, enqueued: 0 };
  const start = studyStart(study);
  const week = diaryWeek(now, study.timeZone, start).id;
  const treatmentArms = new Set(study.arms.filter((a) => a.treatment).map((a) => a.armId));
  const lessons = (input.campaigns ?? []).flatMap((c) => {
    const due = lessonDue(c, study, campaignLessons(c, content), now);
    // A campaign aimed at a control arm (misconfigured in the store) reaches only treatment arms.
    const arms = new Set(c.targetArms.filter((a) => treatmentArms.has(a)));
    return due && arms.size > 0 ? [{ campaign: c, due, arms }] : [];
  });
  const result: DispatchResult = { created: 0, enqueued: 0 };
  let cursor: string | undefined;
  do {
    const page = await ports.participantsPage(study.studyId, cursor);
    cursor = page.cursor;
    // Only people in the study who accept SMS: USSD-only participants dial in themselves.
    const people = page.participants.filter(reachableBySms);
    if (people.length > 0) await dispatchPage(people, { ...input, schedule, start, week, lessons }, ports, result);
  } while (cursor);
  return result;
}

interface PageContext extends DispatchInput {
  schedule: ReturnType<typeof studySchedule>;
  start: Date;
  week: string;
  lessons: { campaign: Campaign; due: NonNullable<ReturnType<typeof lessonDue>>; arms: Set<string> }[];
}

async function dispatchPage(people: Participant[], ctx: PageContext, ports: DispatchPorts, result: DispatchResult): Promise<void> {
  const { study, content, now, week, schedule } = ctx;
  const lang = (p: Participant) => p.lang ?? study.languages[0] ?? 'en';
  const stamp = now.toISOString();
  const from = senderOf(study);
  const base = (p: Participant) => ({
    studyId: study.studyId, participantId: p.participantId, phone: p.phone, status: 'queued', createdAt: stamp, timeZone: study.timeZone,
    ...(from ? { from } : {}),
  });
  // On a one-way route the prompt and reminder must not invite an SMS answer that cannot arrive.
  const oneWay = !PROVIDERS[providerOf(study)].twoWay(study.country);

  // Every message this page could have this period, by deterministic id.
  const lessonMessages: StoredMessage[] = [];
  for (const { campaign, due, arms } of ctx.lessons) {
    for (const p of people) {
      if (!p.armId || !arms.has(p.armId)) continue;
      for (const m of campaignMessages(campaign, study, content, due.lesson, lang(p))) {
        lessonMessages.push({
          ...base(p), messageId: messageId(p, 'lesson', due.period, m.seq), text: m.text, treatmentOnly: true,
          purpose: 'lesson', period: due.period, campaignId: campaign.campaignId, dueAt: due.dueAt.toISOString(),
        });
      }
    }
  }
  // Only people whose prompt time has passed this week can have a prompt or reminder due:
  // before that (most of the week) a tick reads nothing for them.
  const promptable = people.filter((p) => promptDue(now, study.timeZone, schedule, p.reminder) <= now);
  if (promptable.length === 0 && lessonMessages.length === 0) return;
  // Reminder ids are asked for only once a reminder can be due: until then a page reads one
  // id per person instead of 1 + maxPerWeek.
  const reminderFrom = (p: Participant) => promptDue(now, study.timeZone, schedule, p.reminder).getTime() + schedule.reminderAfterHours * 3_600_000;
  const ids = promptable.flatMap((p) => [
    messageId(p, 'prompt', week),
    ...(now.getTime() >= reminderFrom(p) ? Array.from({ length: schedule.reminders.maxPerWeek }, (_, i) => messageId(p, 'reminder', week, i + 1)) : []),
  ]);
  const [complete, recorded] = await Promise.all([
    promptable.length > 0 ? ports.diaryComplete(study.studyId, promptable.map((p) => p.phone), week) : new Set<string>(),
    ports.recorded([...ids, ...lessonMessages.map((m) => m.messageId)]),
  ]);

  const activity = new Map<string, WeekActivity>();
  const mine = new Map<string, StoredMessage[]>();
  for (const m of recorded) mine.set(m.participantId, [...(mine.get(m.participantId) ?? []), m]);
  for (const p of promptable) {
    const sent = (mine.get(p.participantId) ?? []).filter((m) => m.purpose !== 'lesson');
    const last = sent.map((m) => m.sentAt ?? m.createdAt).sort().at(-1);
    activity.set(p.participantId, {
      diaryComplete: complete.has(p.phone),
      promptSent: sent.some((m) => m.purpose === 'prompt'),
      remindersSent: sent.filter((m) => m.purpose === 'reminder').length,
      ...(last ? { lastSentAt: new Date(last) } : {}),
    });
  }

  // Recorded, never tried and still queued long after: its enqueue was lost (a crash); enqueue
  // it again. One the sender tried is the queue's to retry, then the DLQ's: not re-enqueued here.
  // One the sender held back for quiet hours goes back to the queue once its morning has come.
  const stale = now.getTime() - (ctx.requeueAfterMs ?? 10 * 60_000);
  const again = recorded
    .filter((m) => m.status === 'queued' && (m.notBefore !== undefined ? Date.parse(m.notBefore) <= now.getTime() : !m.attempts && Date.parse(m.createdAt) < stale))
    .map(outbound);

  const byId = new Map(promptable.map((p) => [p.participantId, p]));
  const due = planDue({ timeZone: study.timeZone, studyStart: ctx.start, policy: schedule, reminderAfterHours: schedule.reminderAfterHours, now, participants: promptable, activity });
  const known = new Set(recorded.map((m) => m.messageId));
  const fresh: StoredMessage[] = [
    ...due.map((d) => {
      const p = byId.get(d.participantId) as Participant;
      return {
        ...base(p), messageId: d.messageId, text: smsText(content, oneWay ? `${d.purpose}OneWay` : d.purpose, lang(p), { code: study.serviceCode }),
        treatmentOnly: false, purpose: d.purpose, period: d.period, dueAt: d.dueAt.toISOString(),
      };
    }),
    ...lessonMessages.filter((m) => !known.has(m.messageId)),
  ];
  const created = new Set(fresh.length > 0 ? await ports.createMany(fresh) : []);
  // Same text together: the sender's batches then fill one bulk request per text.
  const toSend = [...again, ...fresh.filter((m) => created.has(m.messageId)).map(outbound)].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  if (toSend.length > 0) await ports.enqueue(toSend);
  result.created += created.size;
  result.enqueued += toSend.length;
}

function outbound(m: StoredMessage): OutboundMessage {
  return { messageId: m.messageId, studyId: m.studyId, participantId: m.participantId, phone: m.phone, text: m.text, treatmentOnly: m.treatmentOnly, ...(m.from ? { from: m.from } : {}) };
}
