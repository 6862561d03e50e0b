import { FIRST, PATHS, SQUARES, SUM } from './em-pass.js';
import { cloneParams, type HmmParams } from './params.js';
import { stationaryDistribution } from './stationary.js';
import { stationaryTransitionStep } from './stationary-step.js';

export interface EmSettings {
  initial: 'stationary' | 'fitted';
  /** absolute variance floor per feature */
  floor: Float64Array;
}

/** Expected transition counts n_ij = a_ij·G_ij from the backward pass's statistics. */
export function transitionCounts(stats: Float64Array, p: HmmParams): Float64Array {
  const k = p.states;
  const paths = PATHS(k, p.dims);
  const n = new Float64Array(k * k);
  for (let i = 0; i < k * k; i++) n[i] = p.transition[i]! * stats[paths + i]!;
  return n;
}

/**
 * The M-step from the E-step statistics of `p` (em-pass.ts layout): weighted means; variances
 * Σγ(y − μ_old)²/Σγ − (μ − μ_old)², floored (the floor is the constrained maximiser: the weighted
 * Gaussian likelihood is unimodal in σ²); transitions n_ij / Σ_j n_ij with no smoothing epsilon, so a
 * transition never seen estimates to exactly 0 and stays representable; the initial distribution
 * fitted (γ_1) or stationary (Hamilton's convention, with the exact transition step).
 */
export function mStep(stats: Float64Array, p: HmmParams, s: EmSettings, rows: number): HmmParams {
  const k = p.states;
  const d = p.dims;
  const next = cloneParams(p);
  const sum = SUM(k);
  const squares = SQUARES(k, d);
  for (let i = 0; i < k; i++) {
    const occ = stats[i]!;
    // a state with (numerically) no occupancy keeps its old Gaussian: 0/0 would poison every later step
    if (!(occ > 1e-10 * rows)) continue;
    for (let f = 0; f < d; f++) {
      const m = stats[sum + i * d + f]! / occ;
      const shift = m - p.means[i * d + f]!;
      next.means[i * d + f] = m;
      next.variances[i * d + f] = Math.max(stats[squares + i * d + f]! / occ - shift * shift, s.floor[f]!);
    }
  }
  const n = transitionCounts(stats, p);
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) row += n[i * k + j]!;
    if (!(row > 0)) continue;
    for (let j = 0; j < k; j++) next.transition[i * k + j] = n[i * k + j]! / row;
  }
  const first = stats.subarray(FIRST(k, d), FIRST(k, d) + k);
  if (s.initial === 'fitted') next.initial.set(first);
  else {
    // π is a function of A, not a parameter, so the A update must account for it
    next.transition = stationaryTransitionStep(n, first, k, next.transition);
    next.initial = stationaryDistribution(next.transition, k);
  }
  return next;
}
