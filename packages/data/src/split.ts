import { regimenError, type BarColumns } from '@regimen/core';
import { isoTime, parseTimeText } from './time.js';

export interface SplitSpec {
  train_fraction?: number;
  test_start?: string;
}

export interface DataSplit {
  /** train is bars [0, trainEnd) */
  trainEnd: number;
  /** test is bars [testStart, N); the splits are adjacent, so testStart = trainEnd */
  testStart: number;
  trainBars: number;
  testBars: number;
  testStartTime: string;
}

export const DEFAULT_TRAIN_FRACTION = 0.7;
// Fewer than two bars has no return to score, so every metric would be undefined.
const MIN_SPLIT_BARS = 2;

/**
 * Chronological train/test split. `train_fraction` f puts floor(f·N) bars in train;
 * `test_start` starts the test at the first bar whose time is ≥ that date/time.
 */
export function splitBars(bars: Pick<BarColumns, 'time'>, split: SplitSpec, file?: string): DataSplit {
  const n = bars.time.length;
  const field = 'workflow.data.split';
  if (split.train_fraction !== undefined && split.test_start !== undefined) {
    throw regimenError({ code: 'config', file, field, value: split, message: 'give either train_fraction or test_start, not both' });
  }
  let trainEnd: number;
  let what: string;
  if (split.test_start !== undefined) {
    const p = parseTimeText(split.test_start);
    if (!p.ok) throw regimenError({ code: 'config', file, field: `${field}.test_start`, value: split.test_start, message: p.reason });
    trainEnd = lowerBound(bars.time, p.ms);
    what = `${field}.test_start`;
  } else {
    const f = split.train_fraction ?? DEFAULT_TRAIN_FRACTION;
    if (!(f > 0 && f < 1)) throw regimenError({ code: 'config', file, field: `${field}.train_fraction`, value: f, message: 'must be between 0 and 1 (exclusive)' });
    trainEnd = Math.floor(f * n);
    what = `${field}.train_fraction`;
  }
  const value = split.test_start ?? split.train_fraction ?? DEFAULT_TRAIN_FRACTION;
  const trainBars = trainEnd;
  const testBars = n - trainEnd;
  if (trainBars < MIN_SPLIT_BARS || testBars < MIN_SPLIT_BARS) {
    const range = n > 0 ? ` (data ${isoTime(bars.time[0]!)} .. ${isoTime(bars.time[n - 1]!)})` : '';
    const empty = trainBars < MIN_SPLIT_BARS ? 'train' : 'test';
    throw regimenError({
      code: 'config', file, field: what, value,
      message: `leaves ${trainBars} train and ${testBars} test bars of ${n}${range}; the ${empty} split needs at least ${MIN_SPLIT_BARS}`,
    });
  }
  return { trainEnd, testStart: trainEnd, trainBars, testBars, testStartTime: isoTime(bars.time[trainEnd]!) };
}

/** first index with time[i] ≥ t (time strictly increasing) */
export function lowerBound(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
