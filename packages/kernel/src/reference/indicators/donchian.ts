/**
 * Donchian channel, TTR `DonchianChannel(HL, n)` (include.lag = FALSE): the window INCLUDES bar t,
 *   upper[t] = max(high[t−n+1..t]), lower[t] = min(low[t−n+1..t]), NaN before t = n−1.
 * A breakout therefore compares close[t] with the channel of bar t−1 (DESIGN §5).
 * Max/min are exact, so the plain O(n) scan per bar gives the same bits as any faster scheme.
 */
export function donchianHigh(high: Float64Array, n: number): Float64Array {
  const len = high.length;
  const out = new Float64Array(len).fill(NaN);
  if (n < 1 || n > len) return out;
  for (let t = n - 1; t < len; t++) {
    let m = high[t - n + 1];
    for (let i = t - n + 2; i <= t; i++) if (high[i] > m) m = high[i];
    out[t] = m;
  }
  return out;
}

export function donchianLow(low: Float64Array, n: number): Float64Array {
  const len = low.length;
  const out = new Float64Array(len).fill(NaN);
  if (n < 1 || n > len) return out;
  for (let t = n - 1; t < len; t++) {
    let m = low[t - n + 1];
    for (let i = t - n + 2; i <= t; i++) if (low[i] < m) m = low[i];
    out[t] = m;
  }
  return out;
}
