import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NO_REGIME, type RegimeTrack, type ReplayBatch, type TrialSpec } from '@regimen/core';
import { loadMarketData } from '@regimen/data';
import { loadEngine } from './engines.js';

/**
 * `--engine wasm` against `--engine js` on the real embedded series (NYSE Composite, daily
 * closes 1966–2002, close-only so high = low = close): identical rows, events and replays.
 */
const nyse = loadMarketData(fileURLToPath(new URL('../../data/embedded/nyse_composite_daily_close.csv', import.meta.url)));
const bars = nyse.bars;
const len = bars.close.length;

/** regimes from the data itself: 20-bar return up/down, and a volatility split; NO_REGIME in warm-up */
function tracks(): RegimeTrack[] {
  const trend = new Uint8Array(len).fill(NO_REGIME);
  const vol = new Uint8Array(len).fill(NO_REGIME);
  for (let t = 20; t < len; t++) {
    trend[t] = bars.close[t]! >= bars.close[t - 20]! ? 0 : 1;
    const move = Math.abs(bars.close[t]! / bars.close[t - 1]! - 1);
    vol[t] = t < 60 ? NO_REGIME : move > 0.01 ? 2 : move > 0.004 ? 1 : 0;
  }
  return [{ classifier: 'trend', names: ['up', 'down'], labels: trend }, { classifier: 'vol', names: ['calm', 'normal', 'wild'], labels: vol }];
}

function trials(): TrialSpec[] {
  const out: TrialSpec[] = [];
  const add = (type: string, params: Record<string, number | string>) => out.push({ trial_id: `${type}-${out.length}`, strategy: type, type, params });
  for (const side of ['long_only', 'long_short']) {
    for (const lookback of [5, 20, 60]) add('momentum', { lookback, threshold: 0.01, side });
    for (const lookback of [10, 50]) add('mean_reversion', { lookback, threshold: 0.02, side });
    for (const [fast, slow] of [[5, 20], [20, 100], [50, 200]]) add('sma_crossover', { fast: fast!, slow: slow!, side });
    for (const lookback of [10, 55]) add('breakout', { lookback, side });
    for (const period of [5, 14]) add('rsi', { period, lower: 30, upper: 70, side });
  }
  return out;
}

describe('wasm engine on the embedded NYSE series', () => {
  it('runs every strategy type exactly as the js engine', async () => {
    const [js, wasm] = [await loadEngine('js'), await loadEngine('wasm')];
    expect(wasm.name).toBe('wasm');
    const window = { start: 300, end: Math.floor(len * 0.7) };
    const batch = { bars, window, trials: trials(), regimes: tracks(), costs: { fee: 0.0005, slippage: 0.0005 }, barsPerYear: 252, captureSignals: true };
    const want = js.runTrials(batch);
    expect(wasm.runTrials(batch)).toEqual(want);
    expect(want.filter((r) => r.metrics.trades > 0).length).toBe(want.length);
  });

  it('runs breakouts on real high/low columns (MSFT daily OHLCV) exactly as the js engine', async () => {
    const msft = loadMarketData(fileURLToPath(new URL('../../data/embedded/msft_daily_ohlcv.csv', import.meta.url)));
    expect(msft.bars.high).not.toBe(msft.bars.close);
    const [js, wasm] = [await loadEngine('js'), await loadEngine('wasm')];
    const batch = {
      bars: msft.bars, window: { start: 20, end: msft.bars.close.length }, regimes: [], costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252, captureSignals: true,
      trials: [5, 10, 20].flatMap((lookback) => ['long_only', 'long_short'].map((side) => ({ trial_id: `b${lookback}${side}`, strategy: 'b', type: 'breakout', params: { lookback, side } }))),
    };
    const want = js.runTrials(batch);
    expect(wasm.runTrials(batch)).toEqual(want);
    expect(want.some((r) => r.metrics.trades > 2)).toBe(true);
  });

  it('replays weight sets exactly as the js engine', async () => {
    const [js, wasm] = [await loadEngine('js'), await loadEngine('wasm')];
    const window = { start: Math.floor(len * 0.7), end: len };
    const regimes = tracks();
    const rows = js.runTrials({ bars, window, trials: trials().slice(0, 8), regimes: [], costs: { fee: 0, slippage: 0 }, barsPerYear: 252, captureSignals: true });
    const ev = (i: number) => rows[i]!.signals!;
    const batch: ReplayBatch = {
      close: bars.close, window, regime: regimes[1]!, breakdown: regimes,
      legs: [{ strategy: 'a', byRegime: [ev(0), ev(1), ev(2)] }, { strategy: 'b', byRegime: [ev(3), null, ev(5)] }],
      weightSets: [0, 0.25, 0.5, 0.75, 1].map((a) => [0, 1, 2].map((k) => Float64Array.of(a, 1 - a + 0.1 * k))),
      costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252,
    };
    expect(wasm.replay(batch)).toEqual(js.replay(batch));
  });
});
