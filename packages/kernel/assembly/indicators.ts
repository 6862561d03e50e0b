// Indicator series of the general engine, each the exact operation order of the TypeScript
// reference (src/reference/indicators/*), so every value is the same bits:
//   sma: running sum s = x[0] + … + x[n−1], then s = (s + x[t]) − x[t−n]; out = s / n
//   rsi: Wilder smoothing (alpha = 1/n, keep = 1 − alpha) of up/down moves, seeded by the mean
//        of bars 1..n; out = (100·U) / (U + D)
//   donchian: max/min over the n bars ending at t by the reference's monotonic deque (exact)
// Pointers are byte offsets of f64 arrays of `len` values; outputs cover all `len` bars.

/** SMA of x over n bars; NaN before n − 1 (all NaN when n < 1 or n > len). */
export function smaSeries(x: usize, len: i32, n: i32, out: usize): void {
  if (n < 1 || n > len) {
    for (let t: i32 = 0; t < len; t++) store<f64>(out + (<usize>t << 3), NaN);
    return;
  }
  const nf: f64 = <f64>n;
  let s: f64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    s += load<f64>(x + (<usize>i << 3));
    if (i < n - 1) store<f64>(out + (<usize>i << 3), NaN);
  }
  store<f64>(out + (<usize>(n - 1) << 3), s / nf);
  for (let t: i32 = n; t < len; t++) {
    s = s + load<f64>(x + (<usize>t << 3)) - load<f64>(x + (<usize>(t - n) << 3));
    store<f64>(out + (<usize>t << 3), s / nf);
  }
}

/**
 * RSI (TTR, Wilder). The reference smooths up/down series whose bar 0 is NaN, so the first
 * non-NaN index is 1 and the seed covers bars 1..n; everything is NaN when 1 + n > len.
 */
export function rsiSeries(x: usize, len: i32, n: i32, out: usize): void {
  for (let t: i32 = 0; t < len; t++) store<f64>(out + (<usize>t << 3), NaN);
  if (n < 1 || 1 + n > len) return;
  const nf: f64 = <f64>n;
  const alpha: f64 = 1.0 / nf;
  const keep: f64 = 1.0 - alpha;
  let su: f64 = 0;
  let sd: f64 = 0;
  for (let t: i32 = 1; t <= n; t++) {
    const d: f64 = load<f64>(x + (<usize>t << 3)) - load<f64>(x + (<usize>(t - 1) << 3));
    su += d > 0 ? d : 0.0;
    sd += d < 0 ? -d : 0.0;
  }
  let u: f64 = su / nf;
  let v: f64 = sd / nf;
  store<f64>(out + (<usize>n << 3), (100.0 * u) / (u + v));
  for (let t: i32 = n + 1; t < len; t++) {
    const d: f64 = load<f64>(x + (<usize>t << 3)) - load<f64>(x + (<usize>(t - 1) << 3));
    const up: f64 = d > 0 ? d : 0.0;
    const down: f64 = d < 0 ? -d : 0.0;
    u = up * alpha + u * keep;
    v = down * alpha + v * keep;
    store<f64>(out + (<usize>t << 3), (100.0 * u) / (u + v));
  }
}

/**
 * Donchian upper (isMax) or lower channel over n bars including t; NaN before n − 1. O(len) by a
 * monotonic deque of bar indices in `ring` (n i32 slots, host scratch), the reference's algorithm
 * (core slidingMax/slidingMin): a bar leaves the deque only for a strictly better later bar, so the
 * front is the first of equal extremes, as the scan `if (v > m) m = v` keeps; NaN bars never enter,
 * and a window whose first bar is NaN gives that NaN, as the scan seeded with it does.
 */
export function donchianSeries(x: usize, len: i32, n: i32, isMax: bool, ring: usize, out: usize): void {
  if (n < 1 || n > len) {
    for (let t: i32 = 0; t < len; t++) store<f64>(out + (<usize>t << 3), NaN);
    return;
  }
  for (let t: i32 = 0; t < n - 1; t++) store<f64>(out + (<usize>t << 3), NaN);
  let head: i32 = 0;
  let size: i32 = 0;
  for (let t: i32 = 0; t < len; t++) {
    if (size > 0 && load<i32>(ring + (<usize>head << 2)) <= t - n) {
      head = head + 1 == n ? 0 : head + 1;
      size--;
    }
    const v: f64 = load<f64>(x + (<usize>t << 3));
    if (v == v) {
      while (size > 0) {
        let tail: i32 = head + size - 1;
        if (tail >= n) tail -= n;
        const w: f64 = load<f64>(x + (<usize>load<i32>(ring + (<usize>tail << 2)) << 3));
        if (isMax ? w < v : w > v) size--;
        else break;
      }
      let at: i32 = head + size;
      if (at >= n) at -= n;
      store<i32>(ring + (<usize>at << 2), t);
      size++;
    }
    if (t >= n - 1) {
      // a non-NaN first bar is in the deque or beaten by a later one, so the deque is not empty
      const first: f64 = load<f64>(x + (<usize>(t - n + 1) << 3));
      store<f64>(out + (<usize>t << 3), first == first ? load<f64>(x + (<usize>load<i32>(ring + (<usize>head << 2)) << 3)) : first);
    }
  }
}
