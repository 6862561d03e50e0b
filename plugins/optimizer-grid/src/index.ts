import { PLUGIN_API_VERSION, type OptimizerPlugin } from '@regimen/core';
import { createGridSearch, GridOptionsSchema, type GridOptions } from './grid-search.js';

export { createGridSearch, GridOptionsSchema, type GridOptions, type GridSearch } from './grid-search.js';
// moved to core (the random search shares it); kept here for plugins that imported it
export { seededPermutation } from '@regimen/core';

export function gridOptimizer(): OptimizerPlugin<GridOptions> {
  return {
    kind: 'optimizer',
    name: 'grid',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Every point of the grid in order, or a seeded random subset (`sample: N`).',
    options: GridOptionsSchema,
    create: (space, options, rng) => createGridSearch(space, options, rng),
  };
}

export default gridOptimizer();
