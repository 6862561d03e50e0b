// The PnL loop and the DESIGN §5 metrics over a score window, overall and per regime of several
// classifiers in one pass (src/reference/evaluate.ts, metrics.ts). Bit-equality with the reference:
// - ret[t] = pos[t−1]·R[t] − cost·|pos[t] − pos[t−1]| with R[t] = close[t]/close[t−1] − 1
//   computed once per data set by the same expression;
// - the reference groups a regime's returns in time order and runs metricsOfReturns over them.
//   Here every group keeps its own accumulators and is updated when a bar of its regime comes
//   by — in time order too — so each sum, product and maximum sees the same operands in the same
//   order; the sample sd's second pass does the same with each group's mean.
// Output per group (STRIDE f64): the statistics below; the host turns them into Metrics
// (Math.pow for cagr stays in JavaScript so it is the very same function).

const SUM: usize = 0;
const DOWN_SQ: usize = 8;
const EQUITY: usize = 16;
const PEAK: usize = 24;
const MAX_DD: usize = 32;
const COUNT: usize = 40;
const TRADES: usize = 48;
const EXPOSED: usize = 56;
const Q: usize = 64;
const MEAN: usize = 72;
const SD: usize = 80;
const DOWN: usize = 88;
export const GROUP_BYTES: usize = 96;

const NO_REGIME: u32 = 255;

// @ts-ignore: decorator
@inline function at(p: usize, t: i32): usize { return p + (<usize>t << 3); }

/** Bytes per group of statistics (the host's stride). */
export function groupBytes(): i32 {
  return <i32>GROUP_BYTES;
}

/** R[t] = close[t]/close[t−1] − 1 for t ≥ 1, R[0] = 0. */
export function barReturns(close: usize, len: i32, out: usize): void {
  if (len > 0) store<f64>(out, 0.0);
  for (let t: i32 = 1; t < len; t++) store<f64>(at(out, t), load<f64>(at(close, t)) / load<f64>(at(close, t - 1)) - 1);
}

function initGroups(stats: usize, groups: i32): void {
  for (let g: i32 = 0; g < groups; g++) {
    const s: usize = stats + <usize>g * GROUP_BYTES;
    store<f64>(s + SUM, 0.0);
    store<f64>(s + DOWN_SQ, 0.0);
    store<f64>(s + EQUITY, 1.0);
    store<f64>(s + PEAK, 1.0);
    store<f64>(s + MAX_DD, 0.0);
    store<f64>(s + COUNT, 0.0);
    store<f64>(s + TRADES, 0.0);
    store<f64>(s + EXPOSED, 0.0);
    store<f64>(s + Q, 0.0);
  }
}

// @ts-ignore: decorator
@inline function addReturn(s: usize, r: f64, changed: bool, exposed: bool): void {
  store<f64>(s + SUM, load<f64>(s + SUM) + r);
  if (r < 0) store<f64>(s + DOWN_SQ, load<f64>(s + DOWN_SQ) + r * r);
  const e: f64 = load<f64>(s + EQUITY) * (1 + r);
  store<f64>(s + EQUITY, e);
  let peak: f64 = load<f64>(s + PEAK);
  if (e > peak) {
    peak = e;
    store<f64>(s + PEAK, e);
  }
  const dd: f64 = 1 - e / peak;
  if (dd > load<f64>(s + MAX_DD)) store<f64>(s + MAX_DD, dd);
  store<f64>(s + COUNT, load<f64>(s + COUNT) + 1);
  if (changed) store<f64>(s + TRADES, load<f64>(s + TRADES) + 1);
  if (exposed) store<f64>(s + EXPOSED, load<f64>(s + EXPOSED) + 1);
}

/**
 * Scores positions `pos` over [start, end). `tracks` holds per classifier three i32: labels
 * pointer (u8 per bar), unused, first group index; group 0 is the whole window. Returns are
 * written to `ret` (n values) for the second pass. `stats` receives `groups` groups.
 * Regime groups are updated in memory on every bar of their regime. (Keeping the current run's
 * group in locals and flushing on a label change was tried: it is exact too, but a classifier
 * whose label flips every few bars made it 1.6× slower, so the plain form stays.)
 */
