import type { Participant } from '../model.js';
import { ivRobust } from '../stats/iv.js';
import { lmRobust, type CoefficientResult } from '../stats/ols.js';
import type { ComplierEstimate, ImpactModule } from './report-model.js';

/** What "took the treatment" means for the complier effect, and who did. */
export interface Compliance {
  endogenous: string;
  /** 1 if the participant took the treatment, else 0. */
  took: (p: Participant) => number;
}

/** Took the treatment: completed every lesson of at least one module (without modules: finished any lesson). */
export function compliance(modules: readonly ImpactModule[], notes: string[]): Compliance {
  const endogenous = modules.length > 0 ? 'completed at least one module' : 'finished at least one lesson';
  if (modules.length === 0) notes.push('No module list given: the complier effect takes "finished at least one lesson" as taking the treatment.');
  const took = (p: Participant): number => {
    const done = p.lessons ?? {};
    if (modules.length === 0) return Object.keys(done).length > 0 ? 1 : 0;
    return modules.some((m) => m.lessons.length > 0 && m.lessons.every((l) => done[`${m.id}/${l.id}`] !== undefined)) ? 1 : 0;
  };
  return { endogenous, took };
}

/** 2SLS of the outcome on taking the treatment, instrumented by assignment (HC2, or CR2 with clusters), with its first stage. */
export function complierEffect(s: { y: readonly number[]; took: readonly number[]; z: readonly number[]; alpha: number; endogenous: string; clusters?: readonly string[] }): ComplierEstimate {
  const { y, took: d, z, alpha, endogenous, clusters: ivClusters } = s;
  const first = lmRobust({ y: d, X: z.map((v) => [1, v]), names: ['(Intercept)', 'treatment'], alpha, ...(ivClusters ? { clusters: ivClusters, se: 'CR2' as const } : { se: 'HC2' as const }) });
  const fs = first.coefficients[1] as CoefficientResult;
  const iv = ivRobust({ y, endogenous: d, instrument: z, alpha, endogenousName: 'took', ...(ivClusters ? { clusters: ivClusters } : {}) });
  return { endogenous, se: iv.se, n: iv.n, firstStage: fs, firstStageF: fs.t ** 2, effect: iv.effect };
}
