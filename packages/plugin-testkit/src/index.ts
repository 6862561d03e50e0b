export { syntheticBars, sliceBars, readCsvBars } from './bars.js';
export { realDataPath, TEST_DATA_FILES, type RealDataFile } from './real-data.js';
export {
  checkCausality,
  checkDeterminism,
  checkLabelRange,
  checkProbabilities,
  checkRoundTrip,
  jsonHazard,
  type CheckResult,
} from './checks.js';
export { classifierConformance, type ConformanceOptions } from './conformance.js';
export {
  checkStrategyCausality,
  checkStrategyDeterminism,
  checkStrategyPositions,
  checkStrategySchema,
  checkStrategyWasm,
  strategyCuts,
  strategyParams,
  strategyPositions,
} from './strategy-checks.js';
export { checkClassifierStep, checkStrategyStep, stepSplits, viaJson } from './step-checks.js';
export { strategyConformance, type StrategyConformanceOptions } from './strategy-conformance.js';
export type { LookAhead } from '@regimen/kernel';
export { builtMissing, PYTHON, pythonMissing, requireOrSkip } from './require-tool.js';
export {
  admissiblePoints,
  checkOptimizerAsks,
  checkOptimizerDeterminism,
  checkOptimizerExhaustion,
  checkOptimizerRefusesOrSearches,
  drainSearch,
  kitScore,
  outsideSpace,
  OPTIMIZER_SPACES,
  type DrainOptions,
  type Drained,
  type OptimizerTestSpace,
} from './optimizer-checks.js';
export { optimizerConformance, type OptimizerConformanceOptions } from './optimizer-conformance.js';
