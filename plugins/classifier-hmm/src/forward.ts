import type { HmmParams } from './params.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Emission densities b_t(i) = N(y_t; μ_i, diag σ²_i), stored scaled: b_t(i)·exp(−shift_t) with shift_t
 * the largest log-density of row t. A return many σ from every state (a crash) would underflow
 * exp() to 0 for all states and break the scaling; the shift keeps one state at density 1 and
 * the log-likelihood adds the shift back.
 */
export function emissions(y: Float64Array, rows: number, p: HmmParams, b: Float64Array, shift: Float64Array): void {
  const k = p.states;
  const d = p.dims;
  const norm = new Float64Array(k);
  const inv = new Float64Array(k * d);
  for (let i = 0; i < k; i++) {
    let c = 0;
    for (let f = 0; f < d; f++) {
      c += LOG_2PI + Math.log(p.variances[i * d + f]!);
      inv[i * d + f] = 1 / p.variances[i * d + f]!;
    }
    norm[i] = -0.5 * c;
  }
  for (let t = 0; t < rows; t++) {
    let max = -Infinity;
    for (let i = 0; i < k; i++) {
      let q = 0;
      for (let f = 0; f < d; f++) {
        const z = y[t * d + f]! - p.means[i * d + f]!;
        q += z * z * inv[i * d + f]!;
      }
      const l = norm[i]! - 0.5 * q;
      b[t * k + i] = l;
      if (l > max) max = l;
    }
    shift[t] = max;
    for (let i = 0; i < k; i++) b[t * k + i] = Math.exp(b[t * k + i]! - max);
  }
}

/**
 * Scaled forward recursion (Rabiner): alpha[t] = P(s_t | y_1..y_t), the filtered probabilities, and
 * scale[t] = p(y_t | y_1..y_{t−1}) / exp(shift_t). log p(y_1..y_n) = Σ_t (log scale_t + shift_t).
 * Transition zeros need no guard here: the recursion never takes a log of a probability.
 */
export function forward(
  b: Float64Array,
  shift: Float64Array,
  rows: number,
  p: HmmParams,
  alpha: Float64Array,
  scale: Float64Array,
): number {
  const k = p.states;
  const a = p.transition;
  let ll = 0;
  for (let t = 0; t < rows; t++) {
    let c = 0;
    for (let j = 0; j < k; j++) {
      let pred: number;
      if (t === 0) pred = p.initial[j]!;
      else {
        pred = 0;
        for (let i = 0; i < k; i++) pred += alpha[(t - 1) * k + i]! * a[i * k + j]!;
      }
      const v = pred * b[t * k + j]!;
      alpha[t * k + j] = v;
      c += v;
    }
    if (!(c > 0)) {
      // every state with prior mass has zero density: impossible under the model (e.g. a state's
      // predicted probability is exactly 0 where only it explains y_t). Fall back to the prediction.
      c = 0;
      for (let j = 0; j < k; j++) {
        let pred = t === 0 ? p.initial[j]! : 0;
        if (t > 0) for (let i = 0; i < k; i++) pred += alpha[(t - 1) * k + i]! * a[i * k + j]!;
        alpha[t * k + j] = pred;
        c += pred;
      }
      scale[t] = 0;
      ll = -Infinity;
      for (let j = 0; j < k; j++) alpha[t * k + j]! /= c;
      continue;
    }
    scale[t] = c;
    ll += Math.log(c) + shift[t]!;
    for (let j = 0; j < k; j++) alpha[t * k + j]! /= c;
  }
  return ll;
}
