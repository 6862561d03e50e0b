import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, type BarColumns } from '@regimen/core';
import { rsi } from '../indicators/rsi.js';
import { createIndicatorCache } from '../indicator-cache.js';
import { parseStrategyParams, strategyCatalog, strategyDefinition, strategyTypes } from './catalog.js';

const f = (...x: number[]) => Float64Array.from(x);
const closeOnly = (close: Float64Array): BarColumns => ({
  time: Float64Array.from(close, (_, i) => i * 86_400_000),
  open: close,
  high: close,
  low: close,
  close,
});
const run = (type: string, bars: BarColumns, params: Record<string, unknown>) =>
  Array.from(strategyDefinition(type).positions(bars, parseStrategyParams(type, params)));

describe('strategies by hand', () => {
  it('momentum: m = close[t]/close[t−lookback] − 1 against ±threshold (tolerance rule)', () => {
    // t=2: 110/100−1 = 0.1 → +1; t=3: 0 → 0; t=4: 90/110−1 ≈ −0.18 → −1;
    // t=5: 95/100−1 = −0.05 (−0.050000000000000044 in doubles) is NOT below −0.05 → 0
    const bars = closeOnly(f(100, 100, 110, 100, 90, 95));
    expect(run('momentum', bars, { lookback: 2, threshold: 0.05, side: 'long_short' })).toEqual([0, 0, 1, 0, -1, 0]);
    expect(run('momentum', bars, { lookback: 2, threshold: 0.05 })).toEqual([0, 0, 1, 0, 0, 0]);
  });
  it('mean_reversion: d = close/SMA − 1, long below −threshold, short above', () => {
    // SMA2: t1 100, t2 95, t3 95, t4 105, t5 110 → d: 0, −0.053, +0.053, +0.048, 0
    const bars = closeOnly(f(100, 100, 90, 100, 110, 110));
    expect(run('mean_reversion', bars, { lookback: 2, threshold: 0.01, side: 'long_short' })).toEqual([0, 0, 1, -1, -1, 0]);
  });
  it('sma_crossover: sign of SMA_fast − SMA_slow from t = max(fast, slow) − 1; equal → 0', () => {
    // SMA3: t2 2, t3 7/3, t4 2, t5 4/3, t6 1; fast = close
    const bars = closeOnly(f(1, 2, 3, 2, 1, 1, 1));
    expect(run('sma_crossover', bars, { fast: 1, slow: 3, side: 'long_short' })).toEqual([0, 0, 1, -1, -1, -1, 0]);
    expect(run('sma_crossover', bars, { fast: 1, slow: 3 })).toEqual([0, 0, 1, 0, 0, 0, 0]);
  });
  it('breakout: compares with the channel of bar t−1 and holds in between', () => {
    const bars: BarColumns = {
      time: new Float64Array(7),
      open: new Float64Array(7),
      high: f(10, 11, 12, 11, 10, 9, 12),
      low: f(9, 10, 11, 10, 9, 8, 11),
      close: f(9.5, 10.5, 11.5, 10.5, 9.5, 8.5, 11.5),
    };
    // t=2: 11.5 > max(10,11) → +1; t=3: inside [10, 12] → hold; t=4: 9.5 < min(11,10) → −1;
    // t=5: 8.5 < min(10,9) → −1; t=6: 11.5 > max(10,9) → +1
    expect(run('breakout', bars, { lookback: 2, side: 'long_short' })).toEqual([0, 0, 1, 1, -1, -1, 1]);
    expect(run('breakout', bars, { lookback: 2 })).toEqual([0, 0, 1, 1, 0, 0, 1]);
    // close equal to the previous high is not a breakout
    const touch: BarColumns = { ...bars, close: f(9.5, 10.5, 11, 10.5, 10, 9, 10) };
    expect(run('breakout', touch, { lookback: 2, side: 'long_short' })).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
  it('rsi: enter beyond lower/upper, exit when RSI crosses 50, otherwise hold', () => {
    // moves +1 +1 −1 −1 −1 +1 +1 +1 +1, period 2 (Wilder α = ½):
    // RSI t2..t9 = 100, 50, 25, 12.5, 56.25, 78.125, 89.0625, 94.53125
    const bars = closeOnly(f(10, 11, 12, 11, 10, 9, 10, 11, 12, 13));
    expect(Array.from(rsi(bars.close, 2).subarray(2))).toEqual([100, 50, 25, 12.5, 56.25, 78.125, 89.0625, 94.53125]);
    // t2 100 > 70 → −1; t3 50 ≤ 50 while short → 0; t4 25 < 30 → +1; t5 hold +1;
    // t6 56.25 ≥ 50 while long → 0; t7.. > 70 → −1
    expect(run('rsi', bars, { period: 2, side: 'long_short' })).toEqual([0, 0, -1, 0, 1, 1, 0, -1, -1, -1]);
    expect(run('rsi', bars, { period: 2 })).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 0]);
  });
});

