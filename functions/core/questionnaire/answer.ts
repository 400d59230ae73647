import type { Choice, Question, UiStrings } from '../content/schema.js';
import type { Lang } from '../model.js';
import type { AnswerLike } from './condition.js';

export const SKIP = '99';

export type Parsed = { ok: true; value: AnswerLike | undefined } | { ok: false; notice: string };

const fill = (t: string, vars: Record<string, string | number>) => t.replace(/\{(\w+)\}/g, (w, k: string) => String(vars[k] ?? w));

/**
 * Reads a typed number the way people write amounts: `1500`, `1,500`, `1 500`, `1.500`
 * (thousands), and for decimals `12.5` or `12,5`. Returns undefined for anything else.
 */
export function readNumber(input: string, decimal: boolean): number | undefined {
  const t = input.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (/^\d{1,3}([ ,.']\d{3})+$/.test(t)) return Number(t.replace(/\D/g, ''));
  if (!decimal) return undefined;
  const m = /^(\d+|\d{1,3}(?:[ ,']\d{3})+)[.,](\d{1,2})$/.exec(t);
  return m ? Number(`${(m[1] as string).replace(/\D/g, '')}.${m[2]}`) : undefined;
}

/** Reads "1 3", "1,3", "1-3"-free lists, or "13" when every choice number is a single digit. */
function readChoices(input: string, count: number): number[] | undefined {
  const t = input.trim();
  const parts = /[\s,;.]/.test(t) ? t.split(/[\s,;.]+/).filter(Boolean) : count <= 9 ? [...t] : [t];
  if (parts.length === 0 || parts.some((p) => !/^\d{1,2}$/.test(p))) return undefined;
  const picked = [...new Set(parts.map(Number))];
  return picked.every((n) => n >= 1 && n <= count) ? picked.sort((a, b) => a - b) : undefined;
}

/**
 * Turns one typed input into an answer for a question, or a notice (in the participant's
 * language) saying what is expected. `99` skips an optional question (value undefined).
 */
export function parseAnswer(q: Question, input: string, lang: Lang, s: UiStrings): Parsed {
  const t = input.trim();
  if (q.required === false && q.type !== 'integer' && q.type !== 'decimal' && t === SKIP) return { ok: true, value: undefined };
  switch (q.type) {
    case 'select_one': {
      const n = /^\d{1,2}$/.test(t) ? Number(t) : 0;
      const choice = q.choices[n - 1];
      return choice ? { ok: true, value: choice.name } : { ok: false, notice: s.invalidChoice };
    }
    case 'select_multiple': {
      const picked = readChoices(t, q.choices.length);
      if (!picked) return { ok: false, notice: s.chooseSeveral };
      const choices = picked.map((n) => q.choices[n - 1] as Choice);
      // "None" with something else is a contradiction: ask again rather than guess.
      if (choices.length > 1 && choices.some((c) => c.exclusive)) return { ok: false, notice: s.chooseSeveral };
      return { ok: true, value: choices.map((c) => c.name) };
    }
    case 'integer':
    case 'decimal': {
      const n = readNumber(t, q.type === 'decimal');
      const { min, max, message } = q.constraint;
      if (n === undefined) return { ok: false, notice: q.type === 'integer' ? s.invalidNumber : fill(s.invalidRange, { min, max }) };
      if (n < min || n > max) return { ok: false, notice: message[lang] ?? fill(s.invalidRange, { min, max }) };
      return { ok: true, value: n };
    }
    case 'text':
      return t.length >= 1 && t.length <= q.maxLength ? { ok: true, value: t } : { ok: false, notice: fill(s.invalidText, { max: q.maxLength }) };
  }
}
