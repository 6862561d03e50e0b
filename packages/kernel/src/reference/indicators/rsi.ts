import { wilder } from './wilder.js';

/**
 * Relative strength index, TTR `RSI(price, n)` with its defaults (maType EMA, wilder = TRUE):
 *   d[t] = x[t] − x[t−1] for t ≥ 1 (d[0] undefined);
 *   up[t] = max(d[t], 0), down[t] = max(−d[t], 0);
 *   U = wilder(up, n), D = wilder(down, n), both seeded by the mean of d's first n values (bars 1..n);
 *   rsi[t] = 100·U[t] / (U[t] + D[t]), first defined at t = n.
 * A flat stretch long enough to make U + D = 0 gives NaN (0/0), as TTR does; strategies treat NaN
 * as "no condition holds".
 */
export function rsi(x: Float64Array, n: number): Float64Array {
  const len = x.length;
  const up = new Float64Array(len);
  const down = new Float64Array(len);
  if (len > 0) {
    up[0] = NaN;
    down[0] = NaN;
  }
  for (let t = 1; t < len; t++) {
    const d = x[t] - x[t - 1];
    up[t] = d > 0 ? d : 0;
    down[t] = d < 0 ? -d : 0;
  }
  const u = wilder(up, n);
  const v = wilder(down, n);
  const out = new Float64Array(len);
  for (let t = 0; t < len; t++) out[t] = (100 * u[t]) / (u[t] + v[t]);
  return out;
}
