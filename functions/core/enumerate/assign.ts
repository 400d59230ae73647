import type { Participant } from '../model.js';
import type { Assignment, AssignmentStep, EnumeratorId } from './model.js';

/**
 * Assigning participants to enumerators. Balanced: within every cell of arm and stratum the
 * participants (in id order) are dealt round-robin, the dealer's position carrying on from one
 * cell to the next, so each cell and each enumerator's total differ by at most one between
 * enumerators. Arms are read here, by the supervisor's use case, and never leave it: the
 * enumerator sees only who is theirs, not why.
 */
export function balancedPlan(participants: readonly Pick<Participant, 'participantId' | 'armId' | 'stratum'>[], enumerators: readonly EnumeratorId[]): Map<string, EnumeratorId> {
  const plan = new Map<string, EnumeratorId>();
  if (enumerators.length === 0) return plan;
  const cells = new Map<string, string[]>();
  for (const p of participants) {
    const cell = `${p.armId ?? ''}\u0000${p.stratum ?? ''}`;
    cells.set(cell, [...(cells.get(cell) ?? []), p.participantId]);
  }
  let dealer = 0;
  for (const cell of [...cells.keys()].sort()) {
    for (const id of [...(cells.get(cell) ?? [])].sort()) {
      plan.set(id, enumerators[dealer % enumerators.length] as EnumeratorId);
      dealer += 1;
    }
  }
  return plan;
}

/** The assignment after handing a participant to `step.enumeratorId`; the earlier one goes to the history. */
export function reassign(current: Assignment | undefined, base: { studyId: string; participantId: string }, step: AssignmentStep): Assignment {
  if (current && current.enumeratorId === step.enumeratorId) return current;
  const history = current ? [...current.history, { enumeratorId: current.enumeratorId, at: current.at, by: current.by, how: current.how }] : [];
  return { ...base, ...step, history, version: (current?.version ?? 0) + 1 };
}
