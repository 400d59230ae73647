import type { Questionnaire } from '../content/schema.js';
import type { AnswerValue } from '../model.js';
import { asciiDigits } from './keywords.js';

/**
 * The compact SMS diary reply, for participants who prefer SMS:
 *
 *   D <received> [C|B|M|X] [<fee>] [<saved>]      e.g.  D 8000 M 200 500
 *
 * received this week, how (Cash, Bank, Mobile money, miXed), fee paid to get it, amount
 * saved. Forgiving: any case, digits of any script (D ৮০০০ M ২০০ ৫০০), thousands written
 * `8,000` or `8.000`, the letter glued to a number (`8000M`), extra spaces and punctuation,
 * and missing parts at the end (they stay unanswered). `D 0` is a week without wages.
 * Answers go to the same diary questions as on USSD.
 */

export type DiaryReply = { ok: true; answers: Record<string, AnswerValue> } | { ok: false; problem: 'format' | 'range' };

const HOW: Record<string, string> = { c: 'cash', b: 'bank', m: 'mobile_money', x: 'mixed' };

/** Whether the message is meant as a diary reply (starts with D), whatever its quality. */
export function isDiaryReply(text: string): boolean {
  return /^\s*d(\s|\d|$)/i.test(asciiDigits(text));
}

export function parseDiaryReply(text: string, diary: Questionnaire): DiaryReply {
  const t = asciiDigits(text).toLowerCase().trim();
  // A minus sign is not punctuation to skip: "-5" is not 5.
  if (!/^d(\s|\d|$)/.test(t) || /-\s*\d/.test(t)) return { ok: false, problem: 'format' };
  // Numbers (with thousands separators) and single method letters, in order.
  const tokens = t.slice(1).match(/\d{1,3}(?:[,.']\d{3})+(?!\d)|\d+|[a-z]+/g) ?? [];
  const numbers: number[] = [];
  let how: string | undefined;
  for (const token of tokens) {
    if (/^\d/.test(token)) numbers.push(Number(token.replace(/\D/g, '')));
    else if (token.length === 1 && HOW[token] && numbers.length === 1 && how === undefined) how = HOW[token];
    else return { ok: false, problem: 'format' };
  }
  if (numbers.length === 0 || numbers.length > 3) return { ok: false, problem: 'format' };
  const [received, fee, saved] = numbers as [number, number | undefined, number | undefined];
  const answers: Record<string, AnswerValue> = { wage_received: received > 0 ? 'yes' : 'no' };
  if (received > 0) {
    answers.wage_amount = received;
    if (how) answers.wage_how = how;
    if (fee !== undefined && how !== 'cash') {
      answers.fee_paid = fee > 0 ? 'yes' : 'no';
      if (fee > 0) answers.fee_amount = fee;
    }
  } else if (how) {
    return { ok: false, problem: 'format' };
  }
  // With no wages the second number is the amount saved ("D 0 500").
  const savedAmount = received > 0 ? saved : fee;
  if (savedAmount !== undefined) answers.saved_amount = savedAmount;
  return withinRange(answers, diary) ? { ok: true, answers } : { ok: false, problem: 'range' };
}

function withinRange(answers: Record<string, AnswerValue>, diary: Questionnaire): boolean {
  return diary.questions.every((q) => {
    const v = answers[q.id];
    if (typeof v !== 'number' || (q.type !== 'integer' && q.type !== 'decimal')) return true;
    return v >= q.constraint.min && v <= q.constraint.max;
  });
}
