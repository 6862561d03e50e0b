/**
 * Maximum (or minimum) over the n values ending at each bar — a Donchian channel's upper (lower)
 * line — in O(len) by a monotonic deque, for the reference engine and for classifier plugins
 * (which may depend on core only).
 *
 * It returns exactly what the plain O(len·n) scan returns, bit for bit, so it can replace it
 * anywhere:
 *   m = x[t−n+1]; for i = t−n+2..t: if x[i] > m (x[i] < m for the minimum) then m = x[i]
 *   out[t] = m for t ≥ n−1; NaN before, and everywhere when n < 1 or n > len.
 * Max and min are exact, so only ties and NaN need care: the deque keeps equal values (it drops
 * a value only for a strictly better later one), so its front is the first of equal extremes, as
 * the scan's (−0 and +0 compare equal; whichever came first is returned). A NaN never wins a
 * comparison, so NaN values are skipped — except that a window whose FIRST value is NaN gives NaN,
 * since the scan starts from it and no comparison with NaN is ever true.
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
  // ring buffer of bar indices whose values decrease (max) or increase (min) from head to tail;
  // it never holds more than n bars, because the bar leaving the window is dropped first
  const ring = new Int32Array(n);
  let head = 0;
  let size = 0;
  for (let t = 0; t < len; t++) {
    if (size > 0 && ring[head]! <= t - n) {
      head = head + 1 === n ? 0 : head + 1;
      size--;
    }
    const v = x[t]!;
    if (v === v) {
      while (size > 0) {
        let tail = head + size - 1;
        if (tail >= n) tail -= n;
        const w = x[ring[tail]!]!;
        if (isMax ? w < v : w > v) size--;
        else break;
      }
      let at = head + size;
      if (at >= n) at -= n;
      ring[at] = t;
      size++;
    }
    if (t >= n - 1) {
      const first = x[t - n + 1]!;
      out[t] = first === first ? x[ring[head]!]! : first;
    }
  }
  return out;
}
