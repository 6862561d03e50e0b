import { z } from 'zod';
import { gridSize, isContinuous, iterateGrid, regimenError, seededPermutation, streamSearch, type Candidate, type Rng, type SearchSpace, type StreamSearch } from '@regimen/core';

export const GridOptionsSchema = z
  .object({
    /** evaluate a seeded random subset of this many admissible points instead of the full grid */
    sample: z.number().int().positive().optional(),
  })
  .strict();
export type GridOptions = z.infer<typeof GridOptionsSchema>;

export type GridSearch = StreamSearch;

/**
 * Full grid in grid order (last dimension fastest), or with `sample` a seeded random subset drawn
 * without replacement: indices come from a lazy random permutation, and a point failing a
 * constraint is skipped and replaced by the next. An empty space after constraints is a search
 * that is done at once (the optimizer's assertSatisfiable turns that into a config error).
 */
export function createGridSearch(space: SearchSpace, options: GridOptions, rng: Rng): GridSearch {
  const bad = space.dimensions.find(isContinuous);
  if (bad) throw regimenError({ code: 'plugin', field: bad.name, message: 'grid search needs step or count on every float range (this one is continuous: use algorithm random or genetic)' });
  const size = gridSize(space);
  const points = iterateGrid(space, options.sample !== undefined ? seededPermutation(size, rng.fork('grid-sample')) : undefined);
  let taken = 0;
  const next = (): Candidate | undefined => {
    if (options.sample !== undefined && taken >= options.sample) return undefined;
    const r = points.next();
    if (r.done) return undefined;
    taken++;
    return r.value;
  };
  return streamSearch(next, () => (options.sample !== undefined ? Math.min(options.sample, size) : size));
}
