import { PLUGIN_API_VERSION, type OptimizerPlugin } from '@regimen/core';
import { TpeOptionsSchema, type TpeOptions } from './options.js';
import { createTpeSearch } from './tpe-search.js';

export { TpeOptionsSchema, type TpeOptions } from './options.js';
export { createTpeSearch, type TpeSearch } from './tpe-search.js';
export { parzenEstimator, defaultGamma, defaultWeights, OPTUNA_PARZEN_DEFAULTS, type ParzenEstimator, type ParzenParam, type ParzenSettings } from './parzen-estimator.js';
export { encodeSpace, type Encoding, type Coordinate } from './encoding.js';

export function tpeOptimizer(): OptimizerPlugin<TpeOptions> {
  return {
    kind: 'optimizer',
    name: 'tpe',
    apiVersion: PLUGIN_API_VERSION,
    description: "Tree-structured Parzen Estimator (Optuna's TPE); with regime scores in the tells, asks take turns over the classifier × regime pairs.",
    options: TpeOptionsSchema,
    create: (space, options, rng) => createTpeSearch(space, options, rng),
  };
}

export default tpeOptimizer();
