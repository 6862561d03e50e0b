import { describe, it, expect } from 'vitest';
import { formatError } from '@regimen/core';
import { splitBars } from './split.js';

const DAY = 86_400_000;
// 10 daily bars from 2001-01-01
const t0 = Date.UTC(2001, 0, 1);
const bars = { time: Float64Array.from({ length: 10 }, (_, i) => t0 + i * DAY) };

describe('splitBars', () => {
  it('splits by fraction: floor(f·N) train bars, the rest test', () => {
    expect(splitBars(bars, { train_fraction: 0.75 })).toEqual({ trainEnd: 7, testStart: 7, trainBars: 7, testBars: 3, testStartTime: '2001-01-08' });
  });
  it('defaults to 70 % train', () => {
    expect(splitBars(bars, {}).trainBars).toBe(7);
  });
  it('splits by date at the first bar on or after it', () => {
    expect(splitBars(bars, { test_start: '2001-01-05' })).toMatchObject({ trainEnd: 4, testBars: 6, testStartTime: '2001-01-05' });
    const gappy = { time: Float64Array.from([0, 1, 2, 5, 6, 7], (d) => t0 + d * DAY) };
    expect(splitBars(gappy, { test_start: '2001-01-04' })).toMatchObject({ trainEnd: 3, testStartTime: '2001-01-06' });
    expect(splitBars(bars, { test_start: '2001-01-04T12:00:00Z' })).toMatchObject({ trainEnd: 4 });
  });
  it('rejects empty or one-bar splits naming the field', () => {
    const cases: Array<[object, string, RegExp]> = [
      [{ test_start: '2000-06-01' }, 'workflow.data.split.test_start', /0 train and 10 test bars.*train split needs at least 2/],
      [{ test_start: '2001-02-01' }, 'workflow.data.split.test_start', /10 train and 0 test bars.*test split/],
      [{ test_start: '2001-01-10' }, 'workflow.data.split.test_start', /9 train and 1 test bars/],
      [{ train_fraction: 0.1 }, 'workflow.data.split.train_fraction', /1 train and 9 test/],
      [{ train_fraction: 1.5 }, 'workflow.data.split.train_fraction', /between 0 and 1/],
      [{ test_start: 'soon' }, 'workflow.data.split.test_start', /not a date/],
      [{ test_start: '2001-01-05', train_fraction: 0.5 }, 'workflow.data.split', /not both/],
    ];
    for (const [split, field, msg] of cases) {
      let err: { code?: string; field?: string } | undefined;
      try {
        splitBars(bars, split, 'wf.yaml');
      } catch (e) {
        err = e as typeof err;
      }
      expect(err?.code).toBe('config');
      expect(err?.field).toBe(field);
      expect(formatError(err)).toMatch(msg);
      expect(formatError(err)).toContain('wf.yaml');
    }
  });
});
