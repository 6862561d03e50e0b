// The sma-cross strategy in AssemblyScript: the same rule, in the same order of operations, as
// positions() in src/plugin.ts, so every position is the same bits (the kit checks it). The host
// passes byte offsets into its shared memory; nothing here allocates or keeps state.
//
//   S_n[t] = x[0] + … + x[n−1] (left to right, from 0) at t = n − 1, then S_n[t] = (S_n[t−1] + x[t]) − x[t−n]
//   pos[t] = +1 if S_f/f > S_s/s, −1 if S_f/f < S_s/s, else 0, for t ≥ max(f, s) − 1
// with the DESIGN §5 tolerance: a > b means a − b > 1e-9·|b|. out[] arrives zeroed.

// @ts-ignore: decorator
@inline function at(p: usize, t: i32): usize { return p + (<usize>t << 3); }

/** Running sum of x over the n bars ending at `to` (n ≥ 1, n − 1 ≤ to), in the reference's order. */
function sumTo(x: usize, n: i32, to: i32): f64 {
  let s: f64 = 0;
  for (let i: i32 = 0; i < n; i++) s += load<f64>(at(x, i));
  for (let t: i32 = n; t <= to; t++) s = s + load<f64>(at(x, t)) - load<f64>(at(x, t - n));
  return s;
}

export function positions(time: usize, open: usize, high: usize, low: usize, close: usize, volume: usize,
  bars: i32, args: usize, out: usize, scratch: usize): void {
  const fast: i32 = <i32>load<f64>(args);
  const slow: i32 = <i32>load<f64>(args, 8);
  const first: i32 = max(fast, slow) - 1;
  if (first >= bars) return;
  const nf: f64 = <f64>fast;
  const ns: f64 = <f64>slow;
  let sf: f64 = sumTo(close, fast, first);
  let ss: f64 = sumTo(close, slow, first);
  for (let t: i32 = first; t < bars; t++) {
    if (t > first) {
      const c: f64 = load<f64>(at(close, t));
      sf = sf + c - load<f64>(at(close, t - fast));
      ss = ss + c - load<f64>(at(close, t - slow));
    }
    const f: f64 = sf / nf;
    const s: f64 = ss / ns;
    store<f64>(at(out, t), f - s > 1e-9 * Math.abs(s) ? 1.0 : s - f > 1e-9 * Math.abs(s) ? -1.0 : 0.0);
  }
}
