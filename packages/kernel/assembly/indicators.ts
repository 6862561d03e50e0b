// Indicator series of the general engine, each the exact operation order of the TypeScript
// reference (src/reference/indicators/*), so every value is the same bits:
//   sma: running sum s = x[0] + … + x[n−1], then s = (s + x[t]) − x[t−n]; out = s / n
//   rsi: Wilder smoothing (alpha = 1/n, keep = 1 − alpha) of up/down moves, seeded by the mean
//        of bars 1..n; out = (100·U) / (U + D)
//   donchian: max/min over the n bars ending at t in blocks of n bars (exact, any order gives the same bits)
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
 * Donchian upper (isMax) or lower channel over n bars including t; NaN before n − 1. O(len) by the
 * reference's blocks of n bars (core slidingMax/slidingMin, van Herk / Gil–Werman), with its tie
 * and NaN rules, so every value is the scan's `if (v > m) m = v`: a window's extreme is the better
 * of its first bar's block-suffix extreme (`suffix`, len f64 of host scratch; an equal earlier bar
 * wins) and its last bar's block-prefix extreme (the earlier one kept on ties); the prefix part
 * wins only when strictly better; NaN bars count as the worst value, and a window whose first bar
 * is NaN gives that NaN.
 */
export function donchianSeries(x: usize, len: i32, n: i32, isMax: bool, suffix: usize, out: usize): void {
  if (n < 1 || n > len) {
    for (let t: i32 = 0; t < len; t++) store<f64>(out + (<usize>t << 3), NaN);
    return;
  }
  const worst: f64 = isMax ? -Infinity : Infinity;
  for (let t: i32 = 0; t < n - 1; t++) store<f64>(out + (<usize>t << 3), NaN);
  for (let b: i32 = 0; b < len; b += n) {
    let e: i32 = b + n;
    if (e > len) e = len;
    // suffix extremes of the block, backwards: an equal earlier bar wins
    let m: f64 = worst;
    for (let i: i32 = e - 1; i >= b; i--) {
      let v: f64 = load<f64>(x + (<usize>i << 3));
      v = v != v ? worst : v;
      m = (isMax ? v >= m : v <= m) ? v : m;
      store<f64>(suffix + (<usize>i << 3), m);
    }
    // windows ending in this block: the suffix of the previous block's part, then this block's prefix
    let p: f64 = worst;
    for (let t: i32 = b; t < e; t++) {
      let v: f64 = load<f64>(x + (<usize>t << 3));
      v = v != v ? worst : v;
      p = (isMax ? v > p : v < p) ? v : p;
      if (t >= n - 1) {
        const lo: i32 = t - n + 1;
        const first: f64 = load<f64>(x + (<usize>lo << 3));
        const s: f64 = load<f64>(suffix + (<usize>lo << 3));
        const r: f64 = (isMax ? p > s : p < s) ? p : s;
        store<f64>(out + (<usize>t << 3), first == first ? r : first);
      }
    }
  }
}
