import { describe, expect, it } from 'vitest';
import { NO_REGIME } from '@regimen/core';
import { labelRuns, regimeStats } from './regime-stats.js';

const N = NO_REGIME;

describe('regimeStats', () => {
  it('counts shares, run lengths and per-bar transitions, warm-up bars apart', () => {
    const s = regimeStats([N, N, 0, 0, 0, 1, 1, 0, 2, 2, 2, 2], ['bull', 'bear', 'side']);
    expect(s.unlabelled).toBe(2);
    expect(s.count).toEqual([4, 2, 4]);
    expect(s.share).toEqual([0.4, 0.2, 0.4]);
    expect(s.runs).toEqual([2, 1, 1]);
    expect(s.mean_duration).toEqual([2, 2, 4]);
    expect(s.median_duration).toEqual([2, 2, 4]);
    expect(s.all_runs).toBe(4);
    expect(s.all_median_duration).toBe(2.5);
    expect(s.transitions).toBe(3);
    expect(s.matrix).toEqual([
      [2, 1, 1],
      [1, 1, 0],
      [0, 0, 3],
    ]);
  });

  it('gives a regime that never occurs zeros, not NaN', () => {
    const s = regimeStats([0, 0], ['a', 'b']);
    expect(s.mean_duration).toEqual([2, 0]);
    expect(s.share).toEqual([1, 0]);
    expect(s.transitions).toBe(0);
  });
});

describe('labelRuns', () => {
  it('splits labels into maximal runs', () => {
    expect(labelRuns([1, 1, 2, N, N, 1])).toEqual({ start: [0, 2, 3, 5], label: [1, 2, N, 1] });
    expect(labelRuns([])).toEqual({ start: [], label: [] });
  });
});
