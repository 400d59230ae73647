import { describe, expect, it } from 'vitest';
import { applyStatusCallback, decideValidation, markValidated } from '../../functions/core/payouts/callbacks.js';
import { acceptedByAt, definiteFailure, type Payout, plannedPayout, startSend } from '../../functions/core/payouts/ledger.js';
import { AT } from '../support/payouts.js';

const PHONE = '+254711000001';
function inFlight(participantId = 'p1', amount = 20): Payout {
  const p = plannedPayout({ studyId: 's1', participantId, phone: PHONE, reason: 'week', period: '2026-W10', amount, currency: 'KES', channel: 'airtime', receipt: true }, AT);
  return startSend(p, AT);
}
const accepted = (p: Payout, requestId: string) => acceptedByAt(p, requestId, AT) as Payout;
const cb = (requestId: string, status: string) => ({ phoneNumber: PHONE, status, requestId, description: status, value: 'KES 20.0000', discount: '0' });

describe('airtime status callbacks', () => {
  it('Success settles the payout; a replay changes nothing', () => {
    const p = accepted(inFlight(), 'ATQid_1');
    const first = applyStatusCallback(p, cb('ATQid_1', 'Success'), AT);
    expect(first.kind).toBe('advanced');
    const done = (first as { next: Payout }).next;
    expect(done.status).toBe('succeeded');
    expect(applyStatusCallback(done, cb('ATQid_1', 'Success'), AT)).toEqual({ kind: 'unchanged', why: 'already succeeded' });
  });

  it('an unknown requestId is reported unknown, for keeping apart', () => {
    expect(applyStatusCallback(undefined, cb('ATQid_9', 'Success'), AT)).toEqual({ kind: 'unknown' });
    expect(applyStatusCallback(accepted(inFlight(), 'ATQid_1'), cb('ATQid_9', 'Success'), AT)).toEqual({ kind: 'unknown' });
  });

  it('out of order: a Failed after Success never moves the payout back', () => {
    const done = (applyStatusCallback(accepted(inFlight(), 'ATQid_1'), cb('ATQid_1', 'Success'), AT) as { next: Payout }).next;
    expect(applyStatusCallback(done, cb('ATQid_1', 'Failed'), AT).kind).toBe('unchanged');
  });

  it('a Failed retries as a new attempt; the old attempt\'s Failed replayed is ignored; its late Success settles it', () => {
    const p = accepted(inFlight(), 'ATQid_1');
    const failed = (applyStatusCallback(p, cb('ATQid_1', 'Failed'), AT) as { next: Payout }).next;
    expect(failed).toMatchObject({ status: 'retried', attempt: 2 });
    expect(applyStatusCallback(failed, cb('ATQid_1', 'Failed'), AT).kind).toBe('unchanged');
    expect((applyStatusCallback(failed, cb('ATQid_1', 'Success'), AT) as { next: Payout }).next.status).toBe('succeeded');
  });

  it('a status that is not final changes nothing', () => {
    expect(applyStatusCallback(accepted(inFlight(), 'ATQid_1'), cb('ATQid_1', 'Pending'), AT).kind).toBe('unchanged');
  });
});

describe('airtime validation callbacks', () => {
  const req = (over: Partial<{ transactionId: string; phoneNumber: string; currencyCode: string; amount: string | number }> = {}) => ({
    transactionId: 'ATQid_1',
    phoneNumber: PHONE,
    sourceIpAddress: '127.0.0.1',
    currencyCode: 'KES',
    amount: '20.00',
    ...over,
  });

  it('validates a payout Sauti created, for that number and amount, in flight', () => {
    const p = inFlight();
    expect(decideValidation(req(), [p])).toEqual({ status: 'Validated', payoutId: p.payoutId });
    expect(decideValidation(req({ amount: 20 }), [accepted(p, 'ATQid_1')])).toEqual({ status: 'Validated', payoutId: p.payoutId });
  });

  it('fails a number, amount or currency that matches no planned payout', () => {
    const p = inFlight();
    expect(decideValidation(req({ phoneNumber: '+254711000002' }), [p]).status).toBe('Failed');
    expect(decideValidation(req({ amount: '200.00' }), [p]).status).toBe('Failed');
    expect(decideValidation(req({ currencyCode: 'UGX' }), [p]).status).toBe('Failed');
    expect(decideValidation(req({ amount: 'twenty' }), [p]).status).toBe('Failed');
    expect(decideValidation(req(), []).status).toBe('Failed');
  });

  it('fails a payout not in flight, or whose attempt AT gave another id', () => {
    const planned = plannedPayout({ studyId: 's1', participantId: 'p1', phone: PHONE, reason: 'week', period: '2026-W10', amount: 20, currency: 'KES', channel: 'airtime', receipt: true }, AT);
    expect(decideValidation(req(), [planned]).status).toBe('Failed');
    expect(decideValidation(req(), [accepted(inFlight(), 'ATQid_other')]).status).toBe('Failed');
  });

  it('validates once: a second request for the same payout fails', () => {
    const p = inFlight();
    const marked = markValidated(p, 'ATQid_1', AT);
    expect(decideValidation(req(), [marked])).toEqual({ status: 'Failed', why: 'already validated' });
    expect(decideValidation(req({ transactionId: 'ATQid_2' }), [marked]).status).toBe('Failed');
    // A new attempt after a definite failure may be validated again.
    const again = startSend(definiteFailure(marked, 'Failed', AT), AT);
    expect(decideValidation(req({ transactionId: 'ATQid_3' }), [again])).toEqual({ status: 'Validated', payoutId: p.payoutId });
  });
});
