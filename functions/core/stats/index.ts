/** Research-grade estimators matching R's estimatr / p.adjust / leebounds (see each module). */
export { differenceInMeans, type DifferenceInMeansInput, type DifferenceInMeansResult, type DimDesign } from './dim.js';
export {
  lmRobust,
  designMatrix,
  RankDeficientError,
  type LmRobustInput,
  type LmRobustResult,
  type CoefficientResult,
  type RobustSeType,
  type DesignMatrix,
  type DesignMatrixOptions,
} from './ols.js';
export { waldTest, waldTestLinear, type WaldResult, type LinearWaldInput } from './wald.js';
export { balanceTable, type BalanceInput, type BalanceResult, type BalanceRow } from './balance.js';
export { leeBounds, quantileType7, type LeeBoundsInput, type LeeBoundsResult } from './lee.js';
export { benjaminiHochberg } from './multiple.js';
export { ivRobust, type IvRobustInput, type IvRobustResult } from './iv.js';
export { tInference, tPValue, tCritical, fPValue, type TInference } from './dist.js';
export { randomizationInference, DEFAULT_RI_LIMIT, DEFAULT_RI_PERMUTATIONS, DEFAULT_RI_SEED, type RiOptions, type RiResult, type RiStatistic } from './ri.js';
export { riStatistic, unitPositions, type RiEstimator, type RiProblem, type PreparedStatistic } from './ri-statistics.js';
export { treatmentFit } from './lin.js';
