/** An impact outcome as a study pre-specifies it (plain JSON, stored on the study); computed by impact/outcomes.ts. */
export type OutcomeKind = 'share_weeks' | 'mean' | 'any' | 'quiz_score' | 'index';

export interface OutcomeWindow {
  fromStudyWeek: number;
  toStudyWeek: number;
}

/** An answer condition: `item`'s answer is one of `values` (for a multiple choice: any of them chosen). */
export interface ItemCondition {
  item: string;
  values: string[];
}

export type OutcomeBaseline =
  | { kind: 'covariate'; name: string; values?: string[] }
  | ({ kind: 'window' } & OutcomeWindow);

export interface OutcomeDefinition {
  id: string;
  label: string;
  kind: OutcomeKind;
  /** What it means, in plain words, for the report. */
  description?: string;
  /** share_weeks, mean, any: the diary question. */
  item?: string;
  /** share_weeks, any: the answers (choice names) that count. */
  values?: string[];
  /** share_weeks, mean, any: only weeks where this holds. */
  among?: ItemCondition;
  /** index: the questions it combines. */
  items?: string[];
  /** index: per question, the score of each choice name (higher = more empowered). */
  codes?: Record<string, Record<string, number>>;
  window: OutcomeWindow;
  baseline?: OutcomeBaseline;
}
