import { PLUGIN_API_VERSION, type OptimizerPlugin } from '@regimen/core';
import { createGeneticSearch } from './genetic-search.js';
import { GeneticOptionsSchema, type GeneticOptions } from './options.js';

export { createGeneticSearch, type GeneticSearch } from './genetic-search.js';
export { GeneticOptionsSchema, type GeneticOptions } from './options.js';

export function geneticOptimizer(): OptimizerPlugin<GeneticOptions> {
  return {
    kind: 'optimizer',
    name: 'genetic',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Generational genetic search (ask/tell): tournament selection, crossover, mutation, elitism, early stopping; exact simplex weights.',
    options: GeneticOptionsSchema,
    create: (space, options, rng) => createGeneticSearch(space, options, rng),
  };
}

export default geneticOptimizer();
