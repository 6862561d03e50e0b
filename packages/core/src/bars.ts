import type { BarColumns } from './types.js';

/**
 * The first `end` bars as views (no copy). A view cannot be indexed past its length, so code given
 * it sees those bars only — what a no-look-ahead proof relies on when it cuts the data at a bar.
 */
export function sliceBars(bars: BarColumns, end: number): BarColumns {
  return {
    time: bars.time.subarray(0, end),
    open: bars.open.subarray(0, end),
    high: bars.high.subarray(0, end),
    low: bars.low.subarray(0, end),
    close: bars.close.subarray(0, end),
    ...(bars.volume ? { volume: bars.volume.subarray(0, end) } : {}),
  };
}
