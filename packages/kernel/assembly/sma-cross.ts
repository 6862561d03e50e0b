// The standard sma-cross grid benchmark, several trials side by side.
//
// Per trial (fast f, slow s) over prices p[0..n−1] (benchmarks/README of the issue, exact):
//   pos[t] = 1 if SMA_f(t) > SMA_s(t) (strict; NaN during warm-up compares false), else 0
//   ret[t] = pos[t−1]·(p[t]/p[t−1] − 1) − fee·|pos[t] − pos[t−1]|,  e[t] = e[t−1]·(1 + ret[t])
//   total_return = e[n−1] − 1;  sharpe = mean/sd(sample)·√252 over ret[1..n−1] (0 if sd = 0)
//   max_drawdown = max_t(1 − e[t]/max_{s≤t} e[s]);  trades = #{t ≥ 1 : pos[t] ≠ pos[t−1]}
//
// Why the arithmetic equals the per-bar reference bit for bit:
// - with mask arithmetic ret is `R & prev − fee & changed`; pos ∈ {0,1} makes pos·x exact, and a
//   flat bar adds 0 to every sum and multiplies e by exactly 1;
// - 1 − e/P is monotone in e for a fixed peak P (IEEE division and subtraction are monotone), so
//   the maximum over the bars under one peak is 1 − trough/P: the division runs only when a new
//   peak starts, instead of on every bar;
// - sum and sum of squares in bar order, var = (Σr² − Σr·mean)/(m − 1). Bar returns are centred
//   near 0 (mean² ≪ var), so this one-pass form loses no significant digits here; the
//   TypeScript reference uses the same order, so both round identically.
//
// Lanes: trial i sits in lane i%2 of pair i/2; two pairs run in one loop so the multiplications
// of the two equity chains overlap. The market returns R[t] = p[t]/p[t−1] − 1 are computed once
// per data set by the host (R[0] = 0) and shared by all trials.

import { smaBlock } from './rolling-sma';

// Per pair: prev, equity, peak, trough, drawdown, sum, sum of squares, trades (i64 lanes).
const PREV: usize = 0;
const EQ: usize = 16;
const PEAK: usize = 32;
const TROUGH: usize = 48;
const DD: usize = 64;
const SUM: usize = 80;
const SQ: usize = 96;
const TRADES: usize = 112;
const PAIR_BYTES: usize = 128;

/** Bytes of trial state for `lanes` trials (a multiple of 4). */
export function smaCrossStateBytes(lanes: i32): i32 {
  return (lanes >> 1) * <i32>PAIR_BYTES;
}

function initState(state: usize, pairs: i32): void {
  const one: v128 = f64x2.splat(1.0);
  const zero: v128 = i64x2.splat(0);
  for (let k: i32 = 0; k < pairs; k++) {
    const at: usize = state + <usize>k * PAIR_BYTES;
    v128.store(at + PREV, zero);
    v128.store(at + EQ, one);
    v128.store(at + PEAK, one);
    v128.store(at + TROUGH, one);
    v128.store(at + DD, zero);
    v128.store(at + SUM, zero);
    v128.store(at + SQ, zero);
    v128.store(at + TRADES, zero);
  }
}

/**
 * Runs four trials (pairs `at0` and `at1`) over one block of `bytes/8` bars. `sameFast` is a
 * constant at each inlined call: when both lanes of each pair share their fast window (the grid's
 * order makes that the rule) one splat load replaces two lane loads.
 */
