/**
 * Maximum (or minimum) over the n values ending at each bar — a Donchian channel's upper (lower)
 * line — in O(len) whatever n, for the reference engine and for classifier plugins (which may
 * depend on core only); the kernel's donchianSeries repeats it.
 *
 * It returns exactly what the plain O(len·n) scan returns, bit for bit, so it can replace it
 * anywhere:
 *   m = x[t−n+1]; for i = t−n+2..t: if x[i] > m (x[i] < m for the minimum) then m = x[i]
 *   out[t] = m for t ≥ n−1; NaN before, and everywhere when n < 1 or n > len.
 *
 * Algorithm (van Herk / Gil–Werman): cut the series into blocks of n bars; a window of n bars is
 * the tail of one block and the head of the next, so its extreme is the better of the block's
 * suffix extreme at its first bar and the next block's prefix extreme at its last bar — two
 * passes, no data-dependent branches. Max and min are exact, so only ties and NaN need care:
 *  - the scan keeps the FIRST of equal extremes (−0 and +0 compare equal and keep their own bits):
 *    the suffix pass (backwards) lets an equal earlier bar win, the prefix pass (forwards) keeps
 *    the earlier one, and the head part wins only when strictly better than the tail part;
 *  - a NaN never wins a comparison of the scan, so NaN bars count as −∞ (+∞ for the minimum) —
 *    the same bits whenever such a bar would tie — except that a window whose FIRST bar is NaN
 *    gives that NaN, since the scan starts from it and no comparison with NaN is ever true.
 */
export function slidingMax(x: ArrayLike<number>, n: number): Float64Array {
  return slidingExtreme(x, n, true);
}

export function slidingMin(x: ArrayLike<number>, n: number): Float64Array {
  return slidingExtreme(x, n, false);
}

function slidingExtreme(x: ArrayLike<number>, n: number, isMax: boolean): Float64Array {
  const len = x.length;
  const out = new Float64Array(len).fill(NaN);
  if (n < 1 || n > len) return out;
  const worst = isMax ? -Infinity : Infinity;
  const suffix = new Float64Array(len);
  for (let b = 0; b < len; b += n) {
    const e = Math.min(b + n, len);
    let m = worst;
    for (let i = e - 1; i >= b; i--) {
      let v = x[i]!;
      if (v !== v) v = worst;
      if (isMax ? v >= m : v <= m) m = v;
      suffix[i] = m;
    }
    // windows ending in this block: tail of the previous block (its suffix) + head of this one
    let p = worst;
    for (let t = b; t < e; t++) {
      let v = x[t]!;
      if (v !== v) v = worst;
      if (isMax ? v > p : v < p) p = v;
      if (t >= n - 1) {
        const first = x[t - n + 1]!;
        const s = suffix[t - n + 1]!;
        out[t] = first !== first ? first : (isMax ? p > s : p < s) ? p : s;
      }
    }
  }
  return out;
}
