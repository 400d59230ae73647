import type { Translated } from '../content/schema.js';

/** The research exports, one CSV file each. */
export const DATASETS = ['diary_long', 'diary_wide', 'complaints', 'messages', 'lessons', 'response'] as const;
export type Dataset = (typeof DATASETS)[number];

export const DATASET_TITLES: Record<Dataset, string> = {
  diary_long: 'Weekly diary, long: one row per participant × week × diary question',
  diary_wide: 'Weekly diary, wide: one row per participant × week',
  complaints: 'Complaints ("report a problem"): one row per complaint',
  messages: 'Outbound SMS with their delivery status: one row per message',
  lessons: 'Education modules: one row per treatment participant × lesson (progress and quiz answer)',
  response: 'Response status: one row per participant × study week',
};

/** What a column holds; numbers and codes are written as plain digits, booleans as 1 and 0. */
export type VariableType = 'string' | 'integer' | 'decimal' | 'boolean' | 'datetime' | 'category' | 'codes';

export interface ValueLabel {
  /** What the cell holds: a numeric code, or a name. */
  code: number | string;
  /** The stored name of a coded choice (the value `relevant` conditions compare with). */
  name?: string;
  labels: Translated;
}

/** One column of a dataset, as its codebook describes it. */
export interface Variable {
  name: string;
  type: VariableType;
  label: string;
  description?: string;
  values?: ValueLabel[];
  /** The diary question the column comes from. */
  question?: string;
}

export type Cell = string | number | undefined;
export type Row = Record<string, Cell>;

export const yesNo = (b: boolean | undefined): Cell => (b === undefined ? undefined : b ? 1 : 0);

/** Values labelled in English only (statuses, channels). */
export function englishValues(values: Record<string, string>): ValueLabel[] {
  return Object.entries(values).map(([code, en]) => ({ code, labels: { en } }));
}

export const BOOLEAN_VALUES: ValueLabel[] = [
  { code: 1, labels: { en: 'yes' } },
  { code: 0, labels: { en: 'no' } },
];
