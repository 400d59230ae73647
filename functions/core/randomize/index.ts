export { RANDOMIZATION_ALGORITHM, RandomizationError, createRng, deriveRng, assertSeed, standardNormal, type RandomizationAlgorithm, type Rng } from './rng.js';
export {
  assign,
  auditOf,
  inputsHash,
  canonicalInputs,
  armQuotas,
  drawArmSizes,
  completeAssignment,
  type AssignmentAudit,
  type AssignmentResult,
  type ArmCount,
  type BlockArmCount,
  type DesignArm,
  type RandomizationDesign,
  type RandomizationMethod,
  type RandomizationUnit,
} from './assign.js';
export {
  nextAssignment,
  initialRollingState,
  rollingBlock,
  DEFAULT_BLOCK_MULTIPLIER,
  MAX_ROLLING_BLOCK,
  type RollingAssignment,
  type RollingOptions,
  type RollingState,
  type RollingStratumState,
} from './rolling.js';
export { prepareProcedure, type AssignmentProcedure, type ProcedureStratum } from './procedure.js';
export { supportSize, enumerateSupport, assertInSupport, observedDraw, type SupportSize } from './support.js';
