import type { ReducedSeries } from './model.js';

/**
 * Series reduced for drawing, M4-style: each of `columns` columns of bars keeps, per series, its
 * first value, its minimum and maximum in the order they occur, and its last value — so no peak,
 * trough or drawdown is lost, and the curve starts and ends exactly where the data does. The x
 * positions are shared by all series (the column's first bar, the bars a third and two thirds
 * in, its last bar), so a series' extremes are drawn up to a column's width from where they
 * happened: less than the width of a pixel or two. A series of at most 4·columns bars is kept whole.
 */
export function minMaxColumns(x: ArrayLike<number>, ys: ArrayLike<number>[], columns: number): ReducedSeries {
  const n = x.length;
  if (n <= 4 * columns) return { x: Array.from(x), ys: ys.map((y) => Array.from(y)), bars: n, reduced: false };
  const outX: number[] = [];
  const outY: number[][] = ys.map(() => []);
  for (let c = 0; c < columns; c++) {
    const a = Math.floor((c * n) / columns);
    const b = Math.floor(((c + 1) * n) / columns);
    const third = Math.floor((b - a) / 3);
    outX.push(x[a]!, x[a + third]!, x[b - 1 - third]!, x[b - 1]!);
    ys.forEach((y, k) => {
      let lo = a;
      let hi = a;
      for (let t = a + 1; t < b; t++) {
        if (y[t]! < y[lo]!) lo = t;
        if (y[t]! > y[hi]!) hi = t;
      }
      outY[k]!.push(y[a]!, y[Math.min(lo, hi)]!, y[Math.max(lo, hi)]!, y[b - 1]!);
    });
  }
  return { x: outX, ys: outY, bars: n, reduced: true };
}

/** 1 − E/peak at every bar, the peak including E's first value (DESIGN §5 max drawdown). */
export function drawdownOf(equity: Float64Array): Float64Array {
  const dd = new Float64Array(equity.length);
  let peak = 1;
  for (let i = 0; i < equity.length; i++) {
    if (equity[i]! > peak) peak = equity[i]!;
    dd[i] = 1 - equity[i]! / peak;
  }
  return dd;
}
