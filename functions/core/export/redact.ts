/**
 * Free text typed by participants (a complaint, a text answer) may hold a phone number: theirs,
 * an agent's. Exports without phone numbers replace any run of 9 or more digits (any script's
 * digits, with spaces, dots or dashes between them, an optional leading +) by `[number]`.
 * Amounts stay: they are shorter.
 */
const NUMBER_RUN = /\+?\p{Nd}(?:[\s.-]?\p{Nd}){8,}/gu;

export const REDACTED = '[number]';

export function redactNumbers(text: string): string {
  return text.replace(NUMBER_RUN, REDACTED);
}
