import { describe, expect, it } from 'vitest';
import type { Dimension } from '@regimen/core';
import { parameterStability } from './parameter-stability.js';

const space: Dimension[] = [
  { name: 'lookback', kind: 'int', min: 10, max: 50, step: 10 },
  { name: 'threshold', kind: 'values', values: [0.01, 0.02, 0.03] },
  { name: 'side', kind: 'values', values: ['long_only'] }, // not searched: does not count
];

describe('parameter stability across folds', () => {
  it('is perfect for a winner that never moves', () => {
    const w = { lookback: 20, threshold: 0.02, side: 'long_only' };
    expect(parameterStability([w, w, w, w], space)).toMatchObject({ folds: 4, modal_share: 1, modal_params: w, repeat_rate: 1, mean_step: 0 });
  });

  it('measures moves in units of the space, root mean square over the searched parameters', () => {
    const a = { lookback: 10, threshold: 0.01 };
    const b = { lookback: 50, threshold: 0.03 }; // the opposite corner: distance 1
    const c = { lookback: 30, threshold: 0.03 }; // from b: lookback moves half its range, threshold stays
    const r = parameterStability([a, b, null, c, b], space);
    expect(r.folds).toBe(4);
    // pairs with both winners: (a,b) = 1, (c,b) = sqrt((0.5² + 0)/2)
    expect(r.mean_step).toBeCloseTo((1 + Math.sqrt(0.125)) / 2, 12);
    expect(r.repeat_rate).toBe(0);
    expect(r.modal_params).toEqual(b);
    expect(r.modal_share).toBe(0.5);
    expect(r.winners).toEqual([a, b, null, c, b]);
  });

  it('counts a categorical change as a full step, and has no steps with fewer than two winners', () => {
    const cats: Dimension[] = [{ name: 'mode', kind: 'values', values: ['fast', 'slow'] }];
    expect(parameterStability([{ mode: 'fast' }, { mode: 'slow' }], cats).mean_step).toBe(1);
    expect(parameterStability([{ mode: 'fast' }, null], cats)).toMatchObject({ folds: 1, repeat_rate: null, mean_step: null, modal_share: 1 });
    expect(parameterStability([null, null], cats)).toMatchObject({ folds: 0, modal_share: 0, modal_params: null });
  });
});
