import { z } from 'zod';
import { gridSize, isContinuous, iterateGrid, regimenError, seededPermutation, type Candidate, type Evaluated, type Rng, type Search, type SearchSpace } from '@regimen/core';

export const GridOptionsSchema = z
  .object({
    /** evaluate a seeded random subset of this many admissible points instead of the full grid */
    sample: z.number().int().positive().optional(),
  })
  .strict();
export type GridOptions = z.infer<typeof GridOptionsSchema>;

export interface GridSearch extends Search {
  /** results told so far, and the best of them */
  readonly told: number;
  readonly best: Evaluated | undefined;
}

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
  let handedOut = 0;
  let pending: IteratorResult<Candidate> | undefined;
  const peek = () => {
    if (options.sample !== undefined && handedOut >= options.sample) return undefined;
    pending ??= points.next();
    return pending.done ? undefined : pending.value;
  };
  let told = 0;
  let best: Evaluated | undefined;
  return {
    ask(n) {
      const out: Candidate[] = [];
      while (out.length < n) {
        const c = peek();
        if (c === undefined) break;
        out.push(c);
        pending = undefined;
        handedOut++;
      }
      return out;
    },
    tell(results) {
      for (const r of results) {
        told++;
        if (!Number.isNaN(r.score) && (best === undefined || r.score > best.score)) best = r;
      }
    },
    get done() {
      return peek() === undefined;
    },
    estimate: () => (options.sample !== undefined ? Math.min(options.sample, size) : size),
    get told() {
      return told;
    },
    get best() {
      return best;
    },
  };
}
