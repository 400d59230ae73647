import type { Participant } from '../model.js';

/**
 * The provider says a number opted out or is blocked (AT 406, SSL Wireless 4026, Infobip
 * REJECTED_DND): the participant is withdrawn, so nothing more goes to the number (invariant 3).
 * Whoever heard it (the sender at send time, a delivery report later) records it the same way.
 */
export interface OptOutPorts {
  participant(key: { studyId: string; phone: string }): Promise<Participant | undefined>;
  /** Rewrites the participant if unchanged since `previousUpdatedAt`. */
  save(participant: Participant, previousUpdatedAt: string): Promise<void>;
}

export async function providerOptOut(ports: OptOutPorts, key: { studyId: string; phone: string }, at: string): Promise<boolean> {
  const p = await ports.participant(key);
  if (!p || p.consent.state !== 'consented') return false;
  await ports.save({ ...p, consent: { ...p.consent, state: 'withdrawn', at, channel: 'provider' }, updatedAt: at }, p.updatedAt);
  return true;
}
