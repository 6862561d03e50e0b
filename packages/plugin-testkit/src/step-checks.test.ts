import { describe, expect, it } from 'vitest';
import { BUILTIN_STRATEGY_PLUGINS } from '@regimen/kernel';
import type { StrategyPlugin } from '@regimen/core';
import { readCsvBars } from './bars.js';
import { realDataPath } from './real-data.js';
import { checkStrategyStep, stepSplits } from './step-checks.js';
import { strategyParams } from './strategy-checks.js';

// Every built-in strategy's step hook on real series (30-minute FX, daily OHLCV), several parameter
// sets and both sides, resumed at seeded random splits: equal to the whole-series positions bit for bit.
const series = {
  usdchf_30min: readCsvBars(realDataPath('usdchf_30min.csv'), { limit: 4000 }),
  msft_daily: readCsvBars(realDataPath('msft_daily_ohlcv.csv')),
};
const params: Record<string, Array<Record<string, unknown>>> = {
  momentum: [{}, { lookback: 1 }, { lookback: 60, threshold: 0.001 }],
  mean_reversion: [{}, { lookback: 2, threshold: 0 }, { lookback: 50, threshold: 0.005 }],
  sma_crossover: [{}, { fast: 1, slow: 2 }, { fast: 30, slow: 10 }],
  breakout: [{}, { lookback: 1 }, { lookback: 55 }],
  rsi: [{}, { period: 2, lower: 45, upper: 55 }, { period: 30, lower: 40, upper: 60 }],
};

describe.each(Object.entries(series))('built-in strategies stepped on %s', (_name, data) => {
  for (const plugin of BUILTIN_STRATEGY_PLUGINS) {
    it(`${plugin.name}: step at random splits equals positions`, () => {
      expect(plugin.step).toBeTypeOf('function');
      for (const [i, raw] of params[plugin.name]!.entries()) {
        for (const side of ['long_short', 'long_only'] as const) {
          const r = checkStrategyStep(plugin, strategyParams(plugin, { ...raw, side }), data, stepSplits(data.close.length, 10, 11 + i));
          expect(r.message, `${JSON.stringify(raw)} ${side}`).toBeUndefined();
        }
      }
    });
  }

  it('a control: a step that loses its state at a split is caught', () => {
    const rsi = BUILTIN_STRATEGY_PLUGINS.find((p) => p.name === 'rsi')!;
    let calls = 0;
    const broken: StrategyPlugin = {
      ...rsi,
      step(state, bars, p, out) {
        // the state after the third piece is lost: the next piece warms up again from nothing
        const s = rsi.step!(state, bars, p, out);
        return ++calls === 3 ? null : s;
      },
    };
    const p = strategyParams(broken, { period: 14, lower: 49.99, upper: 50.01 });
    expect(checkStrategyStep(rsi, p, data, stepSplits(data.close.length, 10, 3)).ok).toBe(true);
    const r = checkStrategyStep(broken, p, data, stepSplits(data.close.length, 10, 3));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^bar \d+ \(piece/);
  });
});
