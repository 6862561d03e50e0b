import { regimenError } from '@regimen/core';
import type { WasmMemory } from './webassembly-api.js';

/**
 * Memory plan of the sma-cross kernel: the market region (prices and their bar returns, copied
 * once) and per-slot scratch for one batch of trials. Offsets are bytes into one shared memory.
 */

/** Result row per trial: total_return, sharpe, max_drawdown, trades. */
export const SMA_CROSS_ROW = 4;
/** Bars per time block: the SMA block table (windows × block f64) and trial state stay in L2. */
export const DEFAULT_BLOCK = 2048;
/** Page 0 stays unused so a null pointer never aliases data. */
const MARKET_BASE = 65536;

const align = (x: number, to = 64) => Math.ceil(x / to) * to;

/** Trials as (fast, slow) pairs in grid order k = fastIndex·|slow| + slowIndex. */
export function smaCrossGrid(fast: readonly number[], slow: readonly number[]): Int32Array {
  const trials = new Int32Array(fast.length * slow.length * 2);
  let k = 0;
  for (const f of fast) {
    for (const s of slow) {
      if (!Number.isInteger(f) || !Number.isInteger(s) || f < 1 || s < 1) {
        throw regimenError({ code: 'config', field: 'window', value: [f, s], message: 'SMA windows must be positive integers' });
      }
      trials[k++] = f;
      trials[k++] = s;
    }
  }
  return trials;
}

/** The standard benchmark grid: fast ∈ {2,4,…,100} × slow ∈ {10,20,…,500}, 2,500 trials. */
export function standardSmaCrossGrid(): Int32Array {
  const fast = Array.from({ length: 50 }, (_, i) => 2 * (i + 1));
  const slow = Array.from({ length: 50 }, (_, i) => 10 * (i + 1));
  return smaCrossGrid(fast, slow);
}

export interface MarketRegion {
  bars: number;
  prices: number;
  returns: number;
  /** first free byte after the region */
  end: number;
}

export function marketRegionBytes(bars: number): number {
  return MARKET_BASE + 2 * align(bars * 8);
}

/** Copies the prices once and stores R[t] = p[t]/p[t−1] − 1 (R[0] = 0), shared by every trial. */
export function writeMarket(memory: WasmMemory, prices: Float64Array): MarketRegion {
  const bars = prices.length;
  if (bars < 2) throw regimenError({ code: 'data', field: 'close', value: bars, message: 'need at least 2 bars' });
  const region: MarketRegion = { bars, prices: MARKET_BASE, returns: MARKET_BASE + align(bars * 8), end: marketRegionBytes(bars) };
  const p = new Float64Array(memory.buffer, region.prices, bars);
  const r = new Float64Array(memory.buffer, region.returns, bars);
  p.set(prices);
  r[0] = 0;
  for (let t = 1; t < bars; t++) r[t] = p[t] / p[t - 1] - 1;
  return region;
}

/** One batch: trials [first, first + count) of the grid, their distinct windows and lane indices. */
export interface BatchPlan {
  first: number;
  count: number;
  windows: Int32Array;
  /** (fast, slow) window indices per lane; lanes padded to a multiple of 4 with the last trial */
  lanes: Int32Array;
}

export function planBatch(trials: Int32Array, first: number, count: number): BatchPlan {
  const index = new Map<number, number>();
  const windows: number[] = [];
  const slot = (w: number) => {
    let i = index.get(w);
    if (i === undefined) {
      i = windows.length;
      index.set(w, i);
      windows.push(w);
    }
    return i;
  };
  const nLanes = Math.ceil(count / 4) * 4;
  const lanes = new Int32Array(nLanes * 2);
  for (let i = 0; i < nLanes; i++) {
    const k = first + Math.min(i, count - 1);
    lanes[2 * i] = slot(trials[2 * k]);
    lanes[2 * i + 1] = slot(trials[2 * k + 1]);
  }
  return { first, count, windows: Int32Array.from(windows), lanes };
}

/** Splits the grid into `batches` contiguous batches of near-equal size (none empty). */
export function planBatches(trials: Int32Array, batches: number): BatchPlan[] {
  const total = trials.length / 2;
  const b = Math.max(1, Math.min(batches, total));
  const plans: BatchPlan[] = [];
  for (let i = 0; i < b; i++) {
    const first = Math.floor((i * total) / b);
    const end = Math.floor(((i + 1) * total) / b);
    plans.push(planBatch(trials, first, end - first));
  }
  return plans;
}

export interface SlotLayout {
  windows: number;
  lanes: number;
  sums: number;
  table: number;
  state: number;
  out: number;
  end: number;
}

export function slotLayout(at: number, nWindows: number, nLanes: number, block: number): SlotLayout {
  const windows = align(at);
  const lanes = align(windows + nWindows * 4);
  const sums = align(lanes + nLanes * 8);
  const table = align(sums + nWindows * 8);
  const state = align(table + nWindows * block * 8);
  const out = align(state + (nLanes / 2) * 128);
  const end = align(out + nLanes * SMA_CROSS_ROW * 8);
  return { windows, lanes, sums, table, state, out, end };
}

/** Writes a batch's windows and lanes into its slot; returns the arguments of `smaCrossBatch`. */
export function stageBatch(memory: WasmMemory, market: MarketRegion, slot: SlotLayout, plan: BatchPlan,
  fee: number, block: number): number[] {
  new Int32Array(memory.buffer, slot.windows, plan.windows.length).set(plan.windows);
  new Int32Array(memory.buffer, slot.lanes, plan.lanes.length).set(plan.lanes);
  return [market.prices, market.returns, market.bars, slot.windows, plan.windows.length, slot.lanes, plan.lanes.length / 2,
    fee, block, slot.sums, slot.table, slot.state, slot.out];
}
