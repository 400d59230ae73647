import { withdrawConsent } from '../enrol/withdraw-consent.js';
import type { ParticipantKey, ParticipantStore } from '../ports/participants.js';

/**
 * The provider says a number opted out or is blocked (AT 406, SSL Wireless 4026, Infobip
 * REJECTED_DND): the participant is withdrawn, so nothing more goes to the number (invariant 3).
 * Whoever heard it (the sender at send time, a delivery report later) records it the same way.
 */
export async function providerOptOut(participants: Pick<ParticipantStore, 'getMany' | 'saveParticipant'>, key: ParticipantKey, at: string): Promise<boolean> {
  const p = (await participants.getMany([key]))[0];
  if (!p || p.consent.state !== 'consented') return false;
  await participants.saveParticipant({ ...withdrawConsent(p, { at, channel: 'provider' }), updatedAt: at }, p.updatedAt);
  return true;
}
