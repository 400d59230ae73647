import type { Participant } from '../model.js';
import { diaryWeek } from '../time/week.js';
import { messageId, promptDue, reminderAllowed, type SchedulePolicy } from './policy.js';

/**
 * What the dispatcher must enqueue for one page of participants, for the window since its
 * last tick. Pure and deterministic: the same inputs give the same ids, so a second run (or
 * two at once) plans nothing that was not already planned, and conditional writes of those
 * ids send nothing twice (invariant 4).
 */
export interface DueMessage {
  messageId: string;
  participantId: string;
  phone: string;
  purpose: 'prompt' | 'reminder';
  /** ISO week the message is about. */
  period: string;
  dueAt: Date;
}

export interface WeekActivity {
  /** This week's diary is saved (a reminder would be noise). */
  diaryComplete: boolean;
  promptSent: boolean;
  remindersSent: number;
  lastSentAt?: Date;
}

export interface PlanInput {
  timeZone: string;
  studyStart: Date;
  policy: SchedulePolicy;
  /** Hours after the prompt before a reminder may go. */
  reminderAfterHours: number;
  /** The window: (since, now]. */
  since: Date;
  now: Date;
  participants: readonly Participant[];
  activity: ReadonlyMap<string, WeekActivity>;
}

export function planDue(input: PlanInput): DueMessage[] {
  const { timeZone, policy, now, since } = input;
  const week = diaryWeek(now, timeZone, input.studyStart);
  const due: DueMessage[] = [];
  for (const p of input.participants) {
    // Only people in the study who accept SMS: USSD-only participants dial in themselves.
    if (p.consent.state !== 'consented' || p.channel === 'ussd') continue;
    const act = input.activity.get(p.participantId) ?? { diaryComplete: false, promptSent: false, remindersSent: 0 };
    const promptAt = promptDue(now, timeZone, policy, p.reminder);
    if (!act.promptSent && !act.diaryComplete && promptAt > since && promptAt <= now) {
      due.push({ messageId: messageId(p.participantId, 'prompt', week.id), participantId: p.participantId, phone: p.phone, purpose: 'prompt', period: week.id, dueAt: promptAt });
      continue;
    }
    const reminderFrom = promptAt.getTime() + input.reminderAfterHours * 3_600_000;
    if (act.promptSent && now.getTime() >= reminderFrom && reminderAllowed(now, timeZone, policy, { diaryComplete: act.diaryComplete, remindersThisWeek: act.remindersSent, ...(act.lastSentAt ? { lastSentAt: act.lastSentAt } : {}) })) {
      const seq = act.remindersSent + 1;
      due.push({ messageId: messageId(p.participantId, 'reminder', week.id, seq), participantId: p.participantId, phone: p.phone, purpose: 'reminder', period: week.id, dueAt: now });
    }
  }
  return due;
}
