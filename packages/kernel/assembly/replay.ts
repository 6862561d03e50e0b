// Signal replay scored four weight sets at a time (two f64x2 whose lanes are weight sets), with
// no position array: a bar's combined position is looked up by its combo (replayCombos), and a
// pass over a time block forms the returns and accumulates the whole-window statistics; each
// regime group then runs over its returns of the block, gathered in time order (replayOrder).
// (src/reference/replay.ts + evaluate.ts + metrics.ts.)
// Bit-equality with the reference, lane by lane:
// - combine: acc = +0, then acc + w·leg for each non-null leg in leg order, clip as
//   `acc > 1 ? 1 : acc < −1 ? −1 : acc` = pmax(pmin(acc, 1), −1) (pmin/pmax are exactly these
//   ternaries, NaN and −0 included); NO_REGIME → +0. Bars of one combo (same regime, same leg
//   bits) have the same operands, so computing the combo once gives every such bar's bits;
// - ret = p0·R − cost·|p1 − p0|, the same operations as evaluate.ts;
// - each group's sums are updated in time order when a bar of its regime comes by; masked adds
//   add +0 to sums that are never −0, which changes nothing;
// - max drawdown without a division per bar: while the peak P stays, dd = fl(1 − fl(e/P)) is
//   monotone non-increasing in e (both roundings are monotone, P ≥ 1), so the largest dd of a
//   stretch with one peak is the dd of its lowest equity (the trough); it is taken when the peak
//   moves and at the end. NaN equities are skipped by both (every comparison with NaN is false).
//   Once an equity is ±∞ or NaN it never becomes finite again (∞·x is ±∞ or NaN), so a peak of
//   +∞ only meets equities whose dd is NaN, which both skip.
// - sd: a second pass, Σ (r − mean)² per group in time order, over the same returns as the first
//   pass (recomputed per block, same expression). A skipped return is ±0, so its term is
//   (±0 − mean)² = mean·mean, the same bits for every skipped return of the group: a run of L of
//   them is L additions of one constant c, which addRepeated does exactly in O(1) (below).
// - the first pass skips returns between two bars whose combined position is +0 in every set
//   (legs all ±0, finite weights, finite R): such a return is ±0, and adding ±0 to a sum that is
//   never −0, multiplying the equity by 1 + ±0 = 1, and counting no trade and no exposure change
//   nothing (the host decides when this holds: kernel-replay.ts skipsFlatBars);
// - trades and exposure are integer counts, order-free: per group from its distinct pairs of
//   combos (replayTransitions), with the same comparisons as the reference (f64x2.ne).
// Output per weight set and group: the 12 f64 of assembly/evaluate.ts (GROUP_BYTES).

import { GROUP_BYTES } from './evaluate';

const NO_REGIME: u32 = 255;

// working state per group (two lanes each; BARS is one f64, the same for both lanes)
const SUM: usize = 0;
const DOWN_SQ: usize = 16;
const EQUITY: usize = 32;
const PEAK: usize = 48;
const TROUGH: usize = 64;
const MAX_DD: usize = 80;
const COUNTS: usize = 96; // i64 lanes: trades in the low 32 bits, exposed bars in the high 32
const Q: usize = 112;
const MEAN: usize = 128;
const BARS: usize = 144;
const SKIPPED: usize = 160;
const STATE_BYTES: usize = 176;

/** Bytes of working state per group (the host's stride for `state`). */
export function replayStateBytes(): i32 {
  return <i32>STATE_BYTES;
}

/**
 * Distinct combine inputs of the window: a bar's combined position depends only on its regime k
 * and the bits of its legs' positions, which change at events and regime switches alone. Each
 * distinct (k, leg bits) becomes a combo; ids[t − start] (u32) names the combo of bar t, combo 0
 * is NO_REGIME. comboK (i32 per combo), comboVals (f64 per combo and leg; null legs 0) and a hash
 * of `hashSize` i32 slots (a power of two ≥ 2·maxCombos) are scratch of the host. Returns the
 * number of combos, or −1 when there are more than maxCombos (then use replayBarCombos).
 */
