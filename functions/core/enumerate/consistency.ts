import type { AnswerValue } from '../model.js';

/**
 * The reconciliation step of the diary method, as the enumerator types: money out of the week
 * (spent, saved, lent, fees) against money in (the wage), a fee larger than the wage, and a
 * saving far above the participant's usual. Each prompt asks the enumerator to read the figure
 * back; keeping the answer anyway is allowed and counted (supervision: share overridden).
 * Only the questions the questionnaire has take part, so a shorter diary gets fewer checks.
 */
export interface ConsistencyPrompt {
  id: 'outflowAboveIncome' | 'feeAboveWage' | 'savingAboveUsual';
  /** The questions the prompt is about, for the screen to mark. */
  questions: string[];
  message: string;
}

const INCOME = 'wage_amount';
const OUTFLOWS = ['spent_amount', 'saved_amount', 'lent_amount', 'fee_amount'] as const;
/** "Far above usual": more than this many times the participant's median saving, and above the floor. */
const SAVING_FACTOR = 3;

const amount = (answers: Readonly<Record<string, AnswerValue | null | undefined>>, id: string): number | undefined => {
  const v = answers[id];
  return typeof v === 'number' ? v : undefined;
};

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function consistencyPrompts(answers: Readonly<Record<string, AnswerValue | null | undefined>>, usual: { savedMedian?: number } = {}): ConsistencyPrompt[] {
  const prompts: ConsistencyPrompt[] = [];
  const wage = amount(answers, INCOME);
  const outs = OUTFLOWS.filter((id) => amount(answers, id) !== undefined);
  const out = outs.reduce((sum, id) => sum + (amount(answers, id) as number), 0);
  if (wage !== undefined && outs.length > 0 && out > wage) {
    prompts.push({ id: 'outflowAboveIncome', questions: [INCOME, ...outs], message: `Money out (${outs.join(' + ')} = ${out}) is more than the pay received (${wage}). Read the figures back: was there other money, or is a figure wrong?` });
  }
  const fee = amount(answers, 'fee_amount');
  if (wage !== undefined && fee !== undefined && fee > wage) {
    prompts.push({ id: 'feeAboveWage', questions: ['fee_amount', INCOME], message: `The fee (${fee}) is larger than the pay received (${wage}). Please check both with the participant.` });
  }
  const saved = amount(answers, 'saved_amount');
  if (saved !== undefined && usual.savedMedian !== undefined && saved > SAVING_FACTOR * Math.max(usual.savedMedian, 1) && saved > 0) {
    prompts.push({ id: 'savingAboveUsual', questions: ['saved_amount'], message: `Saved ${saved} is far above this participant's usual (${usual.savedMedian} a week). Please confirm the amount.` });
  }
  return prompts;
}
