/**
 * A study's incentive policy: what a participant earns for their time, how it is paid, and the
 * limits. Validated here, once, for the API to refuse with a sentence a researcher can act on.
 *
 * Equal pay by arm is the default (invariant 8): incentives that differ by arm confound the
 * comparison the study exists for, so a policy that differs by arm is refused unless the study
 * declares `incentiveDesign: 'differential'`, which the impact report then states.
 */
import { PROVIDERS } from '../sms/providers.js';
import { isAmount } from './money.js';

export type { IncentiveAmounts, IncentiveChannel, IncentiveDesign, IncentivePolicy } from '../incentive-policy.js';
import type { IncentiveAmounts, IncentiveChannel, IncentiveDesign, IncentivePolicy } from '../incentive-policy.js';

export const DEFAULT_MAX_TRIES = 5;

interface StudyIncentiveView {
  country: string;
  arms: readonly { armId: string; treatment: boolean }[];
  incentiveDesign?: IncentiveDesign;
}

/** The amounts a participant of this arm earns (an arm without its own: the policy's). */
export function amountsFor(policy: IncentivePolicy, armId: string | undefined): IncentiveAmounts {
  const own = armId === undefined ? undefined : policy.byArm?.[armId];
  const base = own ?? policy;
  return {
    perWeek: base.perWeek,
    ...(base.perModule !== undefined ? { perModule: base.perModule } : {}),
    ...(base.completionBonus ? { completionBonus: base.completionBonus } : {}),
  };
}

/** Why this policy cannot be used for this study, as sentences (empty: it can). */
export function incentiveProblems(study: StudyIncentiveView, policy: IncentivePolicy): string[] {
  const problems: string[] = [];
  const c = policy.currency;
  if (!/^[A-Z]{3}$/.test(c)) problems.push(`"${c}" is not an ISO 4217 currency code (three capital letters, e.g. KES).`);
  problems.push(...amountProblems('', policy, policy.channel, c));
  if (!isAmount(policy.perParticipantCap)) problems.push('The per-participant cap must be a positive amount.');
  if (!isAmount(policy.budget)) problems.push('The study budget must be a positive amount.');
  if (isAmount(policy.budget) && isAmount(policy.perParticipantCap) && policy.perParticipantCap > policy.budget) {
    problems.push(`The per-participant cap (${c} ${policy.perParticipantCap}) is more than the whole budget (${c} ${policy.budget}).`);
  }
  if (isAmount(policy.perWeek) && isAmount(policy.perParticipantCap) && policy.perWeek > policy.perParticipantCap) {
    problems.push(`One week's pay (${c} ${policy.perWeek}) is more than the per-participant cap (${c} ${policy.perParticipantCap}): nobody could be paid.`);
  }
  if (policy.maxTries !== undefined && (!Number.isInteger(policy.maxTries) || policy.maxTries < 1 || policy.maxTries > 20)) {
    problems.push('maxTries must be a whole number from 1 to 20.');
  }
  if (policy.channel === 'airtime') {
    const served = PROVIDERS.africastalking.countries ?? [];
    if (!served.includes(study.country)) {
      problems.push(`Africa's Talking Airtime does not serve ${study.country}; use the payout_file channel (e.g. bKash or Nagad disbursement).`);
    }
  } else if (policy.channel !== 'payout_file') {
    problems.push(`The channel must be "airtime" or "payout_file", not "${String(policy.channel)}".`);
  }
  problems.push(...armProblems(study, policy));
  return problems;
}

function amountProblems(where: string, a: IncentiveAmounts, channel: IncentiveChannel, currency: string): string[] {
  const problems: string[] = [];
  // Airtime is sold in whole units of the currency; an operator refuses other denominations.
  const whole = (x: number) => channel !== 'airtime' || Number.isInteger(x);
  const check = (label: string, x: number | undefined) => {
    if (x === undefined) return;
    if (!isAmount(x)) problems.push(`${where}${label} must be a positive amount with at most two decimals.`);
    else if (!whole(x)) problems.push(`${where}${label} must be a whole number of ${currency}: airtime is sold in whole units.`);
  };
  check('The amount per completed week', a.perWeek);
  check('The amount per completed module', a.perModule);
  if (a.completionBonus) {
    check('The completion bonus', a.completionBonus.amount);
    const n = a.completionBonus.afterWeeks;
    if (!Number.isInteger(n) || n < 1) problems.push(`${where}The completion bonus needs afterWeeks, a whole number of completed weeks of at least 1.`);
  }
  return problems;
}

function armProblems(study: StudyIncentiveView, policy: IncentivePolicy): string[] {
  const problems: string[] = [];
  const armIds = new Set(study.arms.map((a) => a.armId));
  for (const [armId, amounts] of Object.entries(policy.byArm ?? {})) {
    if (!armIds.has(armId)) problems.push(`The policy names arm "${armId}", which the study does not have.`);
    else problems.push(...amountProblems(`Arm "${armId}": `, amounts, policy.channel, policy.currency));
  }
  if (study.incentiveDesign === 'differential') return problems;
  const [first, ...others] = study.arms;
  const differing = first ? others.filter((a) => !sameAmounts(amountsFor(policy, a.armId), amountsFor(policy, first.armId))) : [];
  if (first && differing.length > 0) {
    problems.push(
      `The incentives differ by arm (${[first, ...differing].map((a) => a.armId).join(' vs ')}), which would confound the comparison between arms; ` +
        "pay every arm the same, or declare incentiveDesign: 'differential' (the impact report then says so).",
    );
  }
  // Only arms that get lessons can finish a module: paying for modules pays those arms more.
  const withoutLessons = study.arms.filter((a) => !a.treatment && amountsFor(policy, a.armId).perModule !== undefined);
  if (withoutLessons.length > 0 && study.arms.some((a) => a.treatment)) {
    problems.push(
      `Paying per lesson module pays treatment arms more: ${withoutLessons.map((a) => a.armId).join(', ')} never get lessons. ` +
        "Drop perModule, or declare incentiveDesign: 'differential'.",
    );
  }
  return problems;
}

function sameAmounts(a: IncentiveAmounts, b: IncentiveAmounts): boolean {
  return (
    a.perWeek === b.perWeek &&
    a.perModule === b.perModule &&
    a.completionBonus?.amount === b.completionBonus?.amount &&
    a.completionBonus?.afterWeeks === b.completionBonus?.afterWeeks
  );
}
