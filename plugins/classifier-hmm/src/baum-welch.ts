import { emissions, forward } from './forward.js';
import type { EmSettings } from './m-step.js';
import { cloneParams, type HmmParams } from './params.js';
import { stationaryDistribution } from './stationary.js';
import { stationaryTransitionStep } from './stationary-step.js';

/** Work buffers sized once per fit and reused by every restart and iteration. */
export interface EmBuffers {
  b: Float64Array;
  shift: Float64Array;
  alpha: Float64Array;
  scale: Float64Array;
  gamma: Float64Array;
}

export function emBuffers(rows: number, states: number): EmBuffers {
  return {
    b: new Float64Array(rows * states),
    shift: new Float64Array(rows),
    alpha: new Float64Array(rows * states),
    scale: new Float64Array(rows),
    gamma: new Float64Array(rows * states),
  };
}

/** log p(y_1..y_n) under p. */
export function logLikelihood(y: Float64Array, rows: number, p: HmmParams, buf: EmBuffers): number {
  emissions(y, rows, p, buf.b, buf.shift);
  return forward(buf.b, buf.shift, rows, p, buf.alpha, buf.scale);
}

/**
 * Backward pass over the scaled forward quantities; fills gamma (smoothed state probabilities, used
 * only to re-estimate parameters, never to label) and returns the expected transition counts.
 */
function backward(rows: number, p: HmmParams, buf: EmBuffers): Float64Array {
  const k = p.states;
  const a = p.transition;
  const { b, alpha, scale, gamma } = buf;
  const xi = new Float64Array(k * k);
  let beta = new Float64Array(k).fill(1);
  let prev = new Float64Array(k);
  for (let i = 0; i < k; i++) gamma[(rows - 1) * k + i] = alpha[(rows - 1) * k + i]!;
  const w = new Float64Array(k);
  for (let t = rows - 2; t >= 0; t--) {
    const c = scale[t + 1]!;
    for (let j = 0; j < k; j++) w[j] = (b[(t + 1) * k + j]! * beta[j]!) / c;
    let g = 0;
    for (let i = 0; i < k; i++) {
      let s = 0;
      const ai = alpha[t * k + i]!;
      for (let j = 0; j < k; j++) {
        const v = a[i * k + j]! * w[j]!;
        s += v;
        xi[i * k + j]! += ai * v;
      }
      prev[i] = s;
      const gi = ai * s;
      gamma[t * k + i] = gi;
      g += gi;
    }
    // gamma rows sum to 1 in exact arithmetic; renormalising stops drift over a million bars
    if (g > 0 && g !== 1) for (let i = 0; i < k; i++) gamma[t * k + i]! /= g;
    const tmp = beta;
    beta = prev;
    prev = tmp;
  }
  return xi;
}

function mStep(y: Float64Array, rows: number, old: HmmParams, buf: EmBuffers, xi: Float64Array, s: EmSettings): HmmParams {
  const k = old.states;
  const d = old.dims;
  const { gamma } = buf;
  const next = cloneParams(old);
  const occ = new Float64Array(k);
  const sum = new Float64Array(k * d);
  for (let t = 0; t < rows; t++) {
    for (let i = 0; i < k; i++) {
      const g = gamma[t * k + i]!;
      occ[i]! += g;
      for (let f = 0; f < d; f++) sum[i * d + f]! += g * y[t * d + f]!;
    }
  }
  // A state with (numerically) no occupancy keeps its old Gaussian: 0/0 would poison every later step.
  const alive = (i: number) => occ[i]! > 1e-10 * rows;
  for (let i = 0; i < k; i++) if (alive(i)) for (let f = 0; f < d; f++) next.means[i * d + f] = sum[i * d + f]! / occ[i]!;
  // centred second pass: E[y²] − μ² loses the digits of small variances
  const ss = new Float64Array(k * d);
  for (let t = 0; t < rows; t++) {
    for (let i = 0; i < k; i++) {
      const g = gamma[t * k + i]!;
      for (let f = 0; f < d; f++) {
        const z = y[t * d + f]! - next.means[i * d + f]!;
        ss[i * d + f]! += g * z * z;
      }
    }
  }
  for (let i = 0; i < k; i++) {
    if (!alive(i)) continue;
    // the floor is the constrained maximiser: the weighted Gaussian likelihood is unimodal in σ²
    for (let f = 0; f < d; f++) next.variances[i * d + f] = Math.max(ss[i * d + f]! / occ[i]!, s.floor[f]!);
  }
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) row += xi[i * k + j]!;
    if (!(row > 0)) continue;
    // no smoothing epsilon: a transition never seen estimates to exactly 0 and stays representable
    for (let j = 0; j < k; j++) next.transition[i * k + j] = xi[i * k + j]! / row;
  }
  if (s.initial === 'fitted') {
    for (let i = 0; i < k; i++) next.initial[i] = gamma[i]!;
  } else {
    // Hamilton's convention: π is a function of A, not a parameter, so the A update must account for it
    next.transition = stationaryTransitionStep(xi, gamma.subarray(0, k), k, next.transition);
    next.initial = stationaryDistribution(next.transition, k);
  }
  return next;
}

/**
 * One plain Baum–Welch iteration from p, whose forward quantities are in buf (logLikelihood(p) ran
 * last): the backward pass, the M-step, and the forward pass of the update, which leaves buf ready
 * for the next iteration. The straightforward implementation (separate passes, γ stored, arrays
 * allocated per pass), kept as the yardstick of `regimen bench hmm-fit` and as a cross-check of the
 * fused passes (em-pass.ts); fits use em.ts.
 */
export function plainIteration(y: Float64Array, rows: number, p: HmmParams, s: EmSettings, buf: EmBuffers): { params: HmmParams; logLikelihood: number } {
  const xi = backward(rows, p, buf);
  const params = mStep(y, rows, p, buf, xi, s);
  return { params, logLikelihood: logLikelihood(y, rows, params, buf) };
}
