import { hmmClassifier } from './plugin.js';

export { hmmClassifier } from './plugin.js';
export { HmmOptionsSchema, type HmmOptions, type HmmOptionsInput, type FeatureSpec } from './options.js';
export { HmmModelSchema, parseModel, stateNames, type HmmModel } from './model.js';
export { stationaryDistribution } from './stationary.js';
export { freeParameters, hmmSummary } from './summary.js';

export default hmmClassifier();
