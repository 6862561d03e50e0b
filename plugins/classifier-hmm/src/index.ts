import { hmmClassifier } from './plugin.js';

export { hmmClassifier } from './plugin.js';
export { HmmOptionsSchema, type HmmOptions, type HmmOptionsInput, type FeatureSpec } from './options.js';
export { HmmModelSchema, parseModel, stateNames, type HmmModel } from './model.js';
export { stationaryDistribution } from './stationary.js';
export { freeParameters, hmmSummary } from './summary.js';

// the pieces of one EM iteration and the fit's inputs, for `regimen bench hmm-fit` (per-iteration timings)
export { plainIteration, emBuffers, logLikelihood } from './baum-welch.js';
export { typescriptEngine, type EmEngine } from './em-engine.js';
export { wasmEngine } from './wasm-engine.js';
export { mStep } from './m-step.js';
export { computeFeatures } from './features.js';
export { initialParams } from './initialization.js';
export type { HmmParams } from './params.js';

export default hmmClassifier();
// the fit with its pool threshold, for executors' tests (the same model whichever pool runs the restarts)
export { fitHmm, POOL_MIN_WORK } from './fit.js';
