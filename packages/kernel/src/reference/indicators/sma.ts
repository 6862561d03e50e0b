/**
 * Simple moving average over `n` bars ending at t (TTR `SMA`/`runMean`).
 * Running sum, in this exact order so a WebAssembly port can match it bit for bit:
 *   s = x[0] + x[1] + … + x[n−1]   (left to right, starting from 0)
 *   s = (s + x[t]) − x[t−n]        for t ≥ n
 *   sma[t] = s / n                 for t ≥ n−1, NaN before.
 * Inputs are expected finite: a NaN would poison every later value of the running sum.
 */
export function sma(x: Float64Array, n: number): Float64Array {
  const len = x.length;
  const out = new Float64Array(len).fill(NaN);
  if (n < 1 || n > len) return out;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  out[n - 1] = s / n;
  for (let t = n; t < len; t++) {
    s = s + x[t] - x[t - n];
    out[t] = s / n;
  }
  return out;
}
