import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type Payout, plannedPayout } from '../../functions/core/payouts/ledger.js';
import { importResultFile, markInFile, payoutFile, payoutReference } from '../../functions/core/payouts/payout-file.js';
import { AT } from '../support/payouts.js';

function bdt(i: number, period = '2026-W10', amount = 50): Payout {
  return plannedPayout({ studyId: 'bd', participantId: `p${i}`, phone: `+88017000000${String(i).padStart(2, '0')}`, reason: 'week', period, amount, currency: 'BDT', channel: 'payout_file', receipt: false }, AT);
}

describe('payout files', () => {
  it('lists who is owed what for the period: phone, amount, currency, reference', () => {
    const { csv, included } = payoutFile([bdt(1), bdt(2, '2026-W10', 50.5), bdt(3, '2026-W11')], '2026-W10');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      { phone: '+8801700000001', amount: '50', currency: 'BDT', reference: payoutReference(included[0]!) },
      { phone: '+8801700000002', amount: '50.5', currency: 'BDT', reference: payoutReference(included[1]!) },
    ]);
    expect(csv.startsWith('phone,amount,currency,reference\r\n')).toBe(true);
    expect(rows.every((r) => /^S[0-9a-f]{15}$/.test(r.reference ?? ''))).toBe(true);
  });

  it('does not list a payout already handed over in a file', () => {
    const sent = markInFile(bdt(1), AT);
    expect(payoutFile([sent, bdt(2)], '2026-W10').included.map((p) => p.participantId)).toEqual(['p2']);
  });
});

describe('importing the provider\'s result file', () => {
  const inFile = [markInFile(bdt(1), AT), markInFile(bdt(2), AT), markInFile(bdt(3), AT)];
  const ref = (i: number) => payoutReference(inFile[i]!);
  const result = `Reference,Status,Amount,Transaction ID\r\n${ref(0)},Success,50,TX1\r\n${ref(1)},FAILED,50,\r\nSdeadbeefdeadbee,success,50,TX9\r\n`;

  it('marks payouts paid or failed; a row matching no payout is reported, never applied', () => {
    const out = importResultFile(result, inFile, AT);
    expect(out.changes.map((p) => [p.participantId, p.status])).toEqual([
      ['p1', 'succeeded'],
      ['p2', 'retried'],
    ]);
    expect(out.problems).toEqual([{ line: 4, reference: 'Sdeadbeefdeadbee', message: 'No payout has this reference: not applied.' }]);
  });

  it('importing twice changes nothing', () => {
    const first = importResultFile(result, inFile, AT);
    const ledger = inFile.map((p) => first.changes.find((c) => c.payoutId === p.payoutId) ?? p);
    const second = importResultFile(result, ledger, AT);
    expect(second.changes).toEqual([]);
    expect(second.unchanged).toBe(2);
    expect(second.problems).toHaveLength(1);
  });

  it('refuses a different amount, an unknown status, a failure for a paid payout, and a file without the columns', () => {
    const paid = importResultFile(`reference,status\r\n${ref(0)},paid\r\n`, inFile, AT).changes;
    const ledger = [paid[0]!, inFile[1]!, inFile[2]!];
    const out = importResultFile(`reference,status,amount\r\n${ref(0)},failed,\r\n${ref(1)},success,500\r\n${ref(2)},maybe,\r\n`, ledger, AT);
    expect(out.changes).toEqual([]);
    expect(out.problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(out.problems[0]?.message).toMatch(/already paid/);
    expect(out.problems[1]?.message).toMatch(/amount 500/);
    expect(importResultFile('phone,amount\r\n+8801700000001,50\r\n', inFile, AT).problems[0]?.message).toMatch(/"reference" and "status"/);
  });

  it('a retried payout goes in the next file under a new reference; the old file re-imported changes nothing', () => {
    const failed = importResultFile(`reference,status\r\n${ref(1)},failed\r\n`, inFile, AT).changes[0]!;
    const next = payoutFile([failed], '2026-W10');
    expect(next.included).toHaveLength(1);
    expect(payoutReference(failed)).not.toBe(ref(1));
    const reissued = markInFile(failed, AT);
    expect(importResultFile(`reference,status\r\n${ref(1)},failed\r\n`, [reissued], AT)).toMatchObject({ changes: [], unchanged: 1, problems: [] });
    expect(importResultFile(`reference,status\r\n${payoutReference(reissued)},success\r\n`, [reissued], AT).changes[0]?.status).toBe('succeeded');
  });
});
