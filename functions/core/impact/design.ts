import type { HeadlineEstimator, ImpactDesign, ImpactInput } from './report-model.js';
import type { Unit } from './sample.js';

/**
 * The design the estimators follow: blocked by stratum, assigned by cluster, and so the headline
 * estimator. From the randomization record when there is one, otherwise inferred from the
 * participants: blocked when every one has a stratum (and there are at least two), assigned by
 * cluster when every cluster lies wholly in one arm.
 */
export function analysisDesign(input: Pick<ImpactInput, 'method'>, units: readonly Unit[], notes: string[]): ImpactDesign {
  const strata = units.every((u) => u.participant.stratum) ? new Set(units.map((u) => u.participant.stratum as string)) : undefined;
  const clustersKnown = units.length > 0 && units.every((u) => u.participant.cluster);
  const clusterIds = clustersKnown ? new Set(units.map((u) => u.participant.cluster as string)) : undefined;
  let blocked: boolean;
  let clusteredAssignment: boolean;
  if (input.method) {
    blocked = input.method === 'block' || input.method === 'block_cluster';
    clusteredAssignment = input.method === 'cluster' || input.method === 'block_cluster';
  } else {
    blocked = strata !== undefined && strata.size >= 2;
    // Assignment by cluster shows as every cluster lying wholly in one arm (and some cluster holding several people).
    const armsOf = new Map<string, Set<string>>();
    if (clustersKnown) {
      for (const u of units) {
        const key = u.participant.cluster as string;
        const arms = armsOf.get(key) ?? new Set<string>();
        arms.add(u.armId);
        armsOf.set(key, arms);
      }
    }
    clusteredAssignment = armsOf.size >= 2 && armsOf.size < units.length && [...armsOf.values()].every((arms) => arms.size === 1);
  }
  if (blocked && strata === undefined) {
    notes.push('The randomization was blocked but some participants have no stratum: the difference in means is not blocked.');
    blocked = false;
  }
  if (clusteredAssignment && !clustersKnown) notes.push('Assignment was by cluster but some participants have no cluster: CR2 cannot run; the difference in means understates the uncertainty.');
  const headline: HeadlineEstimator = clusteredAssignment && clustersKnown ? 'cr2' : 'dim';
  const design: ImpactDesign = {
    method: input.method ?? 'unknown',
    methodSource: input.method ? 'randomization record' : 'inferred from participants',
    blocked,
    clusteredAssignment,
    clustersKnown,
    headline,
    ...(blocked && strata ? { nBlocks: strata.size } : {}),
    ...(clusterIds ? { nClusters: clusterIds.size } : {}),
  };
  if (!input.method) {
    notes.push(
      `No randomization record given: the design is inferred from the participants (${blocked ? 'blocked by stratum' : 'not blocked'}${clusteredAssignment ? ', assigned by cluster' : ''}).`,
    );
  }
  return design;
}
