/** The ethics rules of paying participants, each as a test that can fail. */
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { Questionnaire } from '../../functions/core/content/schema.js';
import type { Participant } from '../../functions/core/model.js';
import { weekCompleted } from '../../functions/core/payouts/completed.js';
import { forgetPayout, incentivesByArm, receiptOwed, receiptText } from '../../functions/core/payouts/ethics.js';
import { advance, startSend } from '../../functions/core/payouts/ledger.js';
import { completionsOf, planPayouts } from '../../functions/core/payouts/plan.js';
import { AT, KENYA_POLICY, weekWith } from '../support/payouts.js';

const diary = content.diary as Questionnaire;
const doneWeek = weekWith(1, { wage_received: 'no', saved_amount: 0, borrowed: 'no', main_spending: 'food', choice: 'yes' });

function participant(id: string, armId: string, consent: Participant['consent']['state'] = 'consented'): Participant {
  return { studyId: 's1', participantId: id, phone: `+2547110000${id.slice(1).padStart(2, '0')}`, armId, consent: { state: consent }, source: 'seed', createdAt: AT.toISOString(), updatedAt: AT.toISOString() };
}

/** What the dispatcher tick will do: completed weeks of each participant → payouts. */
function plan(people: Participant[]) {
  const completions = people.flatMap((p) =>
    completionsOf(
      { participantId: p.participantId, armId: p.armId, phone: p.phone, receipt: receiptOwed(p, true), weeks: weekCompleted(doneWeek, diary) ? ['2026-W11'] : [], modules: [] },
      KENYA_POLICY,
    ),
  );
  return planPayouts({ studyId: 's1', incentives: KENYA_POLICY }, completions, [], AT).create;
}

describe('ethics of payouts', () => {
  it('a participant who completes a week then sends STOP is still paid for it, with no receipt', () => {
    const stopped = participant('p1', 'control', 'withdrawn');
    const [payout] = plan([stopped]);
    expect(payout).toMatchObject({ participantId: 'p1', amount: 20, period: '2026-W11', receipt: false });
    expect(receiptOwed(stopped, true)).toBe(false);
    expect(plan([participant('p2', 'control')])[0]?.receipt).toBe(true);
  });

  it('a receipt is owed only to someone still taking part, and never when receipts are off', () => {
    expect(receiptOwed(participant('p1', 'control'), true)).toBe(true);
    expect(receiptOwed(participant('p1', 'control'), false)).toBe(false);
    expect(receiptOwed({ ...participant('p1', 'control'), forgotten: { at: AT.toISOString(), by: 'participant' } }, true)).toBe(false);
  });

  it("a forgotten participant's payouts keep their amounts under the pseudonym, without the number", () => {
    const [planned] = plan([participant('p1', 'control')]);
    const paid = advance(startSend(planned!, AT), 'succeeded', AT);
    const forgotten = forgetPayout(paid, 'a1b2c3d4e5f60718', AT);
    expect(forgotten).toMatchObject({ amount: 20, currency: 'KES', status: 'succeeded', reason: 'week', period: '2026-W11', pseudonym: 'a1b2c3d4e5f60718', receipt: false });
    expect(forgotten).not.toHaveProperty('phone');
    expect(JSON.stringify(forgotten)).not.toContain(planned!.phone);
    expect(forgotten.version).toBe(paid.version + 1);
  });

  it('a forgotten participant owed an unsent payout: kept for action, not dropped', () => {
    const [planned] = plan([participant('p1', 'control')]);
    const forgotten = forgetPayout(planned!, 'a1b2c3d4e5f60718', AT);
    expect(forgotten).toMatchObject({ status: 'needs_action', amount: 20, lastError: 'participant forgotten: no number to pay' });
    expect(forgotten).not.toHaveProperty('phone');
  });

  it('control is paid exactly like treatment for the same diary', () => {
    const payouts = plan([participant('p1', 'treatment'), participant('p2', 'control'), participant('p3', 'treatment'), participant('p4', 'control')]);
    const strip = (p: (typeof payouts)[number]) => ({ amount: p.amount, currency: p.currency, reason: p.reason, period: p.period, status: p.status, channel: p.channel });
    const byArm = (arm: string) => payouts.filter((p) => p.armId === arm).map(strip);
    expect(byArm('control')).toEqual(byArm('treatment'));
    expect(byArm('control')).toHaveLength(2);
    const settled = payouts.map((p) => advance(startSend(p, AT), 'succeeded', AT));
    expect(incentivesByArm(settled)).toEqual(new Map([['treatment', { participants: 2, amount: 40 }], ['control', { participants: 2, amount: 40 }]]));
  });
});

describe('the receipt SMS', () => {
  it('says the amount in the participant\'s language, and is never sent after STOP', () => {
    const [planned] = plan([participant('p1', 'control')]);
    const paid = advance(startSend(planned!, AT), 'succeeded', AT);
    const sw = { ...participant('p1', 'control'), lang: 'sw' };
    expect(receiptText(content, paid, participant('p1', 'control'))).toBe("Sauti: You received KES 20 airtime for this week's diary. Thank you!");
    expect(receiptText(content, paid, sw)).toContain('KES 20');
    expect(receiptText(content, paid, sw)).not.toBe(receiptText(content, paid, participant('p1', 'control')));
    expect(receiptText(content, paid, { ...sw, consent: { state: 'withdrawn' } })).toBeUndefined();
    expect(receiptText(content, planned!, sw)).toBeUndefined();
    expect(receiptText(content, { ...paid, receipt: false }, sw)).toBeUndefined();
  });
});
