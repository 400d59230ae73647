import { reachableBySms } from '../enrol/withdraw-consent.js';
import type { Participant } from '../model.js';
import { diaryWeek } from '../time/week.js';
import { TZDate } from '@date-fns/tz';
import { isQuietHour, messageId, promptDue, reminderAllowed, type SchedulePolicy } from './policy.js';

/**
 * What the dispatcher must enqueue for one page of participants now. Pure and deterministic:
 * the same inputs give the same ids, so a second run (or two at once) plans nothing new, and
 * conditional writes of those ids send nothing twice (invariant 4). It catches up rather than
 * looking at a window since the last tick: a prompt whose time has passed this week and that
 * was not sent is due, so downtime, a missed tick or a crash half-way heal at the next tick.
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
  now: Date;
  participants: readonly Participant[];
  activity: ReadonlyMap<string, WeekActivity>;
}

export function planDue(input: PlanInput): DueMessage[] {
  const { timeZone, policy, now } = input;
  const quietNow = isQuietHour(new TZDate(now.getTime(), timeZone).getHours(), policy.quiet);
  const week = diaryWeek(now, timeZone, input.studyStart);
  const due: DueMessage[] = [];
  for (const p of input.participants) {
    // Only people in the study who accept SMS: USSD-only participants dial in themselves.
    if (!reachableBySms(p) || p.training) continue;
    const act = input.activity.get(p.participantId) ?? { diaryComplete: false, promptSent: false, remindersSent: 0 };
    const promptAt = promptDue(now, timeZone, policy, p.reminder);
    if (!act.promptSent && !act.diaryComplete && promptAt <= now && !quietNow) {
      due.push({ messageId: messageId(p, 'prompt', week.id), participantId: p.participantId, phone: p.phone, purpose: 'prompt', period: week.id, dueAt: promptAt });
      continue;
    }
    const reminderFrom = promptAt.getTime() + input.reminderAfterHours * 3_600_000;
    if (act.promptSent && now.getTime() >= reminderFrom && reminderAllowed(now, timeZone, policy, { diaryComplete: act.diaryComplete, remindersThisWeek: act.remindersSent, ...(act.lastSentAt ? { lastSentAt: act.lastSentAt } : {}) })) {
      const seq = act.remindersSent + 1;
      due.push({ messageId: messageId(p, 'reminder', week.id, seq), participantId: p.participantId, phone: p.phone, purpose: 'reminder', period: week.id, dueAt: now });
    }
  }
  return due;
}
