import type { Participant, Study } from '../model.js';
import { balanceTable, type BalanceResult } from './balance.js';
import { isResearchParticipant } from '../training.js';

/**
 * The balance table of a randomized study: each treatment arm against the first control arm,
 * on the numeric baseline covariates (USSD baseline answers and CSV import columns). A
 * covariate missing for more than a tenth of the compared people is left out (and said so);
 * otherwise people missing any used covariate are left out of that comparison (listwise).
 * With clusters the joint test is cluster-robust (CR2).
 */
export interface ArmComparison {
  treatmentArm: string;
  controlArm: string;
  n1: number;
  n0: number;
  covariates: string[];
  skipped: { name: string; reason: string }[];
  balance?: BalanceResult;
  /** Why no table could be computed (too few people, no covariate, a singular design). */
  problem?: string;
}

export function studyBalance(study: Study, participants: readonly Participant[]): ArmComparison[] {
  const control = study.arms.find((a) => !a.treatment);
  if (!control) return [];
  const numeric = (p: Participant, name: string) => {
    const v = p.baseline?.answers[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  return study.arms
    .filter((a) => a.treatment)
    .map((arm) => {
      const people = participants.filter((p) => isResearchParticipant(p) && p.consent.state === 'consented' && (p.armId === arm.armId || p.armId === control.armId));
      const names = [...new Set(people.flatMap((p) => Object.keys(p.baseline?.answers ?? {})))].sort();
      const skipped: ArmComparison['skipped'] = [];
      const used = names.filter((name) => {
        const have = people.filter((p) => numeric(p, name) !== undefined).length;
        if (have === 0) skipped.push({ name, reason: 'not a number' });
        else if (have < 0.9 * people.length) skipped.push({ name, reason: `known for ${have} of ${people.length}` });
        else return true;
        return false;
      });
      const rows = people.filter((p) => used.every((name) => numeric(p, name) !== undefined));
      const z = rows.map((p) => (p.armId === arm.armId ? 1 : 0));
      const base = { treatmentArm: arm.armId, controlArm: control.armId, n1: z.filter((v) => v === 1).length, n0: z.filter((v) => v === 0).length, covariates: used, skipped };
      if (used.length === 0) return { ...base, problem: 'No numeric baseline covariate to compare.' };
      try {
        const clusters = rows.every((p) => p.cluster) ? rows.map((p) => p.cluster as string) : undefined;
        const balance = balanceTable({ z, covariates: Object.fromEntries(used.map((name) => [name, rows.map((p) => numeric(p, name) as number)])), ...(clusters ? { clusters } : {}) });
        return { ...base, balance };
      } catch (err) {
        return { ...base, problem: err instanceof Error ? err.message : String(err) };
      }
    });
}
