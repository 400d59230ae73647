import { withdrawConsent } from '../enrol/withdraw-consent.js';
import metadata from '../phone-metadata.json' with { type: 'json' };
import type { WeekRecord } from '../diary/week-record.js';
import type { Complaint, Participant } from '../model.js';

/**
 * "Forget me" (docs/design.md, participant rights): what stays of a participant once they are
 * forgotten, as pure functions over the records.
 *
 * The rule (docs/operations.md, "Participant rights"): the research record stays, pseudonymous — participant id, arm and
 * its assignment, stratum and cluster, baseline covariates (the consent text promises that
 * researchers see "a code, not your name or number": that code and the answers behind it stay), lessons, diary answers, complaint categories and
 * providers, and the export's pseudonymous id, computed from the phone number once, before it
 * goes. What goes: the phone number (everywhere: the record keeps `forgotten:<participantId>`
 * in its place), free text the participant wrote (complaint texts, raw SMS and USSD input), the
 * USSD conversation kept with a diary week, the reminder preference. Consent becomes withdrawn,
 * so nothing is sent to them again, by any path.
 */

/** What replaces the phone number in every record of a forgotten participant. */
export const forgottenMarker = (participantId: string): string => `forgotten:${participantId}`;

export const isForgottenPhone = (phone: string): boolean => phone.startsWith('forgotten:');

/** How long a "FORGET" request waits for its confirmation by SMS. */
export const FORGET_CONFIRM_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ForgetMark {
  at: string;
  /** The export's pseudonymous id (HMAC of the phone number), kept so exports stay joinable. */
  pseudonym?: string;
  /** Who asked: the participant by SMS, or an admin (named in the audit record, not here). */
  by: 'participant' | 'admin';
}

/** The participant as kept after forgetting: pseudonymous, withdrawn, no phone number. */
export function forgottenParticipant(p: Participant, mark: ForgetMark): Participant {
  const { reminder: _reminder, forgetRequest: _request, ...kept } = p;
  return {
    ...withdrawConsent(kept, { at: mark.at }),
    phone: forgottenMarker(p.participantId),
    forgotten: { at: mark.at, by: mark.by, ...(mark.pseudonym ? { pseudonym: mark.pseudonym } : {}) },
    updatedAt: mark.at,
  };
}

/** A diary week as kept: the answers, without the phone number or the USSD conversation. */
export function forgottenWeek(w: WeekRecord): WeekRecord {
  const { conversation: _conversation, ...kept } = w;
  return { ...kept, phone: forgottenMarker(w.participantId) };
}

/** A complaint as kept: provider, category and week, without the phone number or free text. */
export function forgottenComplaint(c: Complaint): Complaint {
  const { text: _text, ...kept } = c;
  return { ...kept, phone: forgottenMarker(c.participantId) };
}

const callingCodes = Object.keys(metadata.country_calling_codes).sort((a, b) => b.length - a.length);

/**
 * The ways a number can be written in stored text: E.164 (`+254712345678`), without the plus
 * (`254712345678`), national with a trunk zero (`0712345678`) and the bare subscriber number.
 */
export function phoneVariants(e164: string): string[] {
  const digits = e164.replace(/^\+/, '');
  const code = callingCodes.find((c) => digits.startsWith(c));
  const national = code ? digits.slice(code.length) : undefined;
  return [...new Set([e164, digits, ...(national && national.length >= 6 ? [`0${national}`, national] : [])])];
}

/** Whether a stored item mentions the number in any of its forms (anywhere: keys, fields, text). */
export function mentionsPhone(item: unknown, variants: readonly string[]): boolean {
  const text = JSON.stringify(item);
  return variants.some((v) => text.includes(v));
}

/** Replaces every form of the number in a string by the marker (longest form first). */
export function redactText(text: string, variants: readonly string[], marker: string): string {
  let out = text;
  for (const v of [...variants].sort((a, b) => b.length - a.length)) out = out.split(v).join(marker);
  return out;
}

/** Form fields of raw callbacks that carry what the participant typed or saw. */
export const RAW_BODY_FIELDS = ['text', 'input', 'lastAppResponse'] as const;

/** A raw callback's fields with the number replaced and the typed bodies removed. */
export function redactedFields(fields: Record<string, string>, variants: readonly string[], marker: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if ((RAW_BODY_FIELDS as readonly string[]).includes(k)) continue;
    out[k] = redactText(v, variants, marker);
  }
  return out;
}

/** Whether a FORGET request is waiting and still within its window. */
export function forgetConfirmable(p: Pick<Participant, 'forgetRequest'>, now: Date): boolean {
  const at = p.forgetRequest ? Date.parse(p.forgetRequest.at) : Number.NaN;
  return Number.isFinite(at) && now.getTime() - at >= 0 && now.getTime() - at <= FORGET_CONFIRM_WINDOW_MS;
}
