import { NO_REGIME, type ReplayBatch, type ReplayRow } from '@regimen/core';
import type { KernelArena } from './kernel-arena.js';
import { checkBreakdownTrack, type KernelData } from './kernel-data.js';
import { GROUP_F64, groupBreakdown, groupCount, groupMetrics, writeTrackTable } from './kernel-metrics.js';

const align = (x: number) => Math.ceil(x / 64) * 64;
/** distinct (regime, leg positions) inputs tabulated per batch; more → one per bar */
const MAX_COMBOS = 4096;
const HASH_SLOTS = 2 * MAX_COMBOS;
/** returns per time block: the block's returns and increments (2 × 16 B each) stay in L1/L2 */
const BLOCK = 2048;
/** the combined-position tables of the pairs scored together */
const POS_BYTES = 4 << 20;

/** assembly/replay.ts replayStep steps */
const STEP = { begin: 0, firstPass: 1, means: 2, secondPass: 3, end: 4 } as const;

/** Consecutive 64-byte aligned offsets; layout()(0) is the total. */
function layout(): (bytes: number) => number {
  let top = 0;
  return (bytes) => {
    const at = top;
    top = align(top + bytes);
    return at;
  };
}

/**
 * Scores every weight set of a checked replay batch (labels cover the window, every label in it
 * has weights in every set) with the fused kernel (assembly/replay.ts), four sets per pass over
 * the bars. `legPtr[s][k]` is the kernel pointer of leg s in regime k (0 = null leg), `labels`
 * the kernel pointer of the selecting track's labels. The tables are laid out once per batch.
 */
