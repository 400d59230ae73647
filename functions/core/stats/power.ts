import { tCritical } from './dist.js';

/**
 * Minimum detectable effect (MDE) of a planned cluster-randomized study, analytically (Bloom 2005,
 * "Randomizing groups to evaluate place-based programs"; Bloom, Richburg-Hayes & Black 2007):
 *
 *   MDE = M_df · σ · √( ρ(1 − R²) / (P(1 − P) J)  +  (1 − ρ)(1 − R²) / (P(1 − P) J m) )
 *
 * with J clusters, m people a cluster who answer (enrolled × response × (1 − attrition)), P the
 * treated share, ρ the ICC, R² the share of variance a baseline covariate explains (taken equal at
 * both levels), and the multiplier M_df = t_{1−α/2, df} + t_{power, df} for a two-sided test, with
 * df = J − 2 − (blocks − 1) − (1 if a baseline covariate is used): with few clusters the degrees of
 * freedom, not N, limit what can be detected, as the CR2 test's do. Individual randomization is
 * J = N, m = 1 (ρ then plays no part).
 */

export interface PowerDesign {
  /** Clusters (factories) randomized, J. */
  clusters: number;
  /** People enrolled per cluster. */
  clusterSize: number;
  /** Strata the clusters are blocked in (default 1). */
  blocks?: number;
  /** Share of clusters treated, P (from the arms' ratios). */
  treatedShare: number;
  /** Intra-cluster correlation of the outcome, in [0, 1). */
  icc: number;
  /** Baseline R² (default 0: no covariate). */
  r2?: number;
  /** Expected share who answer the follow-up (default 1). */
  response?: number;
  /** Expected share lost before follow-up (default 0). */
  attrition?: number;
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Target power (default 0.8). */
  power?: number;
  /** Outcome SD: the MDE is in outcome units (default 1: standard deviations). */
  sd?: number;
}

export interface MdeResult {
  mde: number;
  /** The MDE in standard deviations of the outcome. */
  mdeSd: number;
  multiplier: number;
  df: number;
  /** Standard error of the estimate at the planned size, in outcome units. */
  se: number;
  /** 1 + (m − 1)ρ with m the people a cluster who answer. */
  designEffect: number;
  /** People a cluster expected to answer. */
  answering: number;
  treatedClusters: number;
  controlClusters: number;
}

/** Bad power input: the message says which input and what is allowed. */
export class PowerInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'PowerInputError';
  }
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new PowerInputError(message);
}

/** The design with defaults, validated (shared by the analytic and the simulated MDE). */
export function powerDesign(d: PowerDesign): Required<PowerDesign> & { treatedClusters: number; controlClusters: number } {
  const full = { blocks: 1, r2: 0, response: 1, attrition: 0, alpha: 0.05, power: 0.8, sd: 1, ...d };
  check(Number.isInteger(full.clusters) && full.clusters >= 2, `the number of clusters must be a whole number of at least 2, got ${String(d.clusters)}`);
  check(Number.isInteger(full.clusterSize) && full.clusterSize >= 1, `the cluster size must be a whole number of at least 1, got ${String(d.clusterSize)}`);
  check(Number.isInteger(full.blocks) && full.blocks >= 1 && full.blocks <= full.clusters, `the number of blocks must be a whole number from 1 to the number of clusters, got ${String(d.blocks)}`);
  check(full.icc >= 0 && full.icc < 1, `the ICC must be in [0, 1), got ${String(d.icc)}`);
  check(full.r2 >= 0 && full.r2 < 1, `the baseline R² must be in [0, 1), got ${String(d.r2)}`);
  check(full.treatedShare > 0 && full.treatedShare < 1, `the treated share must be strictly between 0 and 1, got ${String(d.treatedShare)}`);
  check(full.response > 0 && full.response <= 1, `the response rate must be in (0, 1], got ${String(d.response)}`);
  check(full.attrition >= 0 && full.attrition < 1, `the attrition rate must be in [0, 1), got ${String(d.attrition)}`);
  check(full.alpha > 0 && full.alpha < 1, `alpha must be strictly between 0 and 1, got ${String(d.alpha)}`);
  check(full.power > 0 && full.power < 1, `the power must be strictly between 0 and 1, got ${String(d.power)}`);
  check(full.sd > 0 && Number.isFinite(full.sd), `the outcome SD must be a positive number, got ${String(d.sd)}`);
  const treatedClusters = Math.round(full.clusters * full.treatedShare);
  const controlClusters = full.clusters - treatedClusters;
  check(
    treatedClusters >= 2 && controlClusters >= 2,
    `a design needs at least 2 clusters in each arm (this one has ${treatedClusters} treated and ${controlClusters} control): with one cluster an arm, the cluster-level variance cannot be estimated`,
  );
  return { ...full, treatedClusters, controlClusters };
}

export function mdeAnalytic(input: PowerDesign): MdeResult {
  const d = powerDesign(input);
  const P = d.treatedClusters / d.clusters;
  const answering = d.clusterSize * d.response * (1 - d.attrition);
  const individual = d.clusterSize === 1;
  const rho = individual ? 0 : d.icc;
  const df = d.clusters - 2 - (d.blocks - 1) - (d.r2 > 0 ? 1 : 0);
  check(df >= 1, `${d.clusters} clusters leave ${df} degrees of freedom after ${d.blocks} block(s)${d.r2 > 0 ? ' and a covariate' : ''}; add clusters`);
  const multiplier = tCritical(1 - d.alpha / 2, df) + tCritical(d.power, df);
  // Individual randomization counts the expected respondents among J people as the sample.
  const variance = individual
    ? (1 - d.r2) / (P * (1 - P) * d.clusters * d.response * (1 - d.attrition))
    : (rho * (1 - d.r2)) / (P * (1 - P) * d.clusters) + ((1 - rho) * (1 - d.r2)) / (P * (1 - P) * d.clusters * answering);
  const seSd = Math.sqrt(variance);
  return {
    mde: multiplier * seSd * d.sd,
    mdeSd: multiplier * seSd,
    multiplier,
    df,
    se: seSd * d.sd,
    designEffect: 1 + (answering - 1) * rho,
    answering,
    treatedClusters: d.treatedClusters,
    controlClusters: d.controlClusters,
  };
}

/** Bloom's MDE multiplier t_{1−α/2, df} + t_{power, df} (two-sided). */
export function mdeMultiplier(df: number, alpha = 0.05, power = 0.8): number {
  return tCritical(1 - alpha / 2, df) + tCritical(power, df);
}

export interface MdeTableRow {
  clusters: number;
  clusterSize: number;
  /** Null where the design is not possible (e.g. one cluster an arm); `why` says so. */
  mde: number | null;
  why?: string;
}

/** MDE for every number of clusters × cluster size (the rest of the design fixed). */
export function mdeTable(base: PowerDesign, clusters: readonly number[], sizes: readonly number[]): MdeTableRow[] {
  return clusters.flatMap((J) =>
    sizes.map((m) => {
      try {
        return { clusters: J, clusterSize: m, mde: mdeAnalytic({ ...base, clusters: J, clusterSize: m }).mde };
      } catch (err) {
        if (!(err instanceof PowerInputError)) throw err;
        return { clusters: J, clusterSize: m, mde: null, why: err.message };
      }
    }),
  );
}
