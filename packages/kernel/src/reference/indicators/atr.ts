import { wilder } from './wilder.js';

/**
 * Average true range, TTR `ATR(HLC, n)` (Wilder smoothing):
 *   tr[t] = max(high[t], close[t−1]) − min(low[t], close[t−1]) for t ≥ 1; tr[0] is undefined
 *   because TTR lags close with NA and takes pmax/pmin without na.rm;
 *   atr = wilder(tr, n): seeded by the mean of tr[1..n], first defined at t = n.
 */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const len = close.length;
  const tr = new Float64Array(len);
  if (len > 0) tr[0] = NaN;
  for (let t = 1; t < len; t++) {
    const c = close[t - 1];
    const hi = high[t] > c ? high[t] : c;
    const lo = low[t] < c ? low[t] : c;
    tr[t] = hi - lo;
  }
  return tr;
}

export function atr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  return wilder(trueRange(high, low, close), n);
}
