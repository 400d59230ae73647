import { randomInt, randomUUID } from 'node:crypto';
import { type CountryCode, getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { content } from '../../content/index.js';
import type { Participant, Study } from '../../functions/core/model.js';
import { toE164 } from '../../functions/core/phone.js';

/**
 * The guided tour's own participant: a throw-away number made for one tour, consented, in the
 * diary-only arm, reading English when the study has it, marked `training` so exports, impact,
 * balance and the dispatcher leave it out. The tour never dials a seeded or real number, so
 * replaying its keys can never change anyone's saved diary (invariant 10).
 */
export function tourParticipant(study: Study, now: Date, draw: () => number = () => randomInt(0, 1_000_000)): Participant | undefined {
  const phone = tourNumber(study.country, draw);
  if (!phone) return undefined;
  const control = study.arms.find((a) => !a.treatment);
  const stamp = now.toISOString();
  return {
    studyId: study.studyId,
    participantId: `tour_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
    phone,
    lang: study.languages.includes('en') ? 'en' : study.languages[0],
    consent: { state: 'consented', version: content.consent.version, at: stamp, channel: 'import' },
    ...(control ? { armId: control.armId } : {}),
    // USSD only: the dispatcher sends it no prompt or reminder.
    channel: 'ussd',
    source: 'seed',
    training: { tool: 'tour', at: stamp },
    createdAt: stamp,
    updatedAt: stamp,
  };
}

/** A valid mobile number of the country: its example number with the last six digits drawn. */
export function tourNumber(country: string, draw: () => number): string | undefined {
  const example = getExampleNumber(country as CountryCode, examples);
  if (!example) return undefined;
  const national = example.nationalNumber;
  const digits = String(draw() % 1_000_000).padStart(6, '0');
  return toE164(`+${example.countryCallingCode}${national.slice(0, -6)}${digits}`);
}
