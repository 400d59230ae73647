import type { Study } from '../model.js';

/**
 * Data retention (per study, `retention.rawSmsDays`): raw text participants typed is blanked
 * that many days after it arrived. Raw text lives in three places:
 * - incoming SMS as Africa's Talking posted them (`text` of stored `sms-inbound` callbacks);
 * - end-of-session USSD notifications (`input`, `lastAppResponse` of `ussd-event` callbacks);
 * - complaints sent by SMS (`text`: the participant's own words; category and provider stay);
 * - complaints by voice (`recordingUrl`: AT's link to the participant's recording).
 * Diary replies by SMS are stored parsed (numbers and codes), never as text.
 */

export const DAY_MS = 86_400_000;

/** The instant before which a study's raw text goes, or undefined when the study keeps it. */
export function retentionCutoff(study: Pick<Study, 'retention'>, now: Date): Date | undefined {
  const days = study.retention?.rawSmsDays;
  return days === undefined ? undefined : new Date(now.getTime() - days * DAY_MS);
}

/** Whether something received at `at` (ISO) is past the cutoff. */
export function expired(at: unknown, cutoff: Date | undefined): boolean {
  if (!cutoff || typeof at !== 'string') return false;
  const t = Date.parse(at);
  return Number.isFinite(t) && t < cutoff.getTime();
}

/**
 * The study a stored raw callback belongs to: an incoming SMS by the short code it was sent to,
 * a USSD notification by its service code. Delivery reports carry no text and belong to none.
 */
export function studyOfCallback(kind: string, fields: Record<string, string>, studies: readonly Study[]): Study | undefined {
  if (kind === 'sms-inbound') return studies.find((s) => s.smsShortCode !== undefined && s.smsShortCode === fields.to);
  if (kind === 'ussd-event') return studies.find((s) => s.serviceCode === fields.serviceCode);
  return undefined;
}