function randomWalk(seed: number, n: number): BarColumns {
  const rng = createRng(seed);
  const close = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  let p = 100;
  for (let t = 0; t < n; t++) {
    p *= Math.exp(0.02 * rng.normal());
    close[t] = p;
    high[t] = p * (1 + 0.01 * rng.next());
    low[t] = p * (1 - 0.01 * rng.next());
  }
  return { time: Float64Array.from(close, (_, i) => i), open: close.slice(), high, low, close };
}

function msft(): BarColumns {
  const fx = JSON.parse(readFileSync(new URL('../fixtures/ttr-msft.json', import.meta.url), 'utf8')) as {
    input: { date: string[]; high: number[]; low: number[]; close: number[] };
  };
  const close = Float64Array.from(fx.input.close);
  return { time: Float64Array.from(fx.input.date, (d) => Date.parse(d)), open: close, high: Float64Array.from(fx.input.high), low: Float64Array.from(fx.input.low), close };
}

const prefix = (b: BarColumns, k: number): BarColumns => ({
  time: b.time.subarray(0, k), open: b.open.subarray(0, k), high: b.high.subarray(0, k), low: b.low.subarray(0, k), close: b.close.subarray(0, k),
});

const cases: Array<[string, Record<string, unknown>]> = [
  ['momentum', { lookback: 5, threshold: 0.01, side: 'long_short' }],
  ['mean_reversion', { lookback: 10, threshold: 0.01, side: 'long_short' }],
  ['sma_crossover', { fast: 3, slow: 12, side: 'long_short' }],
  ['breakout', { lookback: 7, side: 'long_short' }],
  ['rsi', { period: 5, lower: 35, upper: 65, side: 'long_short' }],
];

describe('strategies are causal and respect warm-up', () => {
  const series: Array<[string, BarColumns]> = [['random walk 1', randomWalk(1, 160)], ['random walk 2', randomWalk(2, 160)], ['MSFT', msft()]];
  for (const [name, bars] of series) {
    for (const [type, params] of cases) {
      it(`${type} on ${name}`, () => {
        const def = strategyDefinition(type);
        const p = parseStrategyParams(type, params);
        const all = def.positions(bars, p);
        for (let t = 0; t < bars.close.length; t++) {
          const part = def.positions(prefix(bars, t + 1), p);
          expect(part.length).toBe(t + 1);
          for (let s = 0; s <= t; s++) if (part[s] !== all[s]) expect.fail(`${type}: position ${s} differs with data up to ${t}`);
        }
        for (let t = 0; t < def.warmup(p); t++) expect(all[t]).toBe(0);
        expect(all.some((v) => v !== 0)).toBe(true);
        expect(all.every((v) => v >= -1 && v <= 1)).toBe(true);
      });
    }
  }
  it('the shared indicator cache gives the same positions as fresh computation', () => {
    const bars = msft();
    const cache = createIndicatorCache(bars);
    for (const [type, params] of cases) {
      const def = strategyDefinition(type);
      const p = parseStrategyParams(type, params);
      expect(def.positions(bars, p, cache)).toEqual(def.positions(bars, p));
      expect(def.positions(bars, p, cache)).toEqual(def.positions(bars, p));
    }
  });
});

describe('parseStrategyParams', () => {
  it('lists the catalog', () => {
    expect(strategyTypes()).toEqual(['momentum', 'mean_reversion', 'sma_crossover', 'breakout', 'rsi']);
    expect(Object.keys(strategyCatalog)).toEqual(strategyTypes());
  });
  it('applies defaults and coerces numeric strings from the command line', () => {
    expect(parseStrategyParams('sma_crossover', { fast: '20' })).toEqual({ fast: 20, slow: 30, side: 'long_only' });
    expect(parseStrategyParams('rsi', {})).toEqual({ period: 14, lower: 30, upper: 70, side: 'long_only' });
  });
  it('names the field and value at fault', () => {
    const fails = (type: string, params: Record<string, unknown>) => {
      try {
        parseStrategyParams(type, params);
      } catch (e) {
        return e as { code: string; field: string; value: unknown };
      }
      throw new Error('expected an error');
    };
    expect(fails('momentum', { lookbak: 10 })).toMatchObject({ code: 'config', field: 'params.lookbak', value: 10 });
    expect(fails('momentum', { lookback: 0 })).toMatchObject({ code: 'config', field: 'params.lookback', value: 0 });
    expect(fails('momentum', { lookback: '2.5' })).toMatchObject({ field: 'params.lookback', value: '2.5' });
    expect(fails('momentum', { lookback: '' })).toMatchObject({ field: 'params.lookback', value: '' });
    expect(fails('momentum', { side: 'short_only' })).toMatchObject({ field: 'params.side', value: 'short_only' });
    expect(fails('rsi', { lower: 80, upper: 70 })).toMatchObject({ field: 'params.lower', value: 80 });
    expect(fails('mean_reversion', { lookback: 1 })).toMatchObject({ field: 'params.lookback' });
    expect(fails('macd', {})).toMatchObject({ code: 'config', field: 'type', value: 'macd' });
  });
});