// @ts-ignore: decorator
@inline
function quadBlock(at0: usize, at1: usize, f0: usize, f1: usize, s0: usize, s1: usize, f2: usize, f3: usize, s2: usize, s3: usize, r: usize, bytes: usize, fee: v128, sameFast: bool): void {
  const one: v128 = f64x2.splat(1.0);
  let pA: v128 = v128.load(at0 + PREV), eA: v128 = v128.load(at0 + EQ), kA: v128 = v128.load(at0 + PEAK);
  let lA: v128 = v128.load(at0 + TROUGH), dA: v128 = v128.load(at0 + DD), uA: v128 = v128.load(at0 + SUM);
  let qA: v128 = v128.load(at0 + SQ), nA: v128 = v128.load(at0 + TRADES);
  let pB: v128 = v128.load(at1 + PREV), eB: v128 = v128.load(at1 + EQ), kB: v128 = v128.load(at1 + PEAK);
  let lB: v128 = v128.load(at1 + TROUGH), dB: v128 = v128.load(at1 + DD), uB: v128 = v128.load(at1 + SUM);
  let qB: v128 = v128.load(at1 + SQ), nB: v128 = v128.load(at1 + TRADES);
  for (let o: usize = 0; o < bytes; o += 8) {
    const fA: v128 = sameFast ? v128.load64_splat(f0 + o) : v128.load64_lane(f1 + o, v128.load64_zero(f0 + o), 1);
    const fB: v128 = sameFast ? v128.load64_splat(f2 + o) : v128.load64_lane(f3 + o, v128.load64_zero(f2 + o), 1);
    const cA: v128 = f64x2.gt(fA, v128.load64_lane(s1 + o, v128.load64_zero(s0 + o), 1));
    const cB: v128 = f64x2.gt(fB, v128.load64_lane(s3 + o, v128.load64_zero(s2 + o), 1));
    const R: v128 = v128.load64_splat(r + o);
    const xA: v128 = v128.xor(cA, pA);
    const xB: v128 = v128.xor(cB, pB);
    const rA: v128 = f64x2.sub(v128.and(R, pA), v128.and(fee, xA));
    const rB: v128 = f64x2.sub(v128.and(R, pB), v128.and(fee, xB));
    eA = f64x2.mul(eA, f64x2.add(one, rA));
    eB = f64x2.mul(eB, f64x2.add(one, rB));
    uA = f64x2.add(uA, rA);
    uB = f64x2.add(uB, rB);
    qA = f64x2.add(qA, f64x2.mul(rA, rA));
    qB = f64x2.add(qB, f64x2.mul(rB, rB));
    nA = i64x2.sub(nA, xA);
    nB = i64x2.sub(nB, xB);
    lA = f64x2.pmin(lA, eA);
    lB = f64x2.pmin(lB, eB);
    pA = cA;
    pB = cB;
    const upA: v128 = f64x2.gt(eA, kA);
    const upB: v128 = f64x2.gt(eB, kB);
    if (v128.any_true(v128.or(upA, upB))) {
      // A new peak closes the segment of the old one; closing a segment early is harmless
      // (its drawdown so far is ≤ its final one), so both pairs are closed together.
      dA = f64x2.pmax(dA, f64x2.sub(one, f64x2.div(lA, kA)));
      dB = f64x2.pmax(dB, f64x2.sub(one, f64x2.div(lB, kB)));
      kA = f64x2.pmax(kA, eA);
      kB = f64x2.pmax(kB, eB);
      lA = v128.bitselect(eA, lA, upA);
      lB = v128.bitselect(eB, lB, upB);
    }
  }
  v128.store(at0 + PREV, pA); v128.store(at0 + EQ, eA); v128.store(at0 + PEAK, kA);
  v128.store(at0 + TROUGH, lA); v128.store(at0 + DD, dA); v128.store(at0 + SUM, uA);
  v128.store(at0 + SQ, qA); v128.store(at0 + TRADES, nA);
  v128.store(at1 + PREV, pB); v128.store(at1 + EQ, eB); v128.store(at1 + PEAK, kB);
  v128.store(at1 + TROUGH, lB); v128.store(at1 + DD, dB); v128.store(at1 + SUM, uB);
  v128.store(at1 + SQ, qB); v128.store(at1 + TRADES, nB);
}

/**
 * One time block [t0, t1) of a batch: the block's SMA table, then every quad of trials over it.
 * Exported and called once per block so the engine sees a hot function early: V8 tiers a wasm
 * function up between calls, never inside one long call.
 */
