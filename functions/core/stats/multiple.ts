/**
 * Benjamini–Hochberg adjusted p-values exactly as R's `p.adjust(p, method = "BH")`:
 * NA entries (null or NaN here) stay NA (returned as null) and do not count in n;
 * for the others, sorted descending, adjusted_(i) = min(1, cummin(n/i · p_(i))).
 */
export function benjaminiHochberg(p: readonly (number | null)[]): (number | null)[] {
  const present: { index: number; p: number }[] = [];
  p.forEach((v, index) => {
    if (v === null || Number.isNaN(v)) return;
    if (v < 0 || v > 1) throw new RangeError(`p[${index}] = ${v} is not a probability`);
    present.push({ index, p: v });
  });
  const n = present.length;
  // Descending by p; ties get the same adjusted value whatever their order.
  const order = [...present].sort((a, b) => b.p - a.p);
  const out: (number | null)[] = p.map(() => null);
  let running = Number.POSITIVE_INFINITY;
  order.forEach((entry, pos) => {
    const rank = n - pos; // i in n/i · p
    running = Math.min(running, (n / rank) * entry.p);
    out[entry.index] = Math.min(1, running);
  });
  return out;
}
