import type { Keywords } from '../content/schema.js';

/**
 * Inbound SMS keywords (STOP, START, HELP, FORGET and its confirmation) in every language, matched forgivingly: case,
 * punctuation, extra spaces and the script of the digits do not matter, and English keywords
 * work in every study (people write "STOP" whatever their language).
 */

export type KeywordIntent = keyof Keywords;

/**
 * Folds a message to its comparable form: digits of any script to ASCII (Bengali ৩ to 3),
 * letters to lower case, punctuation and symbols to spaces, runs of spaces to one.
 * A lone "?" survives, since it is itself a keyword (help).
 */
export function normalizeSms(text: string): string {
  const folded = asciiDigits(text.normalize('NFC')).toLocaleLowerCase('en-US').trim();
  if (folded === '?') return '?';
  return folded.replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** Replaces decimal digits of any script (Unicode Nd) by ASCII 0-9. */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0) as number;
    // Every Unicode decimal-digit block is ten consecutive code points starting at a zero.
    for (let zero = cp; zero > cp - 10; zero -= 1) {
      if (!/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) return String(cp - zero);
    }
    return d;
  });
}

/** The keyword a whole message is, if it is one (in any language of the content). */
export function keywordOf(text: string, keywords: Keywords): KeywordIntent | undefined {
  const message = normalizeSms(text);
  if (!message) return undefined;
  for (const intent of ['stop', 'start', 'help', 'forget', 'forgetConfirm'] as const) {
    for (const words of Object.values(keywords[intent] ?? {})) {
      if (words.some((w) => normalizeSms(w) === message)) return intent;
    }
  }
  return undefined;
}
