import {
  admitCandidate,
  candidateKey,
  gridSize,
  isContinuous,
  iterateGrid,
  regimenError,
  sampledDimensions,
  seededPermutation,
  streamSearch,
  unitPoint,
  type Candidate,
  type Rng,
  type SearchSpace,
  type StreamSearch,
} from '@regimen/core';
import { haltonSequence } from './halton.js';
import type { RandomOptions } from './options.js';
import { sobolSequence, type PointSequence } from './sobol.js';

export interface RandomSearch extends StreamSearch {
  /** true once the sampler had to enumerate the rest of a finite space (it was nearly exhausted) */
  readonly enumerating: boolean;
}

function pointSequence(options: RandomOptions, dims: number, rng: Rng): PointSequence {
  switch (options.sampler) {
    case 'sobol': {
      const r = rng.fork('sobol-shift');
      // two 16-bit draws per word: exact whatever the integer range the generator supports
      return sobolSequence(dims, Uint32Array.from({ length: dims }, () => ((r.int(0, 0xffff) << 16) | r.int(0, 0xffff)) >>> 0));
    }
    case 'halton': {
      const r = rng.fork('halton-shift');
      return haltonSequence(dims, Float64Array.from({ length: dims }, () => r.next()));
    }
    case 'uniform': {
      const r = rng.fork('uniform');
      return { dims, next: () => Float64Array.from({ length: dims }, () => r.next()) };
    }
  }
}

/**
 * Random search: the sampler's points, mapped onto the space (core's unitPoint: cells for finite
 * dimensions, linear or log for continuous ones), constraints applied by rejection, earlier trials
 * skipped — so no trial repeats. The sequence of candidates depends only on the space, the options
 * and the seed, never on how many are asked at a time or on the results told: any worker count
 * gives the same trials.
 *
 * When max_attempts draws in a row are rejected or repeats: a continuous space's feasible region
 * is too small to sample, a clear config error; a finite space is nearly exhausted, so the rest of
 * its admissible points are enumerated in a seeded random order — the search ends having asked
 * each admissible point once (a budget at least the grid's size runs the whole grid).
 */
export function createRandomSearch(space: SearchSpace, options: RandomOptions, rng: Rng): RandomSearch {
  const dims = sampledDimensions(space);
  const finite = !space.dimensions.some(isContinuous);
  const size = finite ? gridSize(space) : Number.POSITIVE_INFINITY;
  const points = pointSequence(options, dims.length, rng);
  const seen = new Set<string>();
  let rest: Iterator<Candidate> | undefined;
  let exhausted = false;

  const fresh = (c: Candidate | null): c is Candidate => {
    if (!c) return false;
    const key = candidateKey(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const draw = (): Candidate | undefined => {
    if (exhausted || seen.size >= size) return undefined;
    if (!rest) {
      for (let attempt = 0; attempt < options.max_attempts; attempt++) {
        const c = admitCandidate(space, unitPoint(space, points.next()));
        if (fresh(c)) return c;
      }
      if (!finite) {
        throw regimenError({
          code: 'config',
          message: `random search (${options.sampler}): ${options.max_attempts} draws in a row failed the constraints or repeated a trial — the feasible region is too small to sample; loosen the constraints, raise algorithm_options.max_attempts, or give every range a step and use the grid`,
        });
      }
      rest = iterateGrid(space, seededPermutation(size, rng.fork('random-rest')));
    }
    for (let r = rest.next(); !r.done; r = rest.next()) if (fresh(r.value)) return r.value;
    exhausted = true;
    return undefined;
  };
  // a finite space ends once every admissible point was asked; a continuous one needs a budget
  const search = streamSearch(draw, () => (finite ? size : undefined));
  return Object.defineProperty(search, 'enumerating', { get: () => rest !== undefined, enumerable: true }) as RandomSearch;
}