export function evaluateWindow(R: usize, pos: usize, start: i32, end: i32, cost: f64, ret: usize, tracks: usize, nTracks: i32, stats: usize, groups: i32): void {
  initGroups(stats, groups);
  // group 0 in locals: it sees every bar
  let sum: f64 = 0, downSq: f64 = 0, equity: f64 = 1, peak: f64 = 1, maxDd: f64 = 0;
  let trades: i32 = 0, exposed: i32 = 0;
  for (let t: i32 = start + 1; t < end; t++) {
    const p0: f64 = load<f64>(at(pos, t - 1));
    const p1: f64 = load<f64>(at(pos, t));
    const r: f64 = p0 * load<f64>(at(R, t)) - cost * Math.abs(p1 - p0);
    store<f64>(at(ret, t - start - 1), r);
    const changed: bool = p1 != p0;
    const isExposed: bool = p0 != 0;
    sum += r;
    if (r < 0) downSq += r * r;
    equity = equity * (1 + r);
    if (equity > peak) peak = equity;
    const dd: f64 = 1 - equity / peak;
    if (dd > maxDd) maxDd = dd;
    if (changed) trades++;
    if (isExposed) exposed++;
    for (let j: i32 = 0; j < nTracks; j++) {
      const tr: usize = tracks + <usize>j * 12;
      const label: u32 = load<u8>(<usize>load<i32>(tr) + <usize>(t - 1));
      if (label == NO_REGIME) continue;
      addReturn(stats + <usize>(load<i32>(tr + 8) + <i32>label) * GROUP_BYTES, r, changed, isExposed);
    }
  }
  const n: i32 = end - start - 1;
  store<f64>(stats + SUM, sum);
  store<f64>(stats + DOWN_SQ, downSq);
  store<f64>(stats + EQUITY, equity);
  store<f64>(stats + PEAK, peak);
  store<f64>(stats + MAX_DD, maxDd);
  store<f64>(stats + COUNT, <f64>n);
  store<f64>(stats + TRADES, <f64>trades);
  store<f64>(stats + EXPOSED, <f64>exposed);
  for (let g: i32 = 0; g < groups; g++) {
    const s: usize = stats + <usize>g * GROUP_BYTES;
    const c: f64 = load<f64>(s + COUNT);
    store<f64>(s + MEAN, c > 0 ? load<f64>(s + SUM) / c : 0.0);
  }
  // second pass: Σ (r − mean)² per group, in time order
  const mean0: f64 = load<f64>(stats + MEAN);
  let q: f64 = 0;
  for (let t: i32 = start + 1; t < end; t++) {
    const r: f64 = load<f64>(at(ret, t - start - 1));
    const d: f64 = r - mean0;
    q += d * d;
    for (let j: i32 = 0; j < nTracks; j++) {
      const tr: usize = tracks + <usize>j * 12;
      const label: u32 = load<u8>(<usize>load<i32>(tr) + <usize>(t - 1));
      if (label == NO_REGIME) continue;
      const s: usize = stats + <usize>(load<i32>(tr + 8) + <i32>label) * GROUP_BYTES;
      const dj: f64 = r - load<f64>(s + MEAN);
      store<f64>(s + Q, load<f64>(s + Q) + dj * dj);
    }
  }
  store<f64>(stats + Q, q);
  for (let g: i32 = 0; g < groups; g++) {
    const s: usize = stats + <usize>g * GROUP_BYTES;
    const c: f64 = load<f64>(s + COUNT);
    store<f64>(s + SD, c >= 2 ? Math.sqrt(load<f64>(s + Q) / (c - 1)) : 0.0);
    store<f64>(s + DOWN, c > 0 ? Math.sqrt(load<f64>(s + DOWN_SQ) / c) : 0.0);
  }
}

/**
 * Position change events within [start, end) (src/reference/events.ts): an event wherever pos[t]
 * differs from the previous position, flat before `start`. Returns the count.
 */
export function positionEvents(pos: usize, start: i32, end: i32, bars: usize, positions: usize): i32 {
  let prev: f64 = 0;
  let i: i32 = 0;
  for (let t: i32 = start; t < end; t++) {
    const p: f64 = load<f64>(at(pos, t));
    if (p != prev) {
      store<i32>(bars + (<usize>i << 2), t);
      store<f64>(at(positions, i), p);
      i++;
    }
    prev = p;
  }
  return i;
}

/**
 * Combined replay positions for [start, end) (src/reference/replay.ts): k = labels[t];
 * NO_REGIME → 0; else acc = Σ_s w[k·legs + s]·leg[k·legs + s][t] in leg order (null legs, pointer
 * 0, skipped), clamped to [−1, 1]. Labels must already be checked to index the weights.
 */
export function replayCombine(labels: usize, start: i32, end: i32, legs: i32, legTable: usize, weights: usize, pos: usize): void {
  for (let t: i32 = start; t < end; t++) {
    const k: u32 = load<u8>(labels + <usize>t);
    if (k == NO_REGIME) {
      store<f64>(at(pos, t), 0.0);
      continue;
    }
    const row: i32 = <i32>k * legs;
    let acc: f64 = 0;
    for (let s: i32 = 0; s < legs; s++) {
      const leg: usize = <usize>load<i32>(legTable + (<usize>(row + s) << 2));
      if (leg != 0) acc += load<f64>(at(weights, row + s)) * load<f64>(at(leg, t));
    }
    store<f64>(at(pos, t), acc > 1 ? 1.0 : acc < -1 ? -1.0 : acc);
  }
}
