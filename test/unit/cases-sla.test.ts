import { describe, expect, it } from 'vitest';
import { caseFromComplaint, type CaseActor, type ComplaintCase } from '../../functions/core/cases/model.js';
import { acknowledgeDue, caseDigest, caseSla, resolveDue, slaStatus } from '../../functions/core/cases/sla.js';
import { applyCaseAction } from '../../functions/core/cases/transitions.js';
import type { Complaint } from '../../functions/core/model.js';

const kenya = caseSla({ country: 'KE' });
const bangladesh = caseSla({ country: 'BD' });
const iso = (d: Date) => d.toISOString();

describe('SLA deadlines', () => {
  it('defaults to the Kenyan charter: 48 hours, 7 working days Monday-Friday; Sunday-Thursday in Bangladesh', () => {
    expect(kenya).toEqual({ acknowledgeHours: 48, resolveWorkingDays: 7, workingDays: [1, 2, 3, 4, 5] });
    expect(bangladesh.workingDays).toEqual([7, 1, 2, 3, 4]);
    expect(caseSla({ country: 'KE', caseSla: { resolveWorkingDays: 3 } }).resolveWorkingDays).toBe(3);
  });

  it('counts working days across a weekend in the study zone (Friday afternoon in Nairobi)', () => {
    // Fri 6 March 15:00 EAT; Mon 9 … Fri 13, Mon 16, Tue 17 = 7 working days; due at the end of Tuesday, local.
    expect(iso(resolveDue(new Date('2026-03-06T12:00:00Z'), kenya, 'Africa/Nairobi'))).toBe('2026-03-17T21:00:00.000Z');
    // Sat 7 March 01:00 EAT is Friday evening in UTC: the local day decides.
    expect(iso(resolveDue(new Date('2026-03-06T22:00:00Z'), kenya, 'Africa/Nairobi'))).toBe('2026-03-17T21:00:00.000Z');
    expect(iso(resolveDue(new Date('2026-03-06T20:59:00Z'), kenya, 'Africa/Nairobi'))).toBe('2026-03-17T21:00:00.000Z');
    // Thursday 5 March, 23:59 EAT: Friday counts as the first working day.
    expect(iso(resolveDue(new Date('2026-03-05T20:59:00Z'), kenya, 'Africa/Nairobi'))).toBe('2026-03-16T21:00:00.000Z');
  });

  it('uses the Bangladeshi week (Friday and Saturday off) and skips holidays', () => {
    // Thu 5 March 10:00 BST(+6): Sun 8 … Thu 12, Sun 15, Mon 16 → end of Monday 16, local.
    expect(iso(resolveDue(new Date('2026-03-05T04:00:00Z'), bangladesh, 'Asia/Dhaka'))).toBe('2026-03-16T18:00:00.000Z');
    expect(iso(resolveDue(new Date('2026-03-05T04:00:00Z'), { ...bangladesh, holidays: ['2026-03-10'] }, 'Asia/Dhaka'))).toBe('2026-03-17T18:00:00.000Z');
  });

  it('keeps local midnight across a daylight-saving change, and 48 elapsed hours for acknowledgement', () => {
    // London goes to BST on Sunday 29 March 2026. Fri 27 March noon GMT: Mon 30 … Tue 7 April → end of Tuesday BST.
    const received = new Date('2026-03-27T12:00:00Z');
    expect(iso(resolveDue(received, kenya, 'Europe/London'))).toBe('2026-04-07T23:00:00.000Z');
    // Saturday noon GMT + 48 h = Monday 13:00 BST: elapsed time, not wall-clock time.
    expect(iso(acknowledgeDue(new Date('2026-03-28T12:00:00Z'), kenya))).toBe('2026-03-30T12:00:00.000Z');
    // Autumn: BST ends Sunday 25 October. Fri 23 Oct 12:00 BST → Mon 26 … Tue 3 Nov, end of day GMT.
    expect(iso(resolveDue(new Date('2026-10-23T11:00:00Z'), kenya, 'Europe/London'))).toBe('2026-11-04T00:00:00.000Z');
  });

  it('refuses a working week without a working day', () => {
    expect(() => resolveDue(new Date('2026-03-05T04:00:00Z'), { ...kenya, workingDays: [] }, 'Africa/Nairobi')).toThrow(/working day/);
  });
});

