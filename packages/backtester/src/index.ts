export { loadEngine, type EngineName } from './engines.js';
export { localExecutor, type Executor, type ExecutorOptions, type TrialJob, type BatchDone } from './executor.js';
export { distributedBatchSize, formBatches, failureData, MIN_BATCH_BAR_TRIALS, type FailureData } from './batches.js';
export { runFullBacktest, writeTrialFiles, performanceTargets, type FullOutputs, type TrialOutputs } from './full.js';
export type { TaskSeconds } from './worker.js';
export { runSignalReplay, buildLegs, replayBatch, weightVectors, type ReplayInput, type RegimeWinners, type RegimeWeights } from './replay.js';
export { runAdaptive, adaptivePositions, cutPositions, adaptiveTrials, regimeSetting, type AdaptiveInput, type AdaptiveResult } from './adaptive.js';
export { shareBars, shareRegimes, shareReplay, sharedCopy, type SharableArray } from './shared-columns.js';
export { useStrategySources } from './strategy-sources.js';
