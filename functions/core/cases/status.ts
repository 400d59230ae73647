/**
 * A participant asking after their own cases: `P <ref>` by SMS, "My problems" on USSD. A
 * reference that is not the sender's gets exactly the answer a mistyped one gets, so nobody
 * learns whether someone else's reference exists. Only the sender's own cases are looked at.
 */
import type { SmsTextKey } from '../content/schema.js';
import { asciiDigits } from '../sms/keywords.js';
import type { CaseState, ComplaintCase } from './model.js';

// Crockford's base 32 (ussd/problem-flow.ts complaintRef); read-alike letters are mapped back.
const REF = /^[0-9A-HJKMNP-TV-Z]{6}$/;
const PROBLEM_WORD = /^\s*(p|problem|tatizo|সমস্যা)[\s:.,!-]+/iu;

export function normalizeRef(token: string): string {
  return token.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * The reference in a status query, or undefined when the text is not one. `P` plus a single
 * word of six reference characters is a query; it is `certain` when the word has a digit, else
 * it may be a one-word complaint ("P AGENTS"): the caller treats it as a query only if it is one
 * of the sender's own references (a decision that depends on nobody else's cases).
 */
export function statusQuery(text: string): { ref: string; certain: boolean } | undefined {
  const t = asciiDigits(text);
  const m = PROBLEM_WORD.exec(t);
  if (!m) return undefined;
  const rest = t.slice(m[0].length).trim();
  if (/\s/.test(rest)) return undefined;
  const ref = normalizeRef(rest.replace(/[.!]+$/, ''));
  return REF.test(ref) ? { ref, certain: /\d/.test(ref) } : undefined;
}

const STATUS_KEY: Record<CaseState, SmsTextKey> = {
  new: 'caseStatusOpen',
  acknowledged: 'caseStatusOpen',
  referred: 'caseStatusReferred',
  provider_responded: 'caseStatusReferred',
  resolved: 'caseStatusResolved',
  unresolved: 'caseStatusUnresolved',
  closed: 'caseStatusClosed',
};

/** The case a participant's reference stands for among their own: a merged repeat speaks for the case it joined. */
function ownCase(ref: string, own: readonly ComplaintCase[]): ComplaintCase | undefined {
  let c = own.find((x) => x.ref === ref);
  const seen = new Set<string>();
  while (c?.mergedInto && !seen.has(c.ref)) {
    seen.add(c.ref);
    const into = c.mergedInto;
    const next = own.find((x) => x.ref === into);
    if (!next) break;
    c = next;
  }
  return c;
}

/** The answer to "how is my problem <ref>?", from the sender's own cases only. */
export function statusAnswer(ref: string, own: readonly ComplaintCase[]): { key: SmsTextKey; vars: { ref: string } } {
  const wanted = normalizeRef(ref);
  const c = ownCase(wanted, own);
  return c ? { key: STATUS_KEY[c.state], vars: { ref: wanted } } : { key: 'caseNotFound', vars: { ref: wanted } };
}

/** "My problems": the participant's cases, newest first, without repeats merged into another. */
export function myProblems(own: readonly ComplaintCase[], limit = 5): { ref: string; key: SmsTextKey; awaitingAnswer: boolean }[] {
  return own
    .filter((c) => !c.mergedInto)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || a.ref.localeCompare(b.ref))
    .slice(0, limit)
    .map((c) => ({ ref: c.ref, key: STATUS_KEY[c.state], awaitingAnswer: c.state === 'resolved' }));
}

/** "1" / "2" (or yes / no in a study language) answering "Was your problem solved?". */
export function solvedAnswer(text: string): boolean | undefined {
  const t = asciiDigits(text).trim().toLowerCase().replace(/[.!]+$/, '');
  if (['1', 'yes', 'ndiyo', 'ndio', 'হ্যাঁ'].includes(t)) return true;
  if (['2', 'no', 'hapana', 'না'].includes(t)) return false;
  return undefined;
}
