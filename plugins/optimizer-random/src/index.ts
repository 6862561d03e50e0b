import { PLUGIN_API_VERSION, type OptimizerPlugin } from '@regimen/core';
import { RandomOptionsSchema, type RandomOptions } from './options.js';
import { createRandomSearch } from './random-search.js';

export { createRandomSearch, type RandomSearch } from './random-search.js';
export { RandomOptionsSchema, type RandomOptions } from './options.js';
export { sobolSequence, type PointSequence } from './sobol.js';
export { haltonSequence, radicalInverse } from './halton.js';

export function randomOptimizer(): OptimizerPlugin<RandomOptions> {
  return {
    kind: 'optimizer',
    name: 'random',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Seeded random search (uniform, or low-discrepancy Sobol / Halton) over integer, stepped, categorical, log and continuous dimensions; constraints by rejection, no repeated trial.',
    options: RandomOptionsSchema,
    create: (space, options, rng) => createRandomSearch(space, options, rng),
  };
}

export default randomOptimizer();
