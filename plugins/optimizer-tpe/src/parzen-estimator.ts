import type { Rng } from '@regimen/core';
import { logGaussMass, truncNormLogPdf, truncNormQuantile } from './truncnorm.js';

/**
 * The Parzen estimator of TPE (Bergstra et al. 2011) with the choices Optuna 3.1 makes, written
 * from the algorithm: one kernel per observation plus a prior kernel; numeric kernels are normals
 * truncated to the search bounds, categorical kernels smooth a one-hot choice toward uniform.
 *
 * Coordinates: a numeric parameter lives on a line where its grid step is `step` (a grid index, a
 * value, or the log of a value); `low`/`high` are the bounds of the kernels — for a grid, half a
 * step beyond the first and last point, so each grid point owns a cell of width `step`. Every rule
 * below is affine-invariant, so indexing a grid 0..n−1 gives the same densities as its values.
 */
export type ParzenParam =
  | { kind: 'numeric'; low: number; high: number; step: number | null }
  | { kind: 'categorical'; choices: number };

export interface ParzenSettings {
  /** add the prior kernel (Optuna: consider_prior, default true) */
  prior: boolean;
  /** weight of the prior kernel (Optuna: prior_weight, default 1) */
  priorWeight: number;
  /** floor each bandwidth at (high − low)/min(100, 1 + kernels) (Optuna: consider_magic_clip) */
  magicClip: boolean;
  /** let the first and last kernels reach the bounds (Optuna: consider_endpoints, default false) */
  endpoints: boolean;
  /** one bandwidth for all kernels of a dimension by Scott's rule (Optuna: multivariate) */
  multivariate: boolean;
}

export const OPTUNA_PARZEN_DEFAULTS: ParzenSettings = { prior: true, priorWeight: 1, magicClip: true, endpoints: false, multivariate: false };

/** Optuna's default: equal weights up to 25 observations; beyond, the oldest ramp up linearly from 1/n. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const w: number[] = [];
  // numpy's linspace(1/n, 1, num=ramp): endpoints included, step (1 − 1/n)/(ramp − 1)
  for (let i = 0; i < ramp; i++) w.push(ramp === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (ramp - 1));
  for (let i = 0; i < 25; i++) w.push(1);
  return w;
}

/** Optuna's default γ: the ⌈10 %⌉ best observations form l(x), at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** SIGMA0_MAGNITUDE in Optuna's multivariate bandwidth 0.2·n^(−1/(d+4))·(high − low) (Scott's rule, as in BOHB). */
const SIGMA0 = 0.2;

interface NumericKernels { mus: Float64Array; sigmas: Float64Array; logAccept: Float64Array }

/**
 * Categorical kernels without the (kernels × choices) matrix: kernel k < n puts
 * (base + 1)/(base·C + 1) on its observed choice and base/(base·C + 1) on every other, with
 * base = priorWeight/kernels; the prior kernel is uniform. Optuna builds the matrix; this is it, row by row.
 */
interface CategoricalKernels { choices: number; observed: Int32Array; base: number; row(k: number): Float64Array }

export interface ParzenEstimator {
  /** mixture weights, the prior's last (they sum to 1) */
  readonly weights: Float64Array;
  /** per parameter: numeric kernels, or categorical ones (`row(k)`: kernel k's probabilities of the choices) */
  readonly kernels: Array<NumericKernels | CategoricalKernels>;
  sample(rng: Rng, size: number): number[][];
  /** log density (numeric grids: log probability of the grid cell) of each point */
  logPdf(points: readonly (readonly number[])[]): Float64Array;
}

/**
 * Build the estimator of `observations` (each a point in the coordinates above, chronological
 * order — the weights give older points less say). `weights` default to defaultWeights(n).
 */
