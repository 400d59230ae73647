import type { Content, SmsTextKey } from '../content/schema.js';
import type { Participant, Study } from '../model.js';
import type { OutboundMessage } from '../sms/send.js';
import { diaryWeek } from '../time/week.js';
import { fill } from '../ussd/text.js';
import { planDue, type WeekActivity } from './plan.js';
import type { SchedulePolicy } from './policy.js';

/**
 * One dispatcher tick for one study: page through participants, plan what is due, record
 * each message once (with its text) and enqueue it. Crash-safe: a message recorded but never
 * enqueued is still `queued` at the next tick and is enqueued again; the sender's claim makes
 * a duplicate queue entry harmless. Running twice, or two at once, sends nothing twice.
 */
export interface StoredMessage extends OutboundMessage {
  purpose: 'prompt' | 'reminder';
  period: string;
  status: string;
  createdAt: string;
}

export interface DispatchPorts {
  participantsPage(studyId: string, cursor?: string): Promise<{ participants: Participant[]; cursor?: string }>;
  /** This week's diary state of each participant in the page. */
  diaryComplete(studyId: string, phones: string[], week: string): Promise<Set<string>>;
  /** Messages of this week already recorded for these participants (by deterministic ids). */
  recorded(ids: string[]): Promise<StoredMessage[]>;
  /** Records a message once; false when its id exists. */
  create(m: StoredMessage): Promise<boolean>;
  enqueue(m: OutboundMessage): Promise<void>;
}

export interface DispatchInput {
  study: Study;
  content: Content;
  policy: SchedulePolicy;
  reminderAfterHours: number;
  now: Date;
  /** A message still queued this long after it was recorded is enqueued again. */
  requeueAfterMs?: number;
}

export function smsText(content: Content, key: SmsTextKey, lang: string, vars: Record<string, string>): string {
  const texts = content.sms?.[key];
  return fill(texts?.[lang] ?? texts?.en ?? '', vars);
}

export async function dispatchStudy(input: DispatchInput, ports: DispatchPorts): Promise<{ created: number; enqueued: number }> {
  const { study, content, now } = input;
  const start = study.startsOn ? new Date(`${study.startsOn}T12:00:00Z`) : new Date(study.createdAt);
  const week = diaryWeek(now, study.timeZone, start).id;
  const maxReminders = input.policy.reminders.maxPerWeek;
  let created = 0;
  let enqueued = 0;
  let cursor: string | undefined;
  do {
    const page = await ports.participantsPage(study.studyId, cursor);
    cursor = page.cursor;
    const people = page.participants.filter((p) => p.consent.state === 'consented');
    if (people.length === 0) continue;
    const ids = people.flatMap((p) => [`prompt#${week}#${p.participantId}#0`, ...Array.from({ length: maxReminders }, (_, i) => `reminder#${week}#${p.participantId}#${i + 1}`)]);
    const [complete, recorded] = await Promise.all([ports.diaryComplete(study.studyId, people.map((p) => p.phone), week), ports.recorded(ids)]);
    const activity = new Map<string, WeekActivity>();
    for (const p of people) {
      const mine = recorded.filter((m) => m.participantId === p.participantId);
      const last = mine.map((m) => m.createdAt).sort().at(-1);
      activity.set(p.participantId, {
        diaryComplete: complete.has(p.phone),
        promptSent: mine.some((m) => m.purpose === 'prompt'),
        remindersSent: mine.filter((m) => m.purpose === 'reminder').length,
        ...(last ? { lastSentAt: new Date(last) } : {}),
      });
    }
    // Recorded but still queued long after: its enqueue was lost (a crash); enqueue it again.
    const stale = now.getTime() - (input.requeueAfterMs ?? 10 * 60_000);
    for (const m of recorded) {
      if (m.status === 'queued' && Date.parse(m.createdAt) < stale) {
        await ports.enqueue(outbound(m));
        enqueued += 1;
      }
    }
    const due = planDue({ timeZone: study.timeZone, studyStart: start, policy: input.policy, reminderAfterHours: input.reminderAfterHours, now, participants: people, activity });
    const byId = new Map(people.map((p) => [p.participantId, p]));
    for (const d of due) {
      const p = byId.get(d.participantId) as Participant;
      const m: StoredMessage = {
        messageId: d.messageId, studyId: study.studyId, participantId: p.participantId, phone: p.phone,
        text: smsText(content, d.purpose, p.lang ?? study.languages[0] ?? 'en', { code: study.serviceCode }),
        treatmentOnly: false, purpose: d.purpose, period: d.period, status: 'queued', createdAt: now.toISOString(),
      };
      if (!(await ports.create(m))) continue;
      created += 1;
      await ports.enqueue(outbound(m));
      enqueued += 1;
    }
  } while (cursor);
  return { created, enqueued };
}

function outbound(m: StoredMessage): OutboundMessage {
  return { messageId: m.messageId, studyId: m.studyId, participantId: m.participantId, phone: m.phone, text: m.text, treatmentOnly: m.treatmentOnly, ...(m.from ? { from: m.from } : {}) };
}
