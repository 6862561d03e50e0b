import { smoothExponential } from './ema.js';

/**
 * Wilder smoothing, TTR `EMA(x, n, wilder = TRUE)`: alpha = 1/n, seeded by the mean of the first
 * n (non-leading-NaN) values; see `smoothExponential` for the exact recurrence.
 */
export function wilder(x: Float64Array, n: number): Float64Array {
  return smoothExponential(x, n, 1 / n);
}
