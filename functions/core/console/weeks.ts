/**
 * The Monday (YYYY-MM-DD) of an ISO week label such as `2026-W48`: the calendar date the
 * diary week starts on, wherever the study is (the label is already in the study's zone).
 * ISO week 1 is the week with 4 January in it.
 */
export function isoWeekMonday(week: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) throw new Error(`"${week}" is not an ISO week label like 2026-W48.`);
  const jan4 = Date.UTC(Number(m[1]), 0, 4);
  const isoDay = new Date(jan4).getUTCDay() || 7;
  const monday = jan4 - (isoDay - 1) * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000;
  return new Date(monday).toISOString().slice(0, 10);
}
