import type { UiStrings } from '../content/schema.js';
import type { WeekRecord } from '../diary/week-record.js';
import type { Lang } from '../model.js';
import { renderFirstFitting, renderScreen } from './screen.js';
import { fill } from './text.js';

/** Money a participant recorded in one calendar month, from their own diary. */
export interface MonthTotals {
  /** `YYYY-MM`. */
  month: string;
  received: number;
  fees: number;
  saved: number;
}

/** The ISO week's Thursday decides its month (as it decides its year). */
function monthOfWeek(week: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return '';
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000);
  return new Date(monday.getTime() + 3 * 86_400_000).toISOString().slice(0, 7);
}

const amount = (r: WeekRecord, id: string) => {
  const v = r.answers[id]?.value;
  return typeof v === 'number' ? v : 0;
};

/** This month and last month (months without a diary are left out). */
export function monthTotals(weeks: readonly WeekRecord[], thisMonth: string, lastMonth: string): MonthTotals[] {
  return [thisMonth, lastMonth].flatMap((month) => {
    const inMonth = weeks.filter((w) => monthOfWeek(w.week) === month && Object.keys(w.answers).length > 0);
    if (inMonth.length === 0) return [];
    return [{
      month,
      received: inMonth.reduce((n, w) => n + amount(w, 'wage_amount'), 0),
      fees: inMonth.reduce((n, w) => n + amount(w, 'fee_amount'), 0),
      saved: inMonth.reduce((n, w) => n + amount(w, 'saved_amount'), 0),
    }];
  });
}

export function summaryScreen(months: readonly MonthTotals[], lang: Lang, s: UiStrings, notice?: string): string {
  if (months.length === 0) return renderScreen('CON', [s.summaryEmpty, s.back], notice);
  const name = (month: string) => new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-15T00:00:00Z`));
  const full = (x: number) => x.toLocaleString('en-US');
  const compact = (x: number) => new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(x);
  const lines = (n: (x: number) => string, ms: readonly MonthTotals[]) =>
    ms.map((m) => fill(s.summaryMonth, { month: name(m.month), received: n(m.received), fees: n(m.fees), saved: n(m.saved) }));
  const thisMonth = months.slice(0, 1);
  // Both months in full where they fit (GSM-7), else this month, else rounded amounts (UCS-2's 80 characters).
  return renderFirstFitting(
    'CON',
    [
      [s.summaryTitle, ...lines(full, months), s.back],
      [s.summaryTitle, ...lines(full, thisMonth), s.back],
      [s.summaryTitle, ...lines(compact, months), s.back],
      [...lines(compact, thisMonth), s.back],
    ],
    notice,
  );
}
