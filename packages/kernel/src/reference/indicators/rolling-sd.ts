/**
 * Rolling standard deviation over the n bars ending at t, two-pass per window (not a running sum
 * of squares, whose cancellation error grows with the price level):
 *   m = (x[t−n+1] + … + x[t]) / n           (sum left to right from 0)
 *   q = (x[t−n+1] − m)² + … + (x[t] − m)²   (left to right from 0)
 *   sd = sqrt(q / (n − 1)) sample (TTR `runSD`, z-scores), or sqrt(q / n) population (Bollinger σ);
 * NaN before t = n−1. The sample sd needs n ≥ 2 (all NaN otherwise).
 * This one stays O(len·n): each window's mean is a fresh left-to-right sum, whose rounding no
 * running update reproduces bit for bit. It is TTR's runSD for callers of this package; no
 * strategy or kernel routine uses it.
 */
function rollingDeviation(x: Float64Array, n: number, divisorOffset: 0 | 1): Float64Array {
  const len = x.length;
  const out = new Float64Array(len).fill(NaN);
  const divisor = n - divisorOffset;
  if (n < 1 || divisor < 1 || n > len) return out;
  for (let t = n - 1; t < len; t++) {
    let s = 0;
    for (let i = t - n + 1; i <= t; i++) s += x[i];
    const m = s / n;
    let q = 0;
    for (let i = t - n + 1; i <= t; i++) {
      const d = x[i] - m;
      q += d * d;
    }
    out[t] = Math.sqrt(q / divisor);
  }
  return out;
}

/** Sample sd (divisor n − 1), TTR `runSD(x, n)`. */
export function rollingSd(x: Float64Array, n: number): Float64Array {
  return rollingDeviation(x, n, 1);
}

/** Population sd (divisor n), the σ of Bollinger bands (TTR `BBands` uses `runSD(sample = FALSE)`). */
export function rollingSdPopulation(x: Float64Array, n: number): Float64Array {
  return rollingDeviation(x, n, 0);
}
