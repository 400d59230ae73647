/**
 * Small-cell suppression for one published row of counts with its published total (complaints
 * of a provider and month, by category). Primary: every cell under k is withheld. Secondary:
 * so that the total minus the published cells cannot give a withheld cell back, at least two
 * cells are withheld whenever any is, and together they hold at least k (else all of them
 * could be read as zeros or as under k); the smallest published cells go first, losing least.
 * Rows are independent: the scorecard publishes no column or grand totals that would tie them.
 */

export interface SuppressedRow {
  /** Published cells; null where withheld. */
  cells: (number | null)[];
  /** Withheld because under k. */
  primary: number;
  /** Withheld only to protect the others. */
  secondary: number;
}

export function suppressRow(counts: readonly number[], k: number): SuppressedRow {
  const hidden = counts.map((n) => n < k);
  const primary = hidden.filter(Boolean).length;
  let secondary = 0;
  const hiddenSum = () => counts.reduce((s, n, i) => s + (hidden[i] ? n : 0), 0);
  const needsMore = () => {
    const count = hidden.filter(Boolean).length;
    return count > 0 && (count === 1 || hiddenSum() < k);
  };
  while (needsMore()) {
    let pick = -1;
    counts.forEach((n, i) => {
      if (!hidden[i] && (pick < 0 || n < (counts[pick] as number))) pick = i;
    });
    // Everything is withheld already: what is left to see is the total alone.
    if (pick < 0) break;
    hidden[pick] = true;
    secondary += 1;
  }
  return { cells: counts.map((n, i) => (hidden[i] ? null : n)), primary, secondary };
}
