import { describe, expect, it } from 'vitest';
import { drawdownOf, minMaxColumns } from './reduce.js';

describe('minMaxColumns', () => {
  it('keeps a short series whole', () => {
    const r = minMaxColumns([1, 2, 3, 4, 5, 6, 7, 8], [[5, 6, 7, 8, 9, 8, 7, 6]], 2);
    expect(r).toEqual({ x: [1, 2, 3, 4, 5, 6, 7, 8], ys: [[5, 6, 7, 8, 9, 8, 7, 6]], bars: 8, reduced: false });
  });

  it('keeps each column\'s first, extremes in time order, and last value', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
    const y = [5, 9, 1, 4, 4, 4, 2, 3, 8, 6, 6, 6, 7, 0, 2, 2, 2, 3];
    const r = minMaxColumns(x, [y, y.map((v) => -v)], 2);
    expect(r.reduced).toBe(true);
    // columns [0, 9) and [9, 18): their first bar, the bars a third and two thirds in, their last bar
    expect(r.x).toEqual([0, 3, 5, 8, 9, 12, 14, 17]);
    // column 0: first 5, max 9 (bar 1) before min 1 (bar 2), last 8; column 1: first 6, max 7 (bar 12) before min 0 (bar 13), last 3
    expect(r.ys[0]).toEqual([5, 9, 1, 8, 6, 7, 0, 3]);
    expect(r.ys[1]).toEqual([-5, -9, -1, -8, -6, -7, -0, -3]);
  });

  it('loses no extreme of a long random walk', () => {
    let s = 7;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const y = new Float64Array(100_003);
    for (let i = 1; i < y.length; i++) y[i] = y[i - 1]! + rnd() - 0.5;
    const r = minMaxColumns(Float64Array.from(y, (_, i) => i), [y], 500);
    expect(r.x.length).toBe(2000);
    expect(Math.max(...r.ys[0]!)).toBe(Math.max(...y));
    expect(Math.min(...r.ys[0]!)).toBe(Math.min(...y));
    expect([r.ys[0]![0], r.ys[0]!.at(-1)]).toEqual([y[0], y.at(-1)]);
  });
});

describe('drawdownOf', () => {
  it('measures from the running peak, the first value included', () => {
    expect(Array.from(drawdownOf(Float64Array.from([1, 0.5, 2, 1.5, 3])))).toEqual([0, 0.5, 0, 0.25, 0]);
    expect(Array.from(drawdownOf(Float64Array.from([1, 0.8])))).toEqual([0, 1 - 0.8]);
  });
});
