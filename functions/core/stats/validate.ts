/** Input checks shared by the estimators: clear errors instead of NaN results. */

export function assertFiniteVector(name: string, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${name}[${i}] must be a finite number (got ${String(v)})`);
    }
  }
}

export function assertSameLength(n: number, entries: Record<string, { length: number } | undefined>): void {
  for (const [name, v] of Object.entries(entries)) {
    if (v !== undefined && v.length !== n) {
      throw new RangeError(`${name} has length ${v.length}, expected ${n}`);
    }
  }
}

export function assertBinary(name: string, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== 0 && v !== 1) throw new RangeError(`${name}[${i}] must be 0 or 1 (got ${String(v)})`);
  }
}

export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Sample variance with the n − 1 denominator (R's `var`); NaN for fewer than two values. */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (n - 1);
}