const complaint: Complaint = {
  studyId: 's1', participantId: 'p1', phone: '+254700000001', ref: 'AB12CD', provider: 'mpesa', category: 'fees',
  text: 'my PIN 4321 was stolen', week: '2026-W10', at: '2026-03-06T12:00:00.000Z', channel: 'ussd', sessionId: 's',
};
const ngo: CaseActor = { id: 'u', label: 'ngo', role: 'ngo' };
const participant: CaseActor = { id: 'p1', label: 'participant', role: 'participant' };
const ctx = (now: string) => ({ now: new Date(now), providers: ['mpesa'], categories: ['fees'] });
function act(c: ComplaintCase, action: Parameters<typeof applyCaseAction>[1], actor: CaseActor, now: string): ComplaintCase {
  const r = applyCaseAction(c, action, actor, ctx(now));
  if (!r.ok) throw new Error(r.reason);
  return r.case;
}

describe('slaStatus and the digest', () => {
  const zone = 'Africa/Nairobi';
  const received = caseFromComplaint(complaint) as ComplaintCase;

  it('is due, then overdue, on the injected clock', () => {
    expect(slaStatus(received, new Date('2026-03-08T11:59:00Z'), kenya, zone)).toMatchObject({ acknowledge: 'due', resolve: 'due', overdue: false });
    expect(slaStatus(received, new Date('2026-03-08T12:00:01Z'), kenya, zone)).toMatchObject({ acknowledge: 'overdue', overdue: true });
  });

  it('met and missed are fixed at the first resolution; a reopened case is overdue once the deadline passes', () => {
    let c = act(received, { type: 'acknowledge' }, ngo, '2026-03-07T09:00:00Z');
    c = act(c, { type: 'resolve' }, ngo, '2026-03-16T09:00:00Z');
    expect(slaStatus(c, new Date('2026-03-20T00:00:00Z'), kenya, zone)).toMatchObject({ acknowledge: 'met', resolve: 'met', overdue: false });
    c = act(c, { type: 'answer', solved: false }, participant, '2026-03-17T09:00:00Z');
    expect(slaStatus(c, new Date('2026-03-17T20:59:00Z'), kenya, zone)).toMatchObject({ resolve: 'met', overdue: false });
    expect(slaStatus(c, new Date('2026-03-17T21:00:01Z'), kenya, zone)).toMatchObject({ resolve: 'met', overdue: true });
    const late = act(act(received, { type: 'acknowledge' }, ngo, '2026-03-09T09:00:00Z'), { type: 'resolve' }, ngo, '2026-03-18T09:00:00Z');
    expect(slaStatus(late, new Date('2026-03-20T00:00:00Z'), kenya, zone)).toMatchObject({ acknowledge: 'missed', resolve: 'missed', overdue: false });
  });

  it('the digest counts by state and lists overdue cases, without anybody\'s words', () => {
    const fine = { ...received, ref: 'FINE00', receivedAt: '2026-03-17T12:00:00.000Z' };
    const ackd = act({ ...received, ref: 'ACK000' }, { type: 'acknowledge' }, ngo, '2026-03-06T13:00:00Z');
    const digest = caseDigest('s1', [received, fine, ackd], new Date('2026-03-18T00:00:00Z'), kenya, zone);
    expect(digest.byState).toMatchObject({ new: 2, acknowledged: 1, closed: 0 });
    expect(digest.received24h).toBe(1);
    expect(digest.overdue.map((o) => [o.ref, o.clock])).toEqual([['AB12CD', 'acknowledge'], ['ACK000', 'resolve']]);
    expect(JSON.stringify(digest)).not.toMatch(/PIN|4321|p1|\+254/);
  });
});
