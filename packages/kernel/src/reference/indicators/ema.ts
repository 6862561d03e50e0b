/**
 * Exponential smoothing the way TTR's `EMA` does it, shared by `ema` (alpha = 2/(n+1)) and
 * Wilder smoothing (alpha = 1/n, TTR `wilder = TRUE`):
 *   f = index of the first non-NaN value (leading NaNs are skipped, as TTR does, so RSI and ATR
 *       can feed series whose first element is undefined);
 *   seed: out[f+n−1] = (x[f] + … + x[f+n−1]) / n   (sum left to right from 0, then one division);
 *   out[t] = x[t]·alpha + out[t−1]·(1 − alpha)      for t ≥ f+n;
 *   NaN before f+n−1, or everywhere when fewer than n values follow f.
 * `1 − alpha` is computed once, as a double, before the loop.
 */
export function smoothExponential(x: Float64Array, n: number, alpha: number): Float64Array {
  const len = x.length;
  const out = new Float64Array(len).fill(NaN);
  let f = 0;
  while (f < len && Number.isNaN(x[f])) f++;
  if (n < 1 || f + n > len) return out;
  let s = 0;
  for (let i = f; i < f + n; i++) s += x[i];
  let prev = s / n;
  out[f + n - 1] = prev;
  const keep = 1 - alpha;
  for (let t = f + n; t < len; t++) {
    prev = x[t] * alpha + prev * keep;
    out[t] = prev;
  }
  return out;
}

/** TTR `EMA(x, n)`: alpha = 2/(n+1), seeded by the SMA of the first n values. */
export function ema(x: Float64Array, n: number): Float64Array {
  return smoothExponential(x, n, 2 / (n + 1));
}
