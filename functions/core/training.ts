import type { Participant } from './model.js';

/**
 * Research reads (exports, impact, balance, randomization) see only real participants: the
 * numbers training tools make for themselves walk the same menus, so their answers are
 * stored like anyone's, and must be dropped where data is analysed (invariant 10).
 */
export function isResearchParticipant(p: Pick<Participant, 'training'>): boolean {
  return p.training === undefined;
}

export function researchParticipants<P extends Pick<Participant, 'training'>>(list: readonly P[]): P[] {
  return list.filter(isResearchParticipant);
}