export function smaCrossBlock(prices: usize, returns: usize, windows: usize, nWindows: i32, lanes: usize, nLanes: i32, fee: f64, block: i32, sums: usize, table: usize, state: usize, t0: i32, t1: i32): void {
  const rowBytes: usize = <usize>block << 3;
  smaBlock(prices, windows, nWindows, sums, table, rowBytes, t0, t1);
  const bytes: usize = <usize>(t1 - t0) << 3;
  const r: usize = returns + (<usize>t0 << 3);
  const feeV: v128 = f64x2.splat(fee);
  for (let q: i32 = 0; q < nLanes; q += 4) {
    const li: usize = lanes + (<usize>q << 3);
    const at0: usize = state + <usize>(q >> 1) * PAIR_BYTES;
    const at1: usize = at0 + PAIR_BYTES;
    const f0: usize = table + <usize>load<i32>(li) * rowBytes, f1: usize = table + <usize>load<i32>(li + 8) * rowBytes;
    const s0: usize = table + <usize>load<i32>(li + 4) * rowBytes, s1: usize = table + <usize>load<i32>(li + 12) * rowBytes;
    const f2: usize = table + <usize>load<i32>(li + 16) * rowBytes, f3: usize = table + <usize>load<i32>(li + 24) * rowBytes;
    const s2: usize = table + <usize>load<i32>(li + 20) * rowBytes, s3: usize = table + <usize>load<i32>(li + 28) * rowBytes;
    if (f0 == f1 && f2 == f3) quadBlock(at0, at1, f0, f1, s0, s1, f2, f3, s2, s3, r, bytes, feeV, true);
    else quadBlock(at0, at1, f0, f1, s0, s1, f2, f3, s2, s3, r, bytes, feeV, false);
  }
}

/**
 * One batch of sma-cross trials over bars [0, n). `windows` (i32 × nWindows) lists the distinct
 * SMA windows of the batch, each computed once per block into `table` (nWindows × block f64) and
 * shared by every trial; `lanes` (i32 × 2 × nLanes, nLanes a multiple of 4) gives each trial's
 * (fast, slow) as indices into `windows`. Time-blocking keeps the table and trial state in cache.
 * Output: per lane [total_return, sharpe, max_drawdown, trades] as f64.
 */
export function smaCrossBatch(prices: usize, returns: usize, n: i32, windows: usize, nWindows: i32, lanes: usize, nLanes: i32, fee: f64, block: i32, sums: usize, table: usize, state: usize, out: usize): void {
  initState(state, nLanes >> 1);
  for (let j: i32 = 0; j < nWindows; j++) store<f64>(sums + (<usize>j << 3), 0.0);
  for (let t0: i32 = 0; t0 < n; t0 += block) {
    smaCrossBlock(prices, returns, windows, nWindows, lanes, nLanes, fee, block, sums, table, state, t0, min(n, t0 + block));
  }
  const m: f64 = <f64>(n - 1);
  const annual: f64 = Math.sqrt(252.0);
  for (let i: i32 = 0; i < nLanes; i++) {
    const at: usize = state + <usize>(i >> 1) * PAIR_BYTES + (<usize>(i & 1) << 3);
    const e: f64 = load<f64>(at + EQ);
    const peak: f64 = load<f64>(at + PEAK);
    const dd: f64 = max(load<f64>(at + DD), 1.0 - load<f64>(at + TROUGH) / peak);
    const sum: f64 = load<f64>(at + SUM);
    const mean: f64 = sum / m;
    const variance: f64 = (load<f64>(at + SQ) - sum * mean) / (m - 1.0);
    const sd: f64 = variance > 0.0 ? Math.sqrt(variance) : 0.0;
    const row: usize = out + (<usize>i << 5);
    store<f64>(row, e - 1.0);
    store<f64>(row + 8, sd > 0.0 ? (mean / sd) * annual : 0.0);
    store<f64>(row + 16, dd);
    store<f64>(row + 24, <f64>load<i64>(at + TRADES));
  }
}