export function replayCombos(labels: usize, start: i32, end: i32, legs: i32, legTable: usize, ids: usize, comboK: usize, comboVals: usize,
  hash: usize, hashSize: i32, maxCombos: i32): i32 {
  memory.fill(hash, 0, <usize>hashSize << 2);
  store<i32>(comboK, <i32>NO_REGIME);
  for (let s: i32 = 0; s < legs; s++) store<f64>(comboVals + (<usize>s << 3), 0.0);
  let count: i32 = 1;
  let prev: i32 = 0;
  const mask: u32 = <u32>hashSize - 1;
  for (let t: i32 = start; t < end; t++) {
    const k: u32 = load<u8>(labels + <usize>t);
    let id: i32 = 0;
    if (k != NO_REGIME) {
      const row: usize = legTable + (<usize>(<i32>k * legs) << 2);
      if (<u32>load<i32>(comboK + (<usize>prev << 2)) == k && sameLegs(row, legs, t, comboVals + <usize>(prev * legs) * 8)) {
        id = prev;
      } else {
        let h: u64 = <u64>k * 0x9e3779b97f4a7c15;
        for (let s: i32 = 0; s < legs; s++) h = (h ^ legBits(row, s, t)) * 0xff51afd7ed558ccd;
        let slot: u32 = <u32>(h >>> 40) & mask;
        while (true) {
          const c: i32 = load<i32>(hash + (<usize>slot << 2)) - 1;
          if (c < 0) {
            if (count == maxCombos) return -1;
            id = count++;
            store<i32>(hash + (<usize>slot << 2), id + 1);
            store<i32>(comboK + (<usize>id << 2), <i32>k);
            const vals: usize = comboVals + <usize>(id * legs) * 8;
            for (let s: i32 = 0; s < legs; s++) store<u64>(vals + (<usize>s << 3), legBits(row, s, t));
            break;
          }
          if (<u32>load<i32>(comboK + (<usize>c << 2)) == k && sameLegs(row, legs, t, comboVals + <usize>(c * legs) * 8)) {
            id = c;
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
    }
    store<u32>(ids + (<usize>(t - start) << 2), <u32>id);
    prev = id;
  }
  return count;
}

/** Every bar its own combo (ids[t − start] = t − start + 1): when the window has too many combos. */
export function replayBarCombos(labels: usize, start: i32, end: i32, legs: i32, legTable: usize, ids: usize, comboK: usize, comboVals: usize): i32 {
  store<i32>(comboK, <i32>NO_REGIME);
  for (let t: i32 = start; t < end; t++) {
    const id: i32 = t - start + 1;
    const k: u32 = load<u8>(labels + <usize>t);
    store<i32>(comboK + (<usize>id << 2), <i32>k);
    const vals: usize = comboVals + <usize>(id * legs) * 8;
    const row: usize = legTable + (<usize>(<i32>k * legs) << 2);
    for (let s: i32 = 0; s < legs; s++) store<u64>(vals + (<usize>s << 3), k == NO_REGIME ? 0 : legBits(row, s, t));
    store<u32>(ids + (<usize>(t - start) << 2), <u32>(k == NO_REGIME ? 0 : id));
  }
  return end - start + 1;
}

// @ts-ignore: decorator
@inline function legBits(row: usize, s: i32, t: i32): u64 {
  const leg: usize = <usize>load<i32>(row + (<usize>s << 2));
  return leg == 0 ? 0 : load<u64>(leg + (<usize>t << 3));
}

// @ts-ignore: decorator
@inline function sameLegs(row: usize, legs: i32, t: i32, vals: usize): bool {
  for (let s: i32 = 0; s < legs; s++) if (legBits(row, s, t) != load<u64>(vals + (<usize>s << 3))) return false;
  return true;
}

/**
 * The combined position of every combo for one pair of weight sets, the reference's loop:
 * acc = +0, acc + w·leg over the non-null legs in order, then the clip. Combo 0 (NO_REGIME) → +0.
 */
function comboPositions(combos: i32, comboK: usize, comboVals: usize, legs: i32, legTable: usize, w: usize, pos: usize): void {
  v128.store(pos, f64x2.splat(0));
  for (let c: i32 = 1; c < combos; c++) {
    const k: i32 = load<i32>(comboK + (<usize>c << 2));
    let p: v128 = f64x2.splat(0);
    if (<u32>k != NO_REGIME) {
      const row: i32 = k * legs;
      const vals: usize = comboVals + <usize>(c * legs) * 8;
      let acc: v128 = f64x2.splat(0);
      for (let s: i32 = 0; s < legs; s++) {
        if (load<i32>(legTable + (<usize>(row + s) << 2)) != 0) {
          acc = f64x2.add(acc, f64x2.mul(v128.load(w + (<usize>(row + s) << 4)), f64x2.splat(load<f64>(vals + (<usize>s << 3)))));
        }
      }
      p = f64x2.pmax(f64x2.pmin(acc, f64x2.splat(1)), f64x2.splat(-1));
    }
    v128.store(pos + (<usize>c << 4), p);
  }
}

/**
 * For time block b of `block` returns (return i is bar start+1+i, attributed to bar start+i) and per
 * breakdown track: counts, one i32 per (block, group) with the groups numbered as in `tracks`
 * (group 0: the block's count), of all returns; activeCounts the same for the returns that may be
 * non-zero — those not between two flat bars (`flat`: u8 per combo, 1 = position +0 in every
 * weight set); `active` (`block` u16 per block) lists those returns in time order and
 * activeOrder (`block` u16 per (block, track)) sorted by regime, stably (time order within a
 * regime). gaps (parallel to `active`) and activeGaps (parallel to activeOrder) hold, for each
 * listed return, how many skipped returns of its group come between it and the group's previous
 * listed return of the block (or the block's start); tails (i32 per (block, group)) how many
 * follow the group's last listed return in the block. `fill` is 3 KiB and `actBuf` `block` bytes
 * of scratch.
 */
export function replayOrder(b: i32, tracks: usize, nTracks: i32, groups: i32, start: i32, end: i32, block: i32, counts: usize,
  activeOrder: usize, activeCounts: usize, active: usize, gaps: usize, activeGaps: usize, tails: usize, ids: usize, flat: usize, fill: usize,
  actBuf: usize): void {
  const i0: i32 = b * block;
  const i1: i32 = min(end - start - 1, i0 + block);
  const cnt: usize = counts + <usize>(b * groups) * 4;
  const aCnt: usize = activeCounts + <usize>(b * groups) * 4;
  const tl: usize = tails + <usize>(b * groups) * 4;
  memory.fill(cnt, 0, <usize>groups * 4);
  memory.fill(aCnt, 0, <usize>groups * 4);
  const act: usize = active + (<usize>(b * block) << 1);
  const gap: usize = gaps + (<usize>(b * block) << 1);
  let m: i32 = 0;
  let run: i32 = 0;
  for (let i: i32 = i0; i < i1; i++) {
    const a: u32 = (load<u8>(flat + <usize>load<u32>(ids + (<usize>i << 2))) & load<u8>(flat + <usize>load<u32>(ids + (<usize>(i + 1) << 2)))) ^ 1;
    store<u8>(actBuf + <usize>(i - i0), <u8>a);
    // stored at m either way; a skipped return's entry is overwritten by the next listed one
    store<u16>(act + (<usize>m << 1), <u16>(i - i0));
    store<u16>(gap + (<usize>m << 1), <u16>run);
    m += <i32>a;
    run = a ? 0 : run + 1;
  }
  store<i32>(cnt, i1 - i0);
  store<i32>(aCnt, m);
  store<i32>(tl, run);
  const aFill: usize = fill + 1024;
  const runs: usize = fill + 2048;
  for (let j: i32 = 0; j < nTracks; j++) {
    const tr: usize = tracks + <usize>j * 12;
    const lab: usize = <usize>load<i32>(tr) + <usize>start;
    const k: i32 = load<i32>(tr + 4);
    const g0: i32 = load<i32>(tr + 8);
    for (let i: i32 = i0; i < i1; i++) {
      const l: u32 = load<u8>(lab + <usize>i);
      if (l != NO_REGIME) {
        const c: usize = cnt + (<usize>(g0 + <i32>l) << 2);
        store<i32>(c, load<i32>(c) + 1);
        const ac: usize = aCnt + (<usize>(g0 + <i32>l) << 2);
        store<i32>(ac, load<i32>(ac) + <i32>load<u8>(actBuf + <usize>(i - i0)));
      }
    }
    // running fill offsets and skipped-run lengths per regime (k ≤ 255)
    const aSeg: usize = activeOrder + <usize>((b * nTracks + j) * block) * 2;
    const gSeg: usize = activeGaps + <usize>((b * nTracks + j) * block) * 2;
    let aOff: i32 = 0;
    for (let l: i32 = 0; l < k; l++) {
      store<i32>(aFill + (<usize>l << 2), aOff);
      store<i32>(runs + (<usize>l << 2), 0);
      aOff += load<i32>(aCnt + (<usize>(g0 + l) << 2));
    }
    for (let i: i32 = i0; i < i1; i++) {
      const l: u32 = load<u8>(lab + <usize>i);
      if (l != NO_REGIME) {
        const r: usize = runs + (<usize>l << 2);
        if (load<u8>(actBuf + <usize>(i - i0))) {
          // (an unconditional store here would land on the next regime's first entry)
          const af: usize = aFill + (<usize>l << 2);
          const aAt: i32 = load<i32>(af);
          store<u16>(aSeg + (<usize>aAt << 1), <u16>(i - i0));
          store<u16>(gSeg + (<usize>aAt << 1), <u16>load<i32>(r));
          store<i32>(af, aAt + 1);
          store<i32>(r, 0);
        } else {
          store<i32>(r, load<i32>(r) + 1);
        }
      }
    }
    for (let l: i32 = 0; l < k; l++) store<i32>(tl + (<usize>(g0 + l) << 2), load<i32>(runs + (<usize>l << 2)));
  }
}

/**
 * Trades and exposure of every weight set without counting them bar by bar: a return i is a trade
 * when pos(c1) ≠ pos(c0) and exposed when pos(c0) ≠ 0, with c0, c1 the combos of its bars
 * start+i and start+i+1, so per group they follow from its distinct (c0, c1) and their counts
 * (transitionCounts, once per pair). A skipped return (between two flat bars) is neither in any
 * set, so the listed returns are enough. Writes, for every group g in the order of `tracks`
 * (group 0 first), entries of four i32 (c0, c1, count, hash slot) at [first[g], first[g+1]) of
 * `entries` (first: groups + 1 i32); `hash` (hashSize i32, a power of two ≥ 2 × the largest
 * group's listed returns) is zero before and after. Returns the number of entries.
 */
export function replayTransitions(blocks: i32, tracks: usize, nTracks: i32, groups: i32, block: i32, ids: usize, active: usize,
  activeOrder: usize, activeCounts: usize, hash: usize, hashSize: i32, entries: usize, first: usize): i32 {
  const mask: u32 = <u32>hashSize - 1;
  let e: i32 = 0;
  counted = -1;
  store<i32>(first, 0);
  for (let b: i32 = 0; b < blocks; b++) {
    const act: usize = active + (<usize>(b * block) << 1);
    const c: i32 = load<i32>(activeCounts + (<usize>(b * groups) << 2));
    for (let m: i32 = 0; m < c; m++) e = addTransition(ids, b * block + <i32>load<u16>(act + (<usize>m << 1)), hash, mask, entries, e, counted);
  }
  clearSlots(hash, entries, 0, e);
  store<i32>(first + 4, e);
  for (let j: i32 = 0; j < nTracks; j++) {
    const tr: usize = tracks + <usize>j * 12;
    const k: i32 = load<i32>(tr + 4);
    const g0: i32 = load<i32>(tr + 8);
    for (let l: i32 = 0; l < k; l++) {
      const e0: i32 = e;
      counted = -1;
      for (let b: i32 = 0; b < blocks; b++) {
        const cnt: usize = activeCounts + (<usize>(b * groups + g0) << 2);
        let off: i32 = 0;
        for (let x: i32 = 0; x < l; x++) off += load<i32>(cnt + (<usize>x << 2));
        const seg: usize = activeOrder + (<usize>((b * nTracks + j) * block + off) << 1);
        const c: i32 = load<i32>(cnt + (<usize>l << 2));
        for (let m: i32 = 0; m < c; m++) e = addTransition(ids, b * block + <i32>load<u16>(seg + (<usize>m << 1)), hash, mask, entries, e, counted);
      }
      clearSlots(hash, entries, e0, e);
      store<i32>(first + (<usize>(g0 + l + 1) << 2), e);
    }
  }
  return e;
}

/** the entry addTransition counted last (a group's table is filled by one call at a time) */
let counted: i32 = -1;

/**
 * Counts return i's (combo of bar start+i, combo of bar start+i+1) in the group's table; returns
 * the new entry count. `last` (the entry counted before, −1 at a group's start) is tried first:
 * a combo holds for stretches of bars, so most returns repeat the previous (c, c).
 */
function addTransition(ids: usize, i: i32, hash: usize, mask: u32, entries: usize, e: i32, last: i32): i32 {
  const c0: u32 = load<u32>(ids + (<usize>i << 2));
  const c1: u32 = load<u32>(ids + (<usize>(i + 1) << 2));
  if (last >= 0) {
    const x: usize = entries + (<usize>last << 4);
    if (load<u32>(x) == c0 && load<u32>(x + 4) == c1) {
      store<i32>(x + 8, load<i32>(x + 8) + 1);
      return e;
    }
  }
  let slot: u32 = <u32>(((<u64>c0 << 32 | <u64>c1) * 0x9e3779b97f4a7c15) >>> 40) & mask;
  while (true) {
    const at: i32 = load<i32>(hash + (<usize>slot << 2)) - 1;
    if (at < 0) {
      const x: usize = entries + (<usize>e << 4);
      store<u32>(x, c0);
      store<u32>(x + 4, c1);
      store<i32>(x + 8, 1);
      store<u32>(x + 12, slot);
      store<i32>(hash + (<usize>slot << 2), e + 1);
      counted = e;
      return e + 1;
    }
    const x: usize = entries + (<usize>at << 4);
    if (load<u32>(x) == c0 && load<u32>(x + 4) == c1) {
      store<i32>(x + 8, load<i32>(x + 8) + 1);
      counted = at;
      return e;
    }
    slot = (slot + 1) & mask;
  }
  return e;
}

function clearSlots(hash: usize, entries: usize, e0: i32, e1: i32): void {
  for (let x: i32 = e0; x < e1; x++) store<i32>(hash + (<usize>load<u32>(entries + (<usize>x << 4) + 12) << 2), 0);
}

/**
 * One group's trades (low 32 bits) and exposed bars (high 32) per lane of a pair, from its
 * transition entries [e0, e1) and the pair's combo positions `pos`: the reference's
 * `pos[t] !== pos[t−1]` and `pos[t−1] !== 0` (f64x2.ne: NaN differs from everything, −0 = +0).
 */
function transitionCounts(entries: usize, e0: i32, e1: i32, pos: usize): v128 {
  const zero = f64x2.splat(0);
  let cnt = i64x2.splat(0);
  for (let x: i32 = e0; x < e1; x++) {
    const at: usize = entries + (<usize>x << 4);
    const a0 = v128.load(pos + (<usize>load<u32>(at) << 4));
    const a1 = v128.load(pos + (<usize>load<u32>(at + 4) << 4));
    const c: i64 = <i64>load<i32>(at + 8);
    cnt = i64x2.add(cnt, v128.or(v128.and(f64x2.ne(a1, a0), i64x2.splat(c)), v128.and(f64x2.ne(a0, zero), i64x2.splat(c << 32))));
  }
  return cnt;
}

/** Steps of replayStep, in the order the host calls them for each chunk of pairs. */
const BEGIN: i32 = 0;
const FIRST_PASS: i32 = 1;
const MEANS: i32 = 2;
const SECOND_PASS: i32 = 3;
const END: i32 = 4;

/**
 * Scores pairs p0..p1−1 of weight sets over [start, end), one step per call: BEGIN, FIRST_PASS of
 * every block b, MEANS, SECOND_PASS of every block b, END. (The host drives the loop so these
 * functions are called often: V8 tiers a wasm function up between calls, never inside one.)
 * `legTable` holds one i32 leg pointer per (regime, strategy) cell (0 = null leg), `weights` one
 * f64x2 per cell per pair (lane = weight set; p1 − p0 even: two pairs run together); ids/combos
 * from replayCombos; `pos` is (p1 − p0) × combos × v128 of scratch. `tracks` as in
 * evaluateWindow (labels pointer, regimes, first group; group 0 = the whole window); counts,
 * activeOrder, activeCounts, active, gaps, activeGaps and tails from replayOrder with the same
 * `block`; transitions/first from replayTransitions. `state` is nPairs × groups × replayStateBytes() of scratch, rbuf 2·`block`
 * v128 each, `out` receives 2·nPairs × groups × GROUP_BYTES.
 */
export function replayStep(step: i32, p0: i32, p1: i32, b: i32, ids: usize, combos: i32, comboK: usize, comboVals: usize, pos: usize,
  start: i32, end: i32, legs: i32, cells: i32, legTable: usize, weights: usize, R: usize, cost: f64, tracks: usize, nTracks: i32,
  groups: i32, counts: usize, activeOrder: usize, activeCounts: usize, active: usize, gaps: usize, activeGaps: usize, tails: usize, block: i32,
  state: usize, rbuf: usize, transitions: usize, first: usize, out: usize): void {
  const n: i32 = end - start - 1;
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  const pairBytes: usize = <usize>groups * STATE_BYTES;
  const i0: i32 = b * block;
  if (step == FIRST_PASS || step == SECOND_PASS) {
    for (let p: i32 = p0; p < p1; p += 2) {
      const st: usize = state + <usize>p * pairBytes;
      const pp: usize = pos + <usize>((p - p0) * combos) * 16;
      const act: usize = active + (<usize>(b * block) << 1);
      const nAct: i32 = load<i32>(activeCounts + (<usize>(b * groups) << 2));
      if (step == FIRST_PASS) {
        firstPassBlock(ids, pp, pp + <usize>combos * 16, R + (<usize>(start + 1) << 3), cost, i0, act, nAct, st, st + pairBytes, rbuf, block);
        groupsBlock(tracks, nTracks, groups, st, pairBytes, activeOrder, activeCounts, 0, 0, block, b, rbuf, false);
      } else {
        secondPassBlock(ids, pp, pp + <usize>combos * 16, R + (<usize>(start + 1) << 3), cost, i0, act, gaps + (<usize>(b * block) << 1), nAct,
          load<i32>(tails + (<usize>(b * groups) << 2)), st, st + pairBytes, rbuf, block);
        groupsBlock(tracks, nTracks, groups, st, pairBytes, activeOrder, activeCounts, activeGaps, tails, block, b, rbuf, true);
      }
    }
  } else if (step == BEGIN) {
    const blocks: i32 = (n + block - 1) / block;
    for (let p: i32 = p0; p < p1; p++) {
      const pp: usize = pos + <usize>((p - p0) * combos) * 16;
      comboPositions(combos, comboK, comboVals, legs, legTable, weights + <usize>(p * cells) * 16, pp);
      const st: usize = state + <usize>p * pairBytes;
      for (let g: i32 = 0; g < groups; g++) {
        const s: usize = st + <usize>g * STATE_BYTES;
        v128.store(s + SUM, zero);
        v128.store(s + DOWN_SQ, zero);
        v128.store(s + EQUITY, one);
        v128.store(s + PEAK, one);
        v128.store(s + TROUGH, one);
        v128.store(s + MAX_DD, zero);
        v128.store(s + COUNTS, transitionCounts(transitions, load<i32>(first + (<usize>g << 2)), load<i32>(first + (<usize>(g + 1) << 2)), pp));
        v128.store(s + Q, zero);
        let bars: i32 = 0;
        for (let k: i32 = 0; k < blocks; k++) bars += load<i32>(counts + (<usize>(k * groups + g) << 2));
        store<f64>(s + BARS, <f64>bars);
      }
    }
  } else if (step == MEANS) {
    for (let p: i32 = p0; p < p1; p++) {
      const st: usize = state + <usize>p * pairBytes;
      for (let g: i32 = 0; g < groups; g++) {
        const s: usize = st + <usize>g * STATE_BYTES;
        // the last stretch of every group ends here
        v128.store(s + MAX_DD, f64x2.pmax(v128.load(s + MAX_DD), f64x2.sub(one, f64x2.div(v128.load(s + TROUGH), v128.load(s + PEAK)))));
        const c: f64 = load<f64>(s + BARS);
        const mean: v128 = c > 0 ? f64x2.div(v128.load(s + SUM), f64x2.splat(c)) : zero;
        v128.store(s + MEAN, mean);
        // the second pass's term of a skipped return: (±0 − mean)² = mean·mean
        v128.store(s + SKIPPED, f64x2.mul(mean, mean));
      }
    }
  } else if (step == END) {
    for (let p: i32 = p0; p < p1; p++) {
      const st: usize = state + <usize>p * pairBytes;
      const o: usize = out + <usize>(2 * p * groups) * GROUP_BYTES;
      for (let g: i32 = 0; g < groups; g++) {
        const s: usize = st + <usize>g * STATE_BYTES;
        writeLane(s, 0, o + <usize>g * GROUP_BYTES);
        writeLane(s, 1, o + <usize>(groups + g) * GROUP_BYTES);
      }
    }
  }
}

/**
 * The listed returns of block b for two pairs (A, B: four weight sets, whose chains of operations
 * interleave) into rbuf (A at [0, block), B at [block, 2·block)), with the whole-window group
 * (group 0 of states sA, sB) updated in locals. (Trades and exposure come from replayTransitions.)
 * ret = p0·R − cost·|p1 − p0|, p0 the position of bar start+i (ids[i]), p1 of bar start+i+1;
 * R is offset to bar start+1.
 */
function firstPassBlock(ids: usize, posA: usize, posB: usize, R: usize, cost: f64, i0: i32, act: usize, nAct: i32, sA: usize, sB: usize,
  rbuf: usize, block: i32): void {
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  const costV = f64x2.splat(cost);
  const half: usize = <usize>block << 4;
  let sumA = v128.load(sA + SUM), downA = v128.load(sA + DOWN_SQ), eqA = v128.load(sA + EQUITY), pkA = v128.load(sA + PEAK);
  let trA = v128.load(sA + TROUGH), ddA = v128.load(sA + MAX_DD);
  let sumB = v128.load(sB + SUM), downB = v128.load(sB + DOWN_SQ), eqB = v128.load(sB + EQUITY), pkB = v128.load(sB + PEAK);
  let trB = v128.load(sB + TROUGH), ddB = v128.load(sB + MAX_DD);
  for (let m: i32 = 0; m < nAct; m++) {
    const off: i32 = <i32>load<u16>(act + (<usize>m << 1));
    const i: i32 = i0 + off;
    const id0: usize = <usize>load<u32>(ids + (<usize>i << 2)) << 4;
    const id: usize = <usize>load<u32>(ids + (<usize>(i + 1) << 2)) << 4;
    const Rv = f64x2.splat(load<f64>(R + (<usize>i << 3)));
    const at: usize = <usize>off << 4;
    const a0 = v128.load(posA + id0), a1 = v128.load(posA + id);
    const b0 = v128.load(posB + id0), b1 = v128.load(posB + id);
    const rA = f64x2.sub(f64x2.mul(a0, Rv), f64x2.mul(costV, f64x2.abs(f64x2.sub(a1, a0))));
    const rB = f64x2.sub(f64x2.mul(b0, Rv), f64x2.mul(costV, f64x2.abs(f64x2.sub(b1, b0))));
    v128.store(rbuf + at, rA);
    v128.store(rbuf + half + at, rB);
    sumA = f64x2.add(sumA, rA);
    sumB = f64x2.add(sumB, rB);
    downA = f64x2.add(downA, v128.and(f64x2.mul(rA, rA), f64x2.lt(rA, zero)));
    downB = f64x2.add(downB, v128.and(f64x2.mul(rB, rB), f64x2.lt(rB, zero)));
    eqA = f64x2.mul(eqA, f64x2.add(one, rA));
    eqB = f64x2.mul(eqB, f64x2.add(one, rB));
    const upA = f64x2.gt(eqA, pkA);
    const upB = f64x2.gt(eqB, pkB);
    if (v128.any_true(v128.or(upA, upB))) {
      ddA = v128.bitselect(f64x2.pmax(ddA, f64x2.sub(one, f64x2.div(trA, pkA))), ddA, upA);
      pkA = v128.bitselect(eqA, pkA, upA);
      trA = v128.bitselect(eqA, trA, upA);
      ddB = v128.bitselect(f64x2.pmax(ddB, f64x2.sub(one, f64x2.div(trB, pkB))), ddB, upB);
      pkB = v128.bitselect(eqB, pkB, upB);
      trB = v128.bitselect(eqB, trB, upB);
    }
    trA = f64x2.pmin(trA, eqA);
    trB = f64x2.pmin(trB, eqB);
  }
  v128.store(sA + SUM, sumA); v128.store(sA + DOWN_SQ, downA); v128.store(sA + EQUITY, eqA); v128.store(sA + PEAK, pkA);
  v128.store(sA + TROUGH, trA); v128.store(sA + MAX_DD, ddA);
  v128.store(sB + SUM, sumB); v128.store(sB + DOWN_SQ, downB); v128.store(sB + EQUITY, eqB); v128.store(sB + PEAK, pkB);
  v128.store(sB + TROUGH, trB); v128.store(sB + MAX_DD, ddB);
}

/**
 * The listed returns of the block for two pairs again (the sd's second pass), into rbuf, with
 * Σ (r − mean)² of group 0: gaps[m] skipped returns (each adding mean·mean) before listed return
 * m, `tail` after the last.
 */
function secondPassBlock(ids: usize, posA: usize, posB: usize, R: usize, cost: f64, i0: i32, act: usize, gaps: usize, nAct: i32, tail: i32,
  sA: usize, sB: usize, rbuf: usize, block: i32): void {
  const costV = f64x2.splat(cost);
  const half: usize = <usize>block << 4;
  const meanA = v128.load(sA + MEAN), meanB = v128.load(sB + MEAN);
  const cA = v128.load(sA + SKIPPED), cB = v128.load(sB + SKIPPED);
  let qA = v128.load(sA + Q), qB = v128.load(sB + Q);
  for (let m: i32 = 0; m < nAct; m++) {
    const off: i32 = <i32>load<u16>(act + (<usize>m << 1));
    const gap: i32 = <i32>load<u16>(gaps + (<usize>m << 1));
    if (gap) {
      qA = addRepeated(qA, cA, gap);
      qB = addRepeated(qB, cB, gap);
    }
    const i: i32 = i0 + off;
    const id0: usize = <usize>load<u32>(ids + (<usize>i << 2)) << 4;
    const id: usize = <usize>load<u32>(ids + (<usize>(i + 1) << 2)) << 4;
    const Rv = f64x2.splat(load<f64>(R + (<usize>i << 3)));
    const at: usize = <usize>off << 4;
    const a0 = v128.load(posA + id0), a1 = v128.load(posA + id);
    const b0 = v128.load(posB + id0), b1 = v128.load(posB + id);
    const rA = f64x2.sub(f64x2.mul(a0, Rv), f64x2.mul(costV, f64x2.abs(f64x2.sub(a1, a0))));
    const rB = f64x2.sub(f64x2.mul(b0, Rv), f64x2.mul(costV, f64x2.abs(f64x2.sub(b1, b0))));
    v128.store(rbuf + at, rA);
    v128.store(rbuf + half + at, rB);
    const dA = f64x2.sub(rA, meanA);
    const dB = f64x2.sub(rB, meanB);
    qA = f64x2.add(qA, f64x2.mul(dA, dA));
    qB = f64x2.add(qB, f64x2.mul(dB, dB));
  }
  if (tail) {
    qA = addRepeated(qA, cA, tail);
    qB = addRepeated(qB, cB, tail);
  }
  v128.store(sA + Q, qA);
  v128.store(sB + Q, qB);
}

/** Runs shorter than this are added one by one (a few dependent adds cost less than the checks). */
const SHORT_RUN: i32 = 8;
const EXPONENT: u64 = 0x7ff0000000000000;
const EXPONENT_ONE: u64 = 0x0010000000000000;
/** the exponent field of 2^1022: a binade whose top 2^1024 is not a double falls back to adding */
const EXPONENT_TOP: u64 = 0x7fd0000000000000;

/**
 * q + c + c + … (L additions, left to right, round to nearest even), per lane, exactly, for
 * q ≥ +0 or NaN and c = mean·mean (≥ +0 or NaN) — Σ (r − mean)² never holds −0. Why O(1) is exact:
 * while an exact sum q_i + c stays below B = 2^(e+1), the top of q's binade [2^e, B) with spacing
 * u = 2^(e−52), it is rounded to a multiple of u: q_{i+1} = q_i + RN(c/u)·u whenever c/u is not a
 * half-integer (the same increment every step). When it is one, every step is a tie, rounded to an
 * even multiple of u; from an even q_i that is q_i + j·u (j even) or q_i + (j+1)·u (j odd) with
 * j = ⌊c/u⌋, again the same increment every step. So after q1 = q + c (which sets the binade)
 * and q2 = q1 + c (a step in it, whose result is even if it was a tie), every further step in the
 * binade adds δ = q3 − q2, and q_L = q2 + (L−2)·δ provided the last step's exact sum
 * q_{L−1} + c = q2 + (L−3)·δ + c is below B. That check and the products are exact: q2, q3, B are
 * multiples of u in [B/2, B], so B − q2 and δ are exact, (L−3)·δ < B/2 when the check holds
 * (a rounded product that is not exact is ≥ B and fails it), and q2 + (L−2)·δ = q_L ≤ B is a
 * multiple of u. Lanes where it does not hold (q1 zero, subnormal, in the top binade, ∞ or NaN;
 * a run that crosses into the next binade, which happens a few dozen times per group since q only
 * grows) add one by one; c = +0 leaves q as it is (q + 0 = q for q ≠ −0).
 */
// @ts-ignore: decorator
@inline function addRepeated(q: v128, c: v128, L: i32): v128 {
  if (L < SHORT_RUN) {
    for (let j: i32 = 0; j < L; j++) q = f64x2.add(q, c);
    return q;
  }
  const q1 = f64x2.add(q, c);
  const q2 = f64x2.add(q1, c);
  const delta = f64x2.sub(f64x2.add(q2, c), q2);
  const e = v128.and(q1, i64x2.splat(EXPONENT));
  const top = i64x2.add(e, i64x2.splat(EXPONENT_ONE));
  const room = f64x2.sub(f64x2.sub(top, q2), f64x2.mul(f64x2.splat(<f64>(L - 3)), delta));
  const normal = v128.and(i64x2.ne(e, i64x2.splat(0)), i64x2.le_s(e, i64x2.splat(EXPONENT_TOP)));
  const zero = f64x2.eq(c, f64x2.splat(0));
  const bulk = f64x2.add(q2, f64x2.mul(f64x2.splat(<f64>(L - 2)), delta));
  if (i64x2.all_true(v128.or(v128.and(normal, f64x2.lt(c, room)), zero))) return v128.bitselect(q, bulk, zero);
  return f64x2.replace_lane(f64x2.replace_lane(q, 0, addOneByOne(f64x2.extract_lane(q, 0), f64x2.extract_lane(c, 0), L)), 1,
    addOneByOne(f64x2.extract_lane(q, 1), f64x2.extract_lane(c, 1), L));
}

function addOneByOne(q: f64, c: f64, L: i32): f64 {
  for (let j: i32 = 0; j < L; j++) q += c;
  return q;
}

/** Exported for the tests: addRepeated of lanes (q0, c0) and (q1, c1), written to out[0..1]. */
export function replayAddRepeated(q0: f64, q1: f64, c0: f64, c1: f64, L: i32, out: usize): void {
  v128.store(out, addRepeated(f64x2.replace_lane(f64x2.splat(q0), 1, q1), f64x2.replace_lane(f64x2.splat(c0), 1, c1), L));
}

/** Every regime group of every track, for two pairs (states st, st + pairBytes), over its returns in block b (time order). */
function groupsBlock(tracks: usize, nTracks: i32, groups: i32, st: usize, pairBytes: usize, order: usize, counts: usize, gaps: usize, tails: usize,
  block: i32, b: i32, rbuf: usize, second: bool): void {
  const cnt: usize = counts + <usize>(b * groups) * 4;
  const tl: usize = tails + <usize>(b * groups) * 4;
  const half: usize = <usize>block << 4;
  for (let j: i32 = 0; j < nTracks; j++) {
    const tr: usize = tracks + <usize>j * 12;
    const k: i32 = load<i32>(tr + 4);
    const g0: i32 = load<i32>(tr + 8);
    let seg: usize = order + <usize>((b * nTracks + j) * block) * 2;
    let gSeg: usize = gaps + <usize>((b * nTracks + j) * block) * 2;
    for (let l: i32 = 0; l < k; l++) {
      const c: i32 = load<i32>(cnt + (<usize>(g0 + l) << 2));
      const s: usize = st + <usize>(g0 + l) * STATE_BYTES;
      if (second) {
        const tail: i32 = load<i32>(tl + (<usize>(g0 + l) << 2));
        if (c > 0 || tail > 0) groupSquares(s, s + pairBytes, seg, gSeg, c, tail, rbuf, half);
      } else if (c > 0) {
        groupStats(s, s + pairBytes, seg, c, rbuf, half);
      }
      seg += <usize>c << 1;
      gSeg += <usize>c << 1;
    }
  }
}

function groupStats(sA: usize, sB: usize, seg: usize, c: i32, rbuf: usize, half: usize): void {
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  let sumA = v128.load(sA + SUM), downA = v128.load(sA + DOWN_SQ), eqA = v128.load(sA + EQUITY), pkA = v128.load(sA + PEAK);
  let trA = v128.load(sA + TROUGH);
  let sumB = v128.load(sB + SUM), downB = v128.load(sB + DOWN_SQ), eqB = v128.load(sB + EQUITY), pkB = v128.load(sB + PEAK);
  let trB = v128.load(sB + TROUGH);
  for (let m: i32 = 0; m < c; m++) {
    const at: usize = <usize>load<u16>(seg + (<usize>m << 1)) << 4;
    const rA = v128.load(rbuf + at);
    const rB = v128.load(rbuf + half + at);
    sumA = f64x2.add(sumA, rA);
    sumB = f64x2.add(sumB, rB);
    downA = f64x2.add(downA, v128.and(f64x2.mul(rA, rA), f64x2.lt(rA, zero)));
    downB = f64x2.add(downB, v128.and(f64x2.mul(rB, rB), f64x2.lt(rB, zero)));
    eqA = f64x2.mul(eqA, f64x2.add(one, rA));
    eqB = f64x2.mul(eqB, f64x2.add(one, rB));
    const upA = f64x2.gt(eqA, pkA);
    const upB = f64x2.gt(eqB, pkB);
    if (v128.any_true(v128.or(upA, upB))) {
      // the stretch below the old peak ends: its largest drawdown is at its trough (see the top)
      const ddA = v128.load(sA + MAX_DD), ddB = v128.load(sB + MAX_DD);
      v128.store(sA + MAX_DD, v128.bitselect(f64x2.pmax(ddA, f64x2.sub(one, f64x2.div(trA, pkA))), ddA, upA));
      v128.store(sB + MAX_DD, v128.bitselect(f64x2.pmax(ddB, f64x2.sub(one, f64x2.div(trB, pkB))), ddB, upB));
      pkA = v128.bitselect(eqA, pkA, upA);
      trA = v128.bitselect(eqA, trA, upA);
      pkB = v128.bitselect(eqB, pkB, upB);
      trB = v128.bitselect(eqB, trB, upB);
    }
    trA = f64x2.pmin(trA, eqA);
    trB = f64x2.pmin(trB, eqB);
  }
  v128.store(sA + SUM, sumA); v128.store(sA + DOWN_SQ, downA); v128.store(sA + EQUITY, eqA); v128.store(sA + PEAK, pkA);
  v128.store(sA + TROUGH, trA);
  v128.store(sB + SUM, sumB); v128.store(sB + DOWN_SQ, downB); v128.store(sB + EQUITY, eqB); v128.store(sB + PEAK, pkB);
  v128.store(sB + TROUGH, trB);
}

function groupSquares(sA: usize, sB: usize, seg: usize, gaps: usize, c: i32, tail: i32, rbuf: usize, half: usize): void {
  const meanA = v128.load(sA + MEAN), meanB = v128.load(sB + MEAN);
  const cA = v128.load(sA + SKIPPED), cB = v128.load(sB + SKIPPED);
  let qA = v128.load(sA + Q), qB = v128.load(sB + Q);
  for (let m: i32 = 0; m < c; m++) {
    const gap: i32 = <i32>load<u16>(gaps + (<usize>m << 1));
    if (gap) {
      qA = addRepeated(qA, cA, gap);
      qB = addRepeated(qB, cB, gap);
    }
    const at: usize = <usize>load<u16>(seg + (<usize>m << 1)) << 4;
    const dA = f64x2.sub(v128.load(rbuf + at), meanA);
    const dB = f64x2.sub(v128.load(rbuf + half + at), meanB);
    qA = f64x2.add(qA, f64x2.mul(dA, dA));
    qB = f64x2.add(qB, f64x2.mul(dB, dB));
  }
  if (tail) {
    qA = addRepeated(qA, cA, tail);
    qB = addRepeated(qB, cB, tail);
  }
  v128.store(sA + Q, qA);
  v128.store(sB + Q, qB);
}

// @ts-ignore: decorator
@inline function lane(s: usize, field: usize, l: i32): f64 {
  return load<f64>(s + field + (<usize>l << 3));
}

/** One lane's statistics in the layout of assembly/evaluate.ts. */
function writeLane(s: usize, l: i32, o: usize): void {
  const c: f64 = load<f64>(s + BARS);
  const counts: i64 = load<i64>(s + COUNTS + (<usize>l << 3));
  const downSq = lane(s, DOWN_SQ, l);
  store<f64>(o, lane(s, SUM, l));
  store<f64>(o + 8, downSq);
  store<f64>(o + 16, lane(s, EQUITY, l));
  store<f64>(o + 24, lane(s, PEAK, l));
  store<f64>(o + 32, lane(s, MAX_DD, l));
  store<f64>(o + 40, c);
  store<f64>(o + 48, <f64>(counts & 0xffffffff));
  store<f64>(o + 56, <f64>(counts >>> 32));
  store<f64>(o + 64, lane(s, Q, l));
  store<f64>(o + 72, lane(s, MEAN, l));
  store<f64>(o + 80, c >= 2 ? Math.sqrt(lane(s, Q, l) / (c - 1)) : 0.0);
  store<f64>(o + 88, c > 0 ? Math.sqrt(downSq / c) : 0.0);
}

/** out[l] (256 i32) = the first t in [from, to) with labels[t] = l, −1 when there is none: label checks without a JavaScript loop over the bars. */
export function labelFirstBars(labels: usize, from: i32, to: i32, out: usize): void {
  for (let l: i32 = 0; l < 256; l++) store<i32>(out + (<usize>l << 2), -1);
  for (let t: i32 = from; t < to; t++) {
    const at: usize = out + (<usize>load<u8>(labels + <usize>t) << 2);
    if (load<i32>(at) < 0) store<i32>(at, t);
  }
}
