import { describe, expect, it } from 'vitest';
import { amountsFor, incentiveProblems, type IncentivePolicy } from '../../functions/core/payouts/policy.js';
import { ARMS, KENYA_POLICY } from '../support/payouts.js';

const kenya = { country: 'KE', arms: ARMS };

describe('incentive policy validation', () => {
  it('accepts an equal policy', () => {
    expect(incentiveProblems(kenya, KENYA_POLICY)).toEqual([]);
    expect(incentiveProblems(kenya, { ...KENYA_POLICY, completionBonus: { amount: 50, afterWeeks: 8 } })).toEqual([]);
  });

  it('refuses a policy that differs by arm unless the design is differential', () => {
    const differs: IncentivePolicy = { ...KENYA_POLICY, byArm: { treatment: { perWeek: 30 } } };
    const [problem, ...rest] = incentiveProblems(kenya, differs);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/differ by arm \(treatment vs control\).*confound.*incentiveDesign: 'differential'/);
    expect(incentiveProblems({ ...kenya, incentiveDesign: 'differential' }, differs)).toEqual([]);
    expect(incentiveProblems({ ...kenya, incentiveDesign: 'equal' }, differs)).toHaveLength(1);
  });

  it('accepts per-arm amounts that are all the same', () => {
    const same: IncentivePolicy = { ...KENYA_POLICY, byArm: { treatment: { perWeek: 30 }, control: { perWeek: 30 } } };
    expect(incentiveProblems(kenya, same)).toEqual([]);
  });

  it('refuses paying per lesson module where control gets no lessons, unless differential', () => {
    const modules = { ...KENYA_POLICY, perModule: 10 };
    expect(incentiveProblems(kenya, modules).join(' ')).toMatch(/per lesson module pays treatment arms more: control/);
    expect(incentiveProblems({ ...kenya, incentiveDesign: 'differential' }, modules)).toEqual([]);
  });

  it('says what is wrong with amounts, limits, currency, channel and arms, in sentences', () => {
    const bad = { ...KENYA_POLICY, currency: 'kes', perWeek: 20.5, budget: -1, perParticipantCap: 10, byArm: { ghost: { perWeek: 20 } } };
    const problems = incentiveProblems(kenya, bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/"kes" is not an ISO 4217 currency code/),
        expect.stringMatching(/whole number of kes: airtime is sold in whole units/),
        expect.stringMatching(/budget must be a positive amount/),
        expect.stringMatching(/more than the per-participant cap/),
        expect.stringMatching(/arm "ghost", which the study does not have/),
      ]),
    );
    expect(problems.every((p) => p.endsWith('.'))).toBe(true);
  });

  it('refuses airtime where Africa\'s Talking does not serve, and points to a payout file', () => {
    const dhaka = { country: 'BD', arms: ARMS };
    expect(incentiveProblems(dhaka, { ...KENYA_POLICY, currency: 'BDT' })).toEqual([expect.stringMatching(/does not serve BD; use the payout_file channel/)]);
    expect(incentiveProblems(dhaka, { ...KENYA_POLICY, currency: 'BDT', channel: 'payout_file', perWeek: 50.5 })).toEqual([]);
  });

  it('gives every arm the policy amounts unless the arm has its own', () => {
    const p: IncentivePolicy = { ...KENYA_POLICY, byArm: { treatment: { perWeek: 30 } } };
    expect(amountsFor(p, 'control')).toEqual({ perWeek: 20 });
    expect(amountsFor(p, 'treatment')).toEqual({ perWeek: 30 });
    expect(amountsFor(p, undefined)).toEqual({ perWeek: 20 });
  });
});