export function parzenEstimator(observations: readonly (readonly number[])[], params: readonly ParzenParam[], s: ParzenSettings, weights?: readonly number[]): ParzenEstimator {
  const n = observations.length;
  const prior = s.prior || n === 0;
  const w = (weights ?? defaultWeights(n)).slice(0, n);
  if (prior) w.push(s.priorWeight);
  let total = 0;
  for (const x of w) total += x;
  const mix = Float64Array.from(w, (x) => x / total);
  const kernelsOf = n + (prior ? 1 : 0);
  const sigma0 = s.multivariate ? SIGMA0 * Math.max(n, 1) ** (-1 / (params.length + 4)) : 0;

  const kernels = params.map((p, d): NumericKernels | CategoricalKernels => {
    if (p.kind === 'categorical') {
      const base = s.priorWeight / kernelsOf;
      const observed = Int32Array.from({ length: kernelsOf }, (_, k) => (k < n ? observations[k]![d]! : -1));
      const row = (k: number) => {
        const r = new Float64Array(p.choices).fill(base);
        if (observed[k]! >= 0) r[observed[k]!]! += 1;
        const sum = base * p.choices + (observed[k]! >= 0 ? 1 : 0);
        for (let c = 0; c < p.choices; c++) r[c]! /= sum;
        return r;
      };
      return { choices: p.choices, observed, base, row };
    }
    const span = p.high - p.low;
    const mus = new Float64Array(kernelsOf);
    for (let k = 0; k < n; k++) mus[k] = observations[k]![d]!;
    if (prior) mus[n] = 0.5 * (p.low + p.high);
    const sigmas = s.multivariate ? new Float64Array(kernelsOf).fill(sigma0 * span) : neighbourBandwidths(mus, p.low, p.high, s.endpoints);
    const minSigma = s.magicClip ? span / Math.min(100, 1 + kernelsOf) : 1e-12;
    for (let k = 0; k < kernelsOf; k++) sigmas[k] = Math.min(Math.max(sigmas[k]!, minSigma), span);
    if (prior) sigmas[n] = span;
    const logAccept = new Float64Array(kernelsOf);
    for (let k = 0; k < kernelsOf; k++) logAccept[k] = logGaussMass((p.low - mus[k]!) / sigmas[k]!, (p.high - mus[k]!) / sigmas[k]!);
    return { mus, sigmas, logAccept };
  });

  return {
    weights: mix,
    kernels,
    sample(rng, size) {
      const out: number[][] = [];
      for (let i = 0; i < size; i++) {
        const k = pick(mix, rng.next());
        out.push(params.map((p, d) => {
          const kd = kernels[d]!;
          if (p.kind === 'categorical') {
            const { observed, base } = kd as CategoricalKernels;
            // the observed choice with its extra 1/(base·C + 1), else a uniform choice
            const u = rng.next() * (base * p.choices + (observed[k]! >= 0 ? 1 : 0));
            return u < base * p.choices ? Math.min(Math.floor(u / base), p.choices - 1) : observed[k]!;
          }
          const { mus, sigmas } = kd as NumericKernels;
          const mu = mus[k]!, sigma = sigmas[k]!;
          const x = mu + sigma * truncNormQuantile(rng.next(), (p.low - mu) / sigma, (p.high - mu) / sigma);
          if (p.step === null) return x;
          // back onto the grid (its points sit half a step inside low and high), like Optuna's rounding
          const first = p.low + p.step / 2;
          const last = Math.round((p.high - p.low) / p.step) - 1;
          return first + Math.min(Math.max(Math.round((x - first) / p.step), 0), last) * p.step;
        }));
      }
      return out;
    },
    logPdf(points) {
      const out = new Float64Array(points.length);
      const comp = new Float64Array(kernelsOf);
      // per grid dimension, each cell's log masses under every kernel: candidates share cells
      const cells = params.map(() => new Map<number, Float64Array>());
      const logMix = Float64Array.from(mix, Math.log);
      points.forEach((x, i) => {
        comp.set(logMix);
        params.forEach((p, d) => {
          const kd = kernels[d]!;
          if (p.kind === 'categorical') {
            const { observed, base } = kd as CategoricalKernels;
            const hit = Math.log((base + 1) / (base * p.choices + 1)), miss = Math.log(base / (base * p.choices + 1));
            for (let k = 0; k < kernelsOf; k++) comp[k]! += observed[k]! < 0 ? -Math.log(p.choices) : observed[k] === x[d] ? hit : miss;
            return;
          }
          const { mus, sigmas, logAccept } = kd as NumericKernels;
          if (p.step === null) {
            for (let k = 0; k < kernelsOf; k++) comp[k]! += truncNormLogPdf(x[d]!, mus[k]!, sigmas[k]!, p.low, p.high);
            return;
          }
          // the mass of the point's grid cell, clipped to the bounds, over the mass inside them
          let mass = cells[d]!.get(x[d]!);
          if (!mass) {
            const lo = Math.max(x[d]! - p.step / 2, p.low), hi = Math.min(x[d]! + p.step / 2, p.high);
            mass = new Float64Array(kernelsOf);
            for (let k = 0; k < kernelsOf; k++) mass[k] = logGaussMass((lo - mus[k]!) / sigmas[k]!, (hi - mus[k]!) / sigmas[k]!) - logAccept[k]!;
            cells[d]!.set(x[d]!, mass);
          }
          for (let k = 0; k < kernelsOf; k++) comp[k]! += mass[k]!;
        });
        let max = -Infinity;
        for (let k = 0; k < kernelsOf; k++) if (comp[k]! > max) max = comp[k]!;
        let sum = 0;
        for (let k = 0; k < kernelsOf; k++) sum += Math.exp(comp[k]! - max);
        out[i] = max === -Infinity ? -Infinity : max + Math.log(sum);
      });
      return out;
    },
  };
}

/**
 * Univariate bandwidths: each kernel's distance to the farther of its sorted neighbours, the bounds
 * standing in beyond the ends; without `endpoints` the first and last kernels look inward only,
 * so a point at the edge does not spread toward a bound it happens to sit near.
 */
function neighbourBandwidths(mus: Float64Array, low: number, high: number, endpoints: boolean): Float64Array {
  const m = mus.length;
  const order = Array.from(mus.keys()).sort((a, b) => mus[a]! - mus[b]! || a - b);
  const ext = [low, ...order.map((k) => mus[k]!), high];
  const sorted = new Float64Array(m);
  for (let i = 0; i < m; i++) sorted[i] = Math.max(ext[i + 1]! - ext[i]!, ext[i + 2]! - ext[i + 1]!);
  if (!endpoints && ext.length >= 4) {
    sorted[0] = ext[2]! - ext[1]!;
    sorted[m - 1] = ext[m]! - ext[m - 1]!;
  }
  const sigmas = new Float64Array(m);
  order.forEach((k, i) => (sigmas[k] = sorted[i]!));
  return sigmas;
}

/** The index i with cumulative p below u (inverse CDF of a discrete distribution). */
function pick(p: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i]!;
    if (u < acc) return i;
  }
  return p.length - 1;
}
