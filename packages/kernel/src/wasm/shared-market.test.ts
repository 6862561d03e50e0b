import { describe, expect, it } from 'vitest';
import { NO_REGIME, createRng, type BarColumns, type RegimeTrack, type TrialSpec } from '@regimen/core';
import { referenceEngine } from '../reference/engine.js';
import { marketBytesCopied } from './kernel-data.js';
import { randomWalk } from './random-walk.js';
import { shareMarket } from './shared-market.js';
import { createSharedWasmEngine } from './wasm-engine.js';

/**
 * Engines over one shared market memory (what each pool worker builds) read the data in place:
 * no bytes copied, scratch in disjoint chunks of the same memory, rows equal to the reference.
 */
function data(bars: number, seed: number): { bars: BarColumns; regimes: RegimeTrack[] } {
  const rng = createRng(seed);
  const close = randomWalk(bars, seed);
  const high = close.map((c) => c * (1 + 0.004 * Math.abs(rng.normal())));
  const low = close.map((c) => c * (1 - 0.004 * Math.abs(rng.normal())));
  const labels = new Uint8Array(bars);
  for (let t = 0; t < bars; t++) labels[t] = t < 30 ? NO_REGIME : close[t]! > close[t - 30]! ? 0 : 1;
  return { bars: { time: close.map((_, i) => i), open: close, high, low, close }, regimes: [{ classifier: 'c', names: ['up', 'down'], labels }] };
}

const trials: TrialSpec[] = [
  { trial_id: 'm', strategy: 's', type: 'momentum', params: { lookback: 10, threshold: 0.01, side: 'long_short' } },
  { trial_id: 'r', strategy: 's', type: 'mean_reversion', params: { lookback: 20, threshold: 0.02 } },
  { trial_id: 'x', strategy: 's', type: 'sma_crossover', params: { fast: 5, slow: 40 } },
  { trial_id: 'b', strategy: 's', type: 'breakout', params: { lookback: 25, side: 'long_short' } },
  { trial_id: 'i', strategy: 's', type: 'rsi', params: { period: 9 } },
];

describe('shared market', () => {
  it('two engines on one shared memory read it in place, scratch apart, and equal the reference', () => {
    const d = data(2000, 3);
    const market = shareMarket(d.bars, d.regimes);
    const a = createSharedWasmEngine(market);
    const b = createSharedWasmEngine(market);
    // the views are of the shared memory, not copies
    expect(a.bars.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(a.bars.high)).toEqual(Array.from(d.bars.high));
    expect(Array.from(b.regimes[0]!.labels)).toEqual(Array.from(d.regimes[0]!.labels));
    const heap = () => new Uint32Array(market.memory.buffer, market.header, 1)[0]!;
    const before = marketBytesCopied();
    const batch = (w: { bars: BarColumns; regimes: RegimeTrack[] }, start: number) =>
      ({ bars: w.bars, regimes: w.regimes, window: { start, end: w.bars.close.length }, trials, costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252, captureSignals: true });
    // interleaved: b's scratch must not clobber a's
    for (const start of [0, 300]) {
      const ra = a.engine.runTrials(batch(a, start));
      const rb = b.engine.runTrials(batch(b, start));
      const want = referenceEngine.runTrials(batch(d, start));
      expect(ra).toEqual(want);
      expect(rb).toEqual(want);
      expect(want.every((r) => r.metrics.trades > 5)).toBe(true);
    }
    expect(marketBytesCopied()).toBe(before);
    // each engine claimed its own chunk past the data
    expect(heap()).toBeGreaterThanOrEqual(market.end + 2 * (16 << 20));
    // the same engine given other arrays copies them as before
    const other = data(500, 4);
    expect(a.engine.runTrials(batch(other, 0))).toEqual(referenceEngine.runTrials(batch(other, 0)));
    expect(marketBytesCopied()).toBeGreaterThan(before);
  });
});
