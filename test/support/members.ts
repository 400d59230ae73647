import { systemClock } from '../../functions/core/ports/index.js';
import type { ParticipantStore } from '../../functions/core/ports/index.js';

let seq = 0;

/** Adds a participant who consented earlier (imported), with a fresh Kenyan number. */
export async function addConsented(participants: Pick<ParticipantStore, 'addParticipant'>, studyId: string, lang: string, armId: string, at = systemClock.now()): Promise<string> {
  seq += 1;
  const phone = `+25471${String(process.pid % 10)}${String(seq).padStart(6, '0')}`;
  const now = at.toISOString();
  await participants.addParticipant({
    studyId, participantId: `p_${process.pid}_${seq}`, phone, lang, armId,
    consent: { state: 'consented', version: 'v', channel: 'import' }, source: 'import', createdAt: now, updatedAt: now,
  });
  return phone;
}
