/**
 * Amounts of money as the ledger keeps them: in the currency's main unit (KES 20, BDT 50.5), as
 * AT's airtime API and payout files take them, but added up in hundredths, so that a budget
 * of 1000 is never passed by floating-point noise (0.1 + 0.2 > 0.3).
 */

/** Hundredths of the main unit, as an integer. */
export function cents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(c: number): number {
  return c / 100;
}

/** Whether an amount is a positive number with at most two decimals. */
export function isAmount(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 && Math.abs(x * 100 - Math.round(x * 100)) < 1e-6;
}

/** "KES 20" or "BDT 50.50", for messages and receipts. */
export function formatAmount(currency: string, amount: number): string {
  return `${currency} ${Number.isInteger(amount) ? String(amount) : amount.toFixed(2)}`;
}

/**
 * An amount as AT writes it in its answers and callbacks ("KES 20.0000"), in hundredths;
 * undefined when it is not one, or in another currency than expected.
 */
export function centsOfAtValue(value: string | number | undefined, currency?: string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? cents(value) : undefined;
  const m = /^\s*([A-Z]{3})?\s*(\d+(?:\.\d+)?)\s*$/.exec(value ?? '');
  if (!m) return undefined;
  if (currency !== undefined && m[1] !== undefined && m[1] !== currency) return undefined;
  return cents(Number(m[2]));
}
