import { dimensionSize, dimensionValue, isContinuous, roundSignificant } from './search-space.js';
import type { Candidate, Dimension, SearchSpace } from './plugin.js';
import type { ParamValue } from './types.js';

/**
 * How a sampler places a draw u ∈ [0, 1) on a dimension — shared by every sampling optimizer
 * (random, low-discrepancy, model-based), so the same u means the same value in each:
 * - a finite dimension (list, int range, stepped or counted float) is cut into equal cells, one
 *   per grid value: floor(u · size);
 * - a continuous float range (no step or count) maps linearly, or in log space when `log`;
 * - an int range with `log` is drawn log-uniformly over [min − ½, max + ½] and rounded (Optuna's
 *   IntDistribution(log=True) convention), so each integer gets the share of the log axis it covers.
 * Continuous values keep 12 significant digits (as grid values do), so files stay readable.
 */
export function unitValue(d: Dimension, u: number): ParamValue {
  if (isContinuous(d) && d.kind === 'float') {
    const x = d.log ? Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min))) : d.min + u * (d.max - d.min);
    return Math.min(d.max, Math.max(d.min, roundSignificant(x)));
  }
  if (d.kind === 'int' && d.log && d.max > d.min) {
    const lo = Math.log(d.min - 0.5), hi = Math.log(d.max + 0.5);
    return Math.min(d.max, Math.max(d.min, Math.round(Math.exp(lo + u * (hi - lo)))));
  }
  const n = dimensionSize(d);
  return dimensionValue(d, Math.min(n - 1, Math.floor(u * n)));
}

/** The dimensions a sampler draws for: every one with more than one value (constants take no coordinate). */
export function sampledDimensions(space: Pick<SearchSpace, 'dimensions'>): Dimension[] {
  return space.dimensions.filter((d) => dimensionSize(d) !== 1);
}

/**
 * A point of the unit cube (one coordinate per sampled dimension, in order) → a candidate with
 * every dimension's value, in the space's dimension order (as gridPoint gives it). No constraint
 * or simplex step: see admitCandidate.
 */
export function unitPoint(space: Pick<SearchSpace, 'dimensions'>, u: ArrayLike<number>): Candidate {
  const c: Candidate = {};
  let k = 0;
  for (const d of space.dimensions) c[d.name] = dimensionSize(d) === 1 ? dimensionValue(d, 0) : unitValue(d, u[k++]!);
  return c;
}