export function scoreWeightSets(arena: KernelArena, data: KernelData, batch: ReplayBatch, legPtr: number[][], labels: number): ReplayRow[] {
  const { window, breakdown: tracks, weightSets } = batch;
  const { start, end } = window;
  const sets = weightSets.length;
  if (sets === 0) return [];
  const legs = batch.legs.length;
  const regimes = weightSets.reduce((m, w) => Math.max(m, w.length), 1);
  const cells = regimes * legs;
  // two pairs (four sets) run together in the kernel, so the lanes are padded to a multiple of 4
  const pairs = 2 * Math.ceil(sets / 4);
  const groups = groupCount(tracks);
  const stateBytes = arena.kernel.replayStateBytes();
  const bars = end - start - 1;

  const span = end - start;
  const blocks = Math.ceil(bars / BLOCK);
  // the bump region of scratch lane 1: every pointer is taken before any view is made, since
  // labels() and scratch() may grow the memory (which never moves what is already there)
  const lay = layout();
  const tableAt = lay(cells * 4);
  const weightsAt = lay(pairs * cells * 16);
  const tracksAt = lay(tracks.length * 12);
  const stateAt = lay(pairs * groups * stateBytes);
  const outAt = lay(2 * pairs * groups * GROUP_F64 * 8);
  const idsAt = lay(span * 4);
  const countsAt = lay(blocks * groups * 4);
  const activeOrderAt = lay(blocks * tracks.length * BLOCK * 2);
  const activeCountsAt = lay(blocks * groups * 4);
  const activeAt = lay(blocks * BLOCK * 2);
  const gapsAt = lay(blocks * BLOCK * 2);
  const activeGapsAt = lay(blocks * tracks.length * BLOCK * 2);
  const tailsAt = lay(blocks * groups * 4);
  const bufAt = lay(2 * BLOCK * 16);
  const firstAt = lay((groups + 1) * 4);
  const fillAt = lay(3072 + BLOCK);
  const hashAt = lay(HASH_SLOTS * 4);
  const comboKAt = lay(MAX_COMBOS * 4);
  const comboValsAt = lay(MAX_COMBOS * legs * 8);
  const base = data.scratch(lay(0), 1);
  const trackLabels = tracks.map((t) => {
    // checkBreakdownTrack's checks, the label scan in the kernel (it throws the reference's error)
    if (t.labels.length < end) checkBreakdownTrack(t, start, end);
    const at = data.labels(t);
    const first = firstBars(arena, at, start, end - 1, base + fillAt);
    for (let l = t.names.length; l < NO_REGIME; l++) if (first[l] !== -1) checkBreakdownTrack(t, start, end);
    return at;
  });

  const table = new Int32Array(cells);
  for (let k = 0; k < regimes; k++) for (let s = 0; s < legs; s++) table[k * legs + s] = legPtr[s]![k] ?? 0;
  arena.i32(base + tableAt, cells).set(table);
  let combos = arena.kernel.replayCombos(labels, start, end, legs, base + tableAt, base + idsAt, base + comboKAt, base + comboValsAt,
    base + hashAt, HASH_SLOTS, MAX_COMBOS);
  let comboK = base + comboKAt;
  let comboVals = base + comboValsAt;
  let perBar = 0;
  if (combos < 0) {
    // positions that take many distinct values: every bar its own combo
    perBar = span + 1;
    combos = perBar;
  }
  // combined positions of `chunk` pairs at a time, within POS_BYTES (at least two pairs)
  const chunk = 2 * Math.max(1, Math.min(pairs / 2, Math.floor(POS_BYTES / (combos * 32))));
  const extra = data.scratch(align(perBar * 4) + align(perBar * legs * 8) + align(chunk * combos * 16) + combos, 0);
  const pos = extra + align(perBar * 4) + align(perBar * legs * 8);
  const flatAt = pos + align(chunk * combos * 16);
  if (perBar > 0) {
    comboK = extra;
    comboVals = extra + align(perBar * 4);
    arena.kernel.replayBarCombos(labels, start, end, legs, base + tableAt, base + idsAt, comboK, comboVals);
  }
  // weights: per pair, per cell, lane 0 = set 2p, lane 1 = set 2p+1; lanes past the last set
  // repeat it (their rows are dropped). A set without weights for regime k has none of its bars
  // in the window (checked), so 0 fills it.
  const weights = arena.f64(base + weightsAt, pairs * cells * 2);
  weights.fill(0);
  for (let lane = 0; lane < 2 * pairs; lane++) {
    const w = weightSets[Math.min(lane, sets - 1)]!;
    const p = lane >> 1;
    for (let k = 0; k < w.length; k++) {
      for (let s = 0; s < legs; s++) weights[(p * cells + k * legs + s) * 2 + (lane & 1)] = w[k]![s]!;
    }
  }
  writeTrackTable(arena.i32(base + tracksAt, tracks.length * 3), tracks, trackLabels);

  const k = arena.kernel;
  const flat = arena.u8(flatAt, combos);
  flat.fill(0);
  if (skipsFlatBars(batch, data.returns, arena)) {
    // combos whose legs are all ±0 (or NO_REGIME) combine to +0 under any finite weights
    const kOf = arena.i32(comboK, combos);
    const vals = arena.f64(comboVals, combos * legs);
    for (let c = 0; c < combos; c++) {
      let zero = true;
      for (let s = 0; s < legs && zero; s++) zero = vals[c * legs + s] === 0;
      flat[c] = kOf[c] === NO_REGIME || zero ? 1 : 0;
    }
  }
  for (let b = 0; b < blocks; b++) {
    k.replayOrder(b, base + tracksAt, tracks.length, groups, start, end, BLOCK, base + countsAt, base + activeOrderAt, base + activeCountsAt,
      base + activeAt, base + gapsAt, base + activeGapsAt, base + tailsAt, base + idsAt, flatAt, base + fillAt, base + fillAt + 3072);
  }
  // trades and exposure from each group's distinct (combo, next combo) of its listed returns
  const listed = arena.i32(base + activeCountsAt, blocks * groups);
  const perGroup = new Array<number>(groups).fill(0);
  for (let i = 0; i < listed.length; i++) perGroup[i % groups]! += listed[i]!;
  const hashSlots = 2 ** Math.ceil(Math.log2(2 * Math.max(1, ...perGroup)));
  const entriesBytes = align(perGroup.reduce((a, b) => a + b, 0) * 16);
  const transitions = data.scratch(entriesBytes + hashSlots * 4, 2);
  arena.u8(transitions + entriesBytes, hashSlots * 4).fill(0);
  k.replayTransitions(blocks, base + tracksAt, tracks.length, groups, BLOCK, base + idsAt, base + activeAt, base + activeOrderAt, base + activeCountsAt,
    transitions + entriesBytes, hashSlots, transitions, base + firstAt);
  const cost = batch.costs.fee + batch.costs.slippage;
  for (let p0 = 0; p0 < pairs; p0 += chunk) {
    const p1 = Math.min(pairs, p0 + chunk);
    const step = (s: number, b: number) => k.replayStep(s, p0, p1, b, base + idsAt, combos, comboK, comboVals, pos, start, end, legs, cells,
      base + tableAt, base + weightsAt, data.returns, cost, base + tracksAt, tracks.length, groups, base + countsAt, base + activeOrderAt,
      base + activeCountsAt, base + activeAt, base + gapsAt, base + activeGapsAt, base + tailsAt, BLOCK, base + stateAt, base + bufAt,
      transitions, base + firstAt, base + outAt);
    step(STEP.begin, 0);
    for (let b = 0; b < blocks; b++) step(STEP.firstPass, b);
    step(STEP.means, 0);
    for (let b = 0; b < blocks; b++) step(STEP.secondPass, b);
    step(STEP.end, 0);
  }
  const stride = groups * GROUP_F64;
  const out = arena.f64(base + outAt, sets * stride).slice();

  const rows: ReplayRow[] = [];
  for (let i = 0; i < sets; i++) {
    const s = out.subarray(i * stride, (i + 1) * stride);
    rows.push({ metrics: groupMetrics(s, 0, batch.barsPerYear), regimes: groupBreakdown(s, tracks, batch.barsPerYear) });
  }
  return rows;
}

/**
 * A return between two bars of position +0 is 0·R − cost·0 = ±0, which leaves every statistic of
 * the first pass as it is (sums are never −0, the equity is multiplied by 1, no trade, not
 * exposed) and adds (±0 − mean)² = mean·mean in the second, which the kernel adds per run of such
 * returns (assembly/replay.ts addRepeated) — provided R is finite in the window (0·∞ is NaN), the
 * weights are finite (so legs of ±0 combine to +0) and the cost is finite.
 */
function skipsFlatBars(batch: ReplayBatch, returns: number, arena: KernelArena): boolean {
  const { start, end } = batch.window;
  if (!Number.isFinite(batch.costs.fee + batch.costs.slippage)) return false;
  for (const w of batch.weightSets) for (const row of w) for (const x of row) if (!Number.isFinite(x)) return false;
  const R = arena.f64(returns + (start + 1) * 8, Math.max(0, end - start - 1));
  for (let i = 0; i < R.length; i++) if (!Number.isFinite(R[i]!)) return false;
  return true;
}

/** For each label value, its first bar in [from, to) of the kernel labels at `labels`, or −1 (1 KiB of scratch at `scratch`). */
export function firstBars(arena: KernelArena, labels: number, from: number, to: number, scratch: number): Int32Array {
  arena.kernel.labelFirstBars(labels, from, Math.max(from, to), scratch);
  return arena.i32(scratch, 256).slice();
}
