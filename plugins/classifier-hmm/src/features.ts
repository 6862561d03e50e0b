import { regimenError, type BarColumns } from '@regimen/core';
import type { FeatureSpec } from './options.js';

/** Features as a row-major matrix over bars [start, n): row t−start holds the d features of bar t. */
export interface FeatureMatrix {
  /** first bar with every feature defined (the warm-up before it is labelled NO_REGIME) */
  start: number;
  /** number of rows (bars start..n−1) */
  rows: number;
  dims: number;
  values: Float64Array;
}

/** Bars before this one lack at least one feature. */
export function warmup(features: FeatureSpec[]): number {
  let w = 1;
  for (const f of features) if (f.name === 'rolling_vol') w = Math.max(w, f.window);
  return w;
}

/** r_t = ln(p_t / p_{t−1}) for t ≥ 1 into out[t − 1], every price checked. */
function logReturnsInto(close: Float64Array, out: Float64Array): void {
  for (let t = 0; t < close.length; t++) {
    const p = close[t]!;
    if (!(p > 0) || !Number.isFinite(p)) {
      throw regimenError({ code: 'data', field: `close[${t}]`, value: p, message: 'the HMM classifier needs finite positive prices' });
    }
    if (t > 0) out[t - 1] = Math.log(p / close[t - 1]!);
  }
}

/**
 * Sample sd of the last `w` returns. Recomputed per bar from the window (not a running sum) so the
 * value at bar t is bit-identical whatever the length of the series: labels of a prefix must equal
 * the prefix of the labels.
 */
function rollingVol(r: Float64Array, w: number, out: Float64Array, start: number, dims: number, col: number): void {
  for (let t = start; t < r.length; t++) {
    let m = 0;
    for (let k = t - w + 1; k <= t; k++) m += r[k]!;
    m /= w;
    let s = 0;
    for (let k = t - w + 1; k <= t; k++) s += (r[k]! - m) ** 2;
    out[(t - start) * dims + col] = Math.sqrt(s / (w - 1));
  }
}

/** `into` (rows × dims values, e.g. kernel memory) receives the features instead of a new array. */
export function computeFeatures(data: BarColumns, features: FeatureSpec[], into?: Float64Array): FeatureMatrix {
  const n = data.close.length;
  const dims = features.length;
  const start = warmup(features);
  const rows = Math.max(0, n - start);
  const values = into ?? new Float64Array(rows * dims);
  if (n === 0) return { start, rows, dims, values };
  // log returns alone (the default) are the feature matrix itself: no intermediate copy
  if (dims === 1 && features[0]!.name === 'log_return') {
    logReturnsInto(data.close, values);
    return { start, rows, dims, values };
  }
  const r = new Float64Array(n);
  r[0] = NaN;
  logReturnsInto(data.close, r.subarray(1));
  features.forEach((f, col) => {
    if (f.name === 'log_return') {
      for (let t = start; t < n; t++) values[(t - start) * dims + col] = r[t]!;
    } else {
      rollingVol(r, f.window, values, start, dims, col);
    }
  });
  return { start, rows, dims, values };
}
