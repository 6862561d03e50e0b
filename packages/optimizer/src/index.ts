export { compileExpression, type Env, type Evaluator, type ExpressionContext, type Value } from './expression.js';
export { compileConstraint } from './constraint.js';
export { buildDimension, buildSearchSpace, weightSpace, DEFAULT_WEIGHT_VALUES, type SearchSpaceOptions, type WeightSpaceOptions } from './space.js';
export { estimateTrials, assertSatisfiable } from './grid.js';
// the decoding primitives live in core so plugins can share them; re-exported as the optimizer's vocabulary
export { iterateGrid, gridSize, gridPoint, isContinuous, dimensionSize, dimensionValue, admitCandidate, candidateKey, simplexWeights, normaliseWeights, WEIGHT_UNITS } from '@regimen/core';
export { compileObjective, compareRanked, compareIds, metricValue, OBJECTIVE_METRICS, type Objective, type Ranked } from './objective.js';
export { deflatedSharpe, normalCdf, normalQuantile, type DeflatedSharpe, type DeflatedSharpeInput } from './deflated-sharpe.js';
export { analyzeRegimes, regimeScores, type RegimeAnalysisOptions } from './regime-analysis.js';
export { withBudget, searchBudget, parseDuration, isBounded, type SearchBudget, type BudgetedSearch, type BudgetClock, type StopReason } from './budget.js';
export { parameterSurface } from './parameter-surface.js';
export { analyzeEnsemble, ensembleScores, type EnsembleAnalysisOptions } from './ensemble-analysis.js';
// the analysis files' schemas live in core with every file's schema; re-exported as the optimizer's vocabulary
export {
  RegimeAnalysisReportSchema,
  RegimeReportEntrySchema,
  ParameterSurfaceSchema,
  EnsembleReportSchema,
  type RegimeAnalysisReport,
  type RegimeReportEntry,
  type ParameterSurface,
  type EnsembleReport,
} from '@regimen/core';
export { probabilityOfBacktestOverfitting, cscvSplitRecords, SetMetrics, halfThreshold, DEFAULT_PBO_BLOCKS, MAX_PBO_BLOCKS, type PboOptions } from './overfitting.js';
export { addBlock, blockBuilder, candidateBlocks, finishBlocks, type BlockBuilder, type CandidateBlocks, type CandidateSeries } from './cscv-blocks.js';
export { OverfittingSchema, PboResultSchema, PboEntrySchema, OVERFITTING_VERSION, type Overfitting, type PboResult, type PboEntry } from '@regimen/core';
export { parameterStability, type ParameterStability } from './parameter-stability.js';
export { signTest } from './sign-test.js';
export { paretoFront, selectFromFront, dominates, type Scored } from './pareto.js';
