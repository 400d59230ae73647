/**
 * From counted cells to what may be published (invariant 9). A provider and month is shown
 * only with at least k complaints and k participant-weeks; within it, complaint categories
 * under k are withheld with secondary suppression (suppress.ts), kudos under k are withheld,
 * and a share or median is shown only when at least k cases, answers or weeks stand behind
 * it, rounded to a whole percent, its base not shown. No grand or column totals are published:
 * with rows left out for being small, a total would give their sum back.
 */
import type { Provider } from '../model.js';
import { type RawCell, rawCells, type ScorecardStudy } from './compute.js';
import { suppressRow } from './suppress.js';

export const DEFAULT_SCORECARD_K = 10;

export interface ScorecardRow {
  provider: string;
  kind: Provider['kind'];
  /** YYYY-MM: nothing finer than a month is published. */
  month: string;
  participantWeeks: number;
  complaints: number;
  complaintsPer1000: number;
  /** null: withheld (fewer than k). */
  kudos: number | null;
  kudosPer1000: number | null;
  /** By category name; null: withheld. */
  byCategory: Record<string, number | null>;
  /** Shares 0-1 (two decimals); null: fewer than k behind it, or none yet. */
  acknowledgedWithinSla: number | null;
  resolvedWithinSla: number | null;
  medianDaysToResolve: number | null;
  saidSolved: number | null;
  respect: number | null;
  choice: number | null;
}

export interface ScorecardDocument {
  version: 1;
  /** The day the data was read (YYYY-MM-DD): the publication's date, not any event's. */
  dataAsOf: string;
  k: number;
  categories: { name: string; label: string }[];
  rows: ScorecardRow[];
  /** Providers with data in the period that no month qualified them to be shown. */
  providersNotShown: number;
}

export interface ScorecardSettings {
  /** Minimum cell size: a deployment setting. */
  k: number;
  now: Date;
  /** Complaint categories with their public (English) labels, in display order. */
  categories: readonly { name: string; label: string }[];
}

const share = ([yes, base]: readonly [number, number], k: number): number | null => (base >= k ? Math.round((100 * yes) / base) / 100 : null);
const per1000 = (n: number, weeks: number) => Math.round((10_000 * n) / weeks) / 10;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function qualifies(c: Pick<RawCell, 'complaints' | 'participantWeeks'>, k: number): boolean {
  return c.complaints >= k && c.participantWeeks >= k;
}

export function publishRow(c: RawCell, k: number, categories: readonly string[]): ScorecardRow {
  const counts = categories.map((name) => c.byCategory[name] ?? 0);
  // A category outside the list still counts in the total: it joins the row as "other" would.
  const unlisted = c.complaints - counts.reduce((a, b) => a + b, 0);
  const row = suppressRow(unlisted > 0 ? [...counts, unlisted] : counts, k);
  const kudos = c.kudos >= k ? c.kudos : null;
  return {
    provider: c.provider,
    kind: c.kind,
    month: c.month,
    participantWeeks: c.participantWeeks,
    complaints: c.complaints,
    complaintsPer1000: per1000(c.complaints, c.participantWeeks),
    kudos,
    kudosPer1000: kudos === null ? null : per1000(kudos, c.participantWeeks),
    byCategory: Object.fromEntries(categories.map((name, i) => [name, row.cells[i] ?? null])),
    acknowledgedWithinSla: share(c.acknowledged, k),
    resolvedWithinSla: share(c.resolved, k),
    medianDaysToResolve: c.daysToResolve.length >= k ? Math.round(10 * median(c.daysToResolve)) / 10 : null,
    saidSolved: share(c.saidSolved, k),
    respect: share(c.respect, k),
    choice: share(c.choice, k),
  };
}

export function computeScorecard(inputs: readonly ScorecardStudy[], settings: ScorecardSettings): ScorecardDocument {
  const { k } = settings;
  if (!Number.isInteger(k) || k < 2) throw new Error('The scorecard minimum cell size k must be a whole number of at least 2.');
  const cells = rawCells(inputs, settings.now);
  const names = settings.categories.map((c) => c.name);
  const shown = cells.filter((c) => qualifies(c, k));
  const providers = new Set(cells.filter((c) => c.complaints + c.kudos > 0).map((c) => c.provider));
  const shownProviders = new Set(shown.map((c) => c.provider));
  return {
    version: 1,
    dataAsOf: settings.now.toISOString().slice(0, 10),
    k,
    categories: settings.categories.map((c) => ({ name: c.name, label: c.label })),
    rows: shown.map((c) => publishRow(c, k, names)),
    providersNotShown: [...providers].filter((p) => !shownProviders.has(p)).length,
  };
}

/** The document as published at /scorecard/scorecard.json. */
export const scorecardJson = (doc: ScorecardDocument): string => `${JSON.stringify(doc, null, 2)}\n`;
