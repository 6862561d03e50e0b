// Rolling simple moving averages for one block of bars, written into a per-batch table.
//
// SMA_w(t) = s / w with the exact running-sum rule of the sma-cross benchmark:
//   s = p[0] + … + p[w−1] (left to right), then s = (s + p[t]) − p[t−w] for t ≥ w.
// Bars t < w−1 get NaN, so every comparison with them is false (no position during warm-up).
// Prefix sums would be faster to seek but round differently, so they are not used: positions must
// equal the TypeScript reference bit for bit.

/** One window, scalar, for the bars [t0, t1) of the block; returns the running sum after t1 − 1. */
function smaScalar(p: usize, w: i32, s: f64, t0: i32, t1: i32, out: usize): f64 {
  const wf: f64 = <f64>w;
  let t: i32 = t0;
  const warmEnd: i32 = min(t1, w - 1);
  for (; t < warmEnd; t++) {
    s += load<f64>(p + (<usize>t << 3));
    store<f64>(out + (<usize>(t - t0) << 3), NaN);
  }
  if (t == w - 1 && t < t1) {
    s += load<f64>(p + (<usize>t << 3));
    store<f64>(out + (<usize>(t - t0) << 3), s / wf);
    t++;
  }
  for (; t < t1; t++) {
    s = (s + load<f64>(p + (<usize>t << 3))) - load<f64>(p + (<usize>(t - w) << 3));
    store<f64>(out + (<usize>(t - t0) << 3), s / wf);
  }
  return s;
}

/**
 * Windows `windows[j]` (i32), running sums `sums[j]` (f64, carried from block to block), output
 * rows `table + j·rowBytes` for bars [t0, t1). Two windows share one f64x2 once both are past
 * their warm-up, which halves the divisions and overlaps the two add/sub dependency chains.
 */
export function smaBlock(p: usize, windows: usize, nWindows: i32, sums: usize, table: usize, rowBytes: usize, t0: i32, t1: i32): void {
  let j: i32 = 0;
  for (; j + 1 < nWindows; j += 2) {
    const wa: i32 = load<i32>(windows + (<usize>j << 2));
    const wb: i32 = load<i32>(windows + (<usize>(j + 1) << 2));
    const outA: usize = table + <usize>j * rowBytes;
    const outB: usize = outA + rowBytes;
    const steady: i32 = min(t1, max(t0, max(wa, wb)));
    let sa: f64 = load<f64>(sums + (<usize>j << 3));
    let sb: f64 = load<f64>(sums + (<usize>(j + 1) << 3));
    if (steady > t0) {
      sa = smaScalar(p, wa, sa, t0, steady, outA);
      sb = smaScalar(p, wb, sb, t0, steady, outB);
    }
    let s: v128 = f64x2.replace_lane(f64x2.splat(sa), 1, sb);
    const wv: v128 = f64x2.replace_lane(f64x2.splat(<f64>wa), 1, <f64>wb);
    const backA: usize = <usize>wa << 3;
    const backB: usize = <usize>wb << 3;
    for (let t: i32 = steady; t < t1; t++) {
      const at: usize = p + (<usize>t << 3);
      const old: v128 = v128.load64_lane(at - backB, v128.load64_zero(at - backA), 1);
      s = f64x2.sub(f64x2.add(s, v128.load64_splat(at)), old);
      const sma: v128 = f64x2.div(s, wv);
      const o: usize = <usize>(t - t0) << 3;
      v128.store64_lane(outA + o, sma, 0);
      v128.store64_lane(outB + o, sma, 1);
    }
    store<f64>(sums + (<usize>j << 3), f64x2.extract_lane(s, 0));
    store<f64>(sums + (<usize>(j + 1) << 3), f64x2.extract_lane(s, 1));
  }
  if (j < nWindows) {
    const w: i32 = load<i32>(windows + (<usize>j << 2));
    const s: f64 = smaScalar(p, w, load<f64>(sums + (<usize>j << 3)), t0, t1, table + <usize>j * rowBytes);
    store<f64>(sums + (<usize>j << 3), s);
  }
}
