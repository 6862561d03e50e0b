import { slidingMax, slidingMin } from '@regimen/core';

/**
 * Donchian channel, TTR `DonchianChannel(HL, n)` (include.lag = FALSE): the window INCLUDES bar t,
 *   upper[t] = max(high[t−n+1..t]), lower[t] = min(low[t−n+1..t]), NaN before t = n−1.
 * A breakout therefore compares close[t] with the channel of bar t−1 (DESIGN §5).
 * Max/min are exact: core's O(n) slidingMax/slidingMin (van Herk / Gil–Werman) return the same bits
 * as the scan `m = x[t−n+1]; if x[i] > m then m = x[i]` over the window (ties and NaN included),
 * which the kernel repeats (assembly/indicators.ts donchianSeries).
 */
export function donchianHigh(high: Float64Array, n: number): Float64Array {
  return slidingMax(high, n);
}

export function donchianLow(low: Float64Array, n: number): Float64Array {
  return slidingMin(low, n);
}
