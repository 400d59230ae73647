import { median } from './consistency.js';
import type { Assignment, CallRecord, EnumeratorId } from './model.js';

/**
 * What a supervisor sees per enumerator over a set of weeks: calls made, the share that ended
 * completed, the median interview length, and the share of consistency prompts kept through
 * (overridden); and the back-check list, the completed interviews flagged for a re-call.
 */
export interface EnumeratorStats {
  enumeratorId: EnumeratorId;
  assigned: number;
  calls: number;
  completed: number;
  completionRate: number | null;
  medianInterviewMs: number | null;
  prompts: number;
  overriddenShare: number | null;
}

export function enumeratorStats(assignments: readonly Assignment[], records: readonly CallRecord[]): EnumeratorStats[] {
  const ids = new Set<EnumeratorId>(assignments.map((a) => a.enumeratorId));
  for (const r of records) for (const a of r.attempts) ids.add(a.enumeratorId);
  return [...ids].sort().map((id) => {
    const attempts = records.flatMap((r) => r.attempts.filter((a) => a.enumeratorId === id));
    const spans = records.flatMap((r) => r.interviews.filter((s) => s.enumeratorId === id));
    const completed = attempts.filter((a) => a.disposition === 'completed').length;
    const prompts = spans.reduce((s, x) => s + x.prompts, 0);
    const overridden = spans.reduce((s, x) => s + x.overridden, 0);
    return {
      enumeratorId: id,
      assigned: assignments.filter((a) => a.enumeratorId === id).length,
      calls: attempts.length,
      completed,
      completionRate: attempts.length ? completed / attempts.length : null,
      medianInterviewMs: median(spans.flatMap((s) => (s.durationMs === undefined ? [] : [s.durationMs]))) ?? null,
      prompts,
      overriddenShare: prompts ? overridden / prompts : null,
    };
  });
}

export interface BackCheckRow {
  participantId: string;
  week: string;
  enumeratorId?: EnumeratorId;
  flaggedAt: string;
  checkedAt?: string;
  differences?: Record<string, { recorded: unknown; heard: unknown }>;
}

export function backCheckList(records: readonly CallRecord[]): BackCheckRow[] {
  return records
    .filter((r) => r.backCheck)
    .map((r) => {
      const done = [...r.attempts].reverse().find((a) => a.disposition === 'completed');
      const b = r.backCheck as NonNullable<CallRecord['backCheck']>;
      return { participantId: r.participantId, week: r.week, ...(done ? { enumeratorId: done.enumeratorId } : {}), flaggedAt: b.flaggedAt, ...(b.checkedAt ? { checkedAt: b.checkedAt } : {}), ...(b.differences ? { differences: b.differences } : {}) };
    })
    .sort((a, b) => a.week.localeCompare(b.week) || a.participantId.localeCompare(b.participantId));
}

/** The answers a back-check heard that differ from what the interview recorded. */
export function differences(recorded: Readonly<Record<string, unknown>>, heard: Readonly<Record<string, unknown>>): Record<string, { recorded: unknown; heard: unknown }> {
  const out: Record<string, { recorded: unknown; heard: unknown }> = {};
  for (const [id, value] of Object.entries(heard)) {
    if (JSON.stringify(recorded[id] ?? null) !== JSON.stringify(value ?? null)) out[id] = { recorded: recorded[id] ?? null, heard: value };
  }
  return out;
}
