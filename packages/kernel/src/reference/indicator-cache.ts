import type { BarColumns } from '@regimen/core';
import { sma } from './indicators/sma.js';
import { rsi } from './indicators/rsi.js';
import { donchianHigh, donchianLow } from './indicators/donchian.js';

/**
 * DESIGN §7: within a batch each distinct indicator series is computed once and shared by every
 * trial that needs it (e.g. 50 sma_crossover trials over fast × slow grids need only the distinct
 * windows). Memoised values are the same bits a fresh computation gives, so caching never changes
 * a result. A cache belongs to one BarColumns; the returned arrays must be treated as read-only.
 */
export interface IndicatorCache {
  readonly bars: BarColumns;
  smaClose(n: number): Float64Array;
  rsiClose(n: number): Float64Array;
  donchianHigh(n: number): Float64Array;
  donchianLow(n: number): Float64Array;
}

export function createIndicatorCache(bars: BarColumns): IndicatorCache {
  const memo = new Map<string, Float64Array>();
  const get = (key: string, make: () => Float64Array): Float64Array => {
    let v = memo.get(key);
    if (v === undefined) {
      v = make();
      memo.set(key, v);
    }
    return v;
  };
  return {
    bars,
    smaClose: (n) => get(`sma:${n}`, () => sma(bars.close, n)),
    rsiClose: (n) => get(`rsi:${n}`, () => rsi(bars.close, n)),
    donchianHigh: (n) => get(`dch:${n}`, () => donchianHigh(bars.high, n)),
    donchianLow: (n) => get(`dcl:${n}`, () => donchianLow(bars.low, n)),
  };
}
