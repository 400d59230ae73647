/**
 * Payout files, for studies paid without airtime (Bangladesh: bKash or Nagad disbursement by
 * the NGO). Neither bKash nor Nagad publishes its bulk-disbursement file layout (each gives its
 * merchants a template through the account manager), so Sauti writes a plain, documented CSV
 * that maps onto any of them column by column:
 *
 *   phone,amount,currency,reference        RFC 4180, UTF-8, CRLF, header row
 *   +8801700000001,50,BDT,S1f0c2a9e4b7d3a6
 *
 * `phone` is E.164 (the NGO's template may want the local 01… form: drop the +880 and add 0);
 * `amount` in the currency's main unit; `reference` 16 characters derived from the payout id,
 * the same every time, what the provider's result file names the payment by.
 *
 * The provider's result file comes back as CSV with a header naming at least `reference` and
 * `status` (`success`/`paid`/`completed` or `failed`/`rejected`, any case), optionally `amount`
 * and `transaction_id`. Importing it marks payouts succeeded or failed; importing it twice
 * changes nothing; a row that matches no payout, or whose amount differs, is reported, never applied.
 */
import { parse } from 'csv-parse/sync';
import { csvRecord } from '../export/csv.js';
import { providerKey } from '../sms/idempotency.js';
import { cents } from './money.js';
import { advance, DEFAULT_RETRY, definiteFailure, idempotencyKey, type Payout, type RetryPolicy } from './ledger.js';

export const PAYOUT_FILE_COLUMNS = ['phone', 'amount', 'currency', 'reference'] as const;

/**
 * The reference of a payout's attempt in files: short (providers cap it), the same for every
 * file of that attempt, a new one after a definite failure (as AT's idempotency key is).
 */
export function payoutReference(p: Pick<Payout, 'payoutId' | 'attempt'>): string {
  return `S${providerKey(idempotencyKey(p), 15)}`;
}

/**
 * The file for one period: every payout-file payout of it still to pay (planned or retried),
 * and the payouts it lists, which the caller moves to `sent` (`markInFile`) once the file is
 * stored: a file generated twice then lists nobody twice. Admin only: it carries numbers.
 */
export function payoutFile(payouts: readonly Payout[], period: string): { csv: string; included: Payout[] } {
  const included = payouts
    .filter((p) => p.channel === 'payout_file' && p.period === period && (p.status === 'planned' || p.status === 'retried') && p.phone !== undefined)
    .sort((a, b) => (a.payoutId < b.payoutId ? -1 : 1));
  let csv = `${PAYOUT_FILE_COLUMNS.join(',')}\r\n`;
  for (const p of included) {
    csv += csvRecord({ phone: p.phone, amount: p.amount, currency: p.currency, reference: payoutReference(p) }, PAYOUT_FILE_COLUMNS);
  }
  return { csv, included };
}

/** A payout handed over in a file: the provider's result file has the final word. */
export function markInFile(p: Payout, now: Date): Payout {
  const reference = payoutReference(p);
  const sent = advance(p, 'sent', now, { tries: p.tries + 1 }, 'in a payout file');
  return { ...sent, requests: [...p.requests, { attempt: p.attempt, requestId: reference }] };
}

export interface ResultImport {
  /** The payouts' next versions, to save (each with its version condition). */
  changes: Payout[];
  /** Rows that agree with the ledger already (a second import of the same file). */
  unchanged: number;
  /** Rows not applied, with their line in the file and why. */
  problems: { line: number; reference: string; message: string }[];
}

const SUCCESS = new Set(['success', 'successful', 'paid', 'completed', 'complete']);
const FAILURE = new Set(['failed', 'failure', 'rejected', 'error', 'declined']);

export function importResultFile(text: string, payouts: readonly Payout[], now: Date, retry: RetryPolicy = DEFAULT_RETRY): ResultImport {
  const out: ResultImport = { changes: [], unchanged: 0, problems: [] };
  let rows: Record<string, string>[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_')),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as Record<string, string>[];
  } catch (err) {
    return { ...out, problems: [{ line: 1, reference: '', message: `This is not a readable CSV file: ${(err as Error).message}` }] };
  }
  if (rows.length > 0 && (!('reference' in rows[0]!) || !('status' in rows[0]!))) {
    return { ...out, problems: [{ line: 1, reference: '', message: 'The result file needs the columns "reference" and "status".' }] };
  }
  // Every attempt's reference, so that an old file's rows are recognised, not reported unknown.
  const byReference = new Map<string, { payout: Payout; attempt: number }>();
  for (const p of payouts) {
    if (p.channel !== 'payout_file') continue;
    for (const r of p.requests) byReference.set(r.requestId, { payout: p, attempt: r.attempt });
  }
  const current = new Map<string, Payout>();
  rows.forEach((row, i) => {
    const line = i + 2;
    const reference = row.reference ?? '';
    const found = byReference.get(reference);
    const p = found ? (current.get(found.payout.payoutId) ?? found.payout) : undefined;
    const problem = (message: string) => out.problems.push({ line, reference, message });
    if (!p) return problem('No payout has this reference: not applied.');
    if (row.amount !== undefined && row.amount !== '' && cents(Number(row.amount.replace(/,/g, ''))) !== cents(p.amount)) {
      return problem(`The amount ${row.amount} is not the payout's ${p.amount}: not applied.`);
    }
    const status = (row.status ?? '').toLowerCase();
    const ok = SUCCESS.has(status);
    if (!ok && !FAILURE.has(status)) return problem(`The status "${row.status}" is neither a success nor a failure: not applied.`);
    const settled = p.history.some((h) => h.note?.startsWith(resultNote(reference, ok)));
    if (settled || (p.status === 'succeeded' && ok)) {
      out.unchanged += 1;
      return;
    }
    if (p.status === 'succeeded') return problem('The payout is already paid; a failure for it is not applied.');
    if (p.status !== 'sent' || found?.attempt !== p.attempt) return problem(`The payout is ${p.status}, not in a file awaiting this result: not applied.`);
    const next = ok
      ? advance(p, 'succeeded', now, {}, resultNote(reference, true))
      : definiteFailure(p, `${resultNote(reference, false)}${row.message ? `: ${row.message}` : ''}`, now, retry);
    current.set(p.payoutId, next);
  });
  out.changes = [...current.values()];
  return out;
}

function resultNote(reference: string, ok: boolean): string {
  return `result file: ${ok ? 'paid' : 'failed'} (${reference})`;
}
