import { createHmac } from 'node:crypto';

/**
 * Pseudonymous participant ids for exports (docs/design.md, invariant 6).
 *
 * One deployment secret is kept (Secrets Manager in AWS, `SAUTI_PSEUDONYM_KEY` locally); each
 * study gets its own key derived from it, HMAC(secret, 'sauti-pseudonym:' + studyId). So:
 * - there is one secret to keep, back up and protect, whatever the number of studies;
 * - the same person in two studies gets two unrelated ids: exports of different studies
 *   cannot be joined on `pid`, and leaking one study's key reveals nothing about another's;
 * - a keyed hash, not a plain one: phone numbers are few enough (about 10^9 per country) to
 *   hash them all, so without the key anyone could reverse a SHA-256 of a number.
 * The id is stable: the same phone in the same study always gets the same `pid`, across
 * exports and over time (rotating the secret would change every id, breaking the panel).
 */

const DERIVATION_PREFIX = 'sauti-pseudonym:';
/** Hex characters kept: 64 bits, a collision chance near 3e-10 among 100,000 participants. */
export const PSEUDONYM_LENGTH = 16;

/** The key of one study, derived from the deployment secret. */
export function studyKey(secret: string, studyId: string): Buffer {
  if (secret.length < 16) throw new Error('The pseudonym secret must be at least 16 characters');
  return createHmac('sha256', secret).update(DERIVATION_PREFIX + studyId, 'utf8').digest();
}

/** The pseudonymous id of a phone number (E.164) in the study whose key is given. */
export function pseudonym(phone: string, key: Uint8Array): string {
  return createHmac('sha256', key).update(phone, 'utf8').digest('hex').slice(0, PSEUDONYM_LENGTH);
}

/**
 * A participant's export id (`pid`), wherever a researcher sees one: exports, the console.
 * A forgotten participant has no number left: the id computed from it before it went.
 */
export function participantPseudonym(p: { phone: string; forgotten?: { pseudonym?: string } }, key: Uint8Array): string {
  return p.forgotten?.pseudonym ?? pseudonym(p.phone, key);
}

/** An enumerator's pseudonymous id in exports: `e` and 8 hex of the study-keyed HMAC of their staff id (a different input space from numbers). */
export function enumeratorPseudonym(enumeratorId: string, key: Uint8Array): string {
  return `e${createHmac('sha256', key).update(`enumerator|${enumeratorId}`, 'utf8').digest('hex').slice(0, 8)}`;
}

/** How `pid` is made, in words, for the codebook. */
export const PSEUDONYM_METHOD =
  `First ${PSEUDONYM_LENGTH} hexadecimal characters of HMAC-SHA256(study key, phone number in E.164), ` +
  `the study key being HMAC-SHA256(deployment secret, "${DERIVATION_PREFIX}" + study id): stable within a study, ` +
  'unrelated across studies, not reversible without the secret.';
