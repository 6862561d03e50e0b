import { describe, expect, it } from 'vitest';
import { NO_REGIME, createRegistry, parsePluginOptions, type BarColumns } from '@regimen/core';
import { classifierConformance, readCsvBars, realDataPath, sliceBars, syntheticBars } from '@regimen/plugin-testkit';
import patternDefault, { patternClassifier } from './index.js';
import { PatternOptionsSchema, type PatternOptionsInput } from './options.js';
import { adx } from './indicators.js';

const plugin = patternClassifier();
const msft = readCsvBars(realDataPath('msft_daily_ohlcv.csv'));
const nyse = readCsvBars(realDataPath('nyse_composite_daily_close.csv'), { limit: 1500 });
const ttrc = readCsvBars(realDataPath('ttrc_SYNTHETIC_daily_ohlcv.csv'), { limit: 1500 });

classifierConformance(plugin, { data: msft });
classifierConformance(plugin, { data: nyse, options: { trend: true, channel: 10 } });
classifierConformance(plugin, { data: ttrc, options: { trend: true, vol_expansion: 1.2, hold: 3 } });

const opts = (o: PatternOptionsInput = {}) => PatternOptionsSchema.parse(o);
const closeOnly = (close: number[]): BarColumns => {
  const c = Float64Array.from(close);
  return { time: new Float64Array(c.length), open: c, high: c, low: c, close: c };
};

describe('pattern plugin', () => {
  it('is registered as pattern and pattern_based, with defaults for every option', () => {
    const reg = createRegistry();
    reg.register(patternDefault);
    expect(reg.classifier('pattern_based')).toBe(patternDefault);
    expect(parsePluginOptions(plugin, {})).toEqual({ channel: 20, hold: 5, vol_expansion: 0, atr: 14, trend: false, adx: 14, adx_threshold: 25, tolerance: 1e-9 });
    expect(() => parsePluginOptions(plugin, { lookback: 3 })).toThrow();
  });

  it('breakout: close beyond the channel of the previous bar, held for `hold` bars', () => {
    const o = opts({ channel: 3, hold: 2 });
    const data = closeOnly([10, 11, 10.5, 10.8, 11.2, 11.1, 10.9, 11.0, 10.0, 10.2, 10.3, 10.4]);
    const labels = plugin.label(data, plugin.fit(data, o, { seed: 0 }), o);
    // bar 3: channel of bar 2 = [10, 11], 10.8 inside → range; bar 4: 11.2 > 11 → breakout (+ bar 5);
    // bar 8: channel of bar 7 = [10.9, 11.1], 10.0 below → breakout (+ bar 9); bar 10: [10.0, 11.0], inside;
    // bar 11: channel of bar 10 = [10.0, 10.3], 10.4 above → breakout
    expect(Array.from(labels)).toEqual([NO_REGIME, NO_REGIME, NO_REGIME, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
    expect(plugin.regimes(plugin.fit(data, o, { seed: 0 }), o)).toEqual(['breakout', 'range']);
  });

  it('a close equal to the channel (within the relative tolerance) is not a breakout', () => {
    const o = opts({ channel: 3, hold: 1 });
    const data = closeOnly([10, 10.5, 11, 11 * (1 + 1e-12), 11.1]);
    expect(Array.from(plugin.label(data, plugin.fit(data, o, { seed: 0 }), o))).toEqual([NO_REGIME, NO_REGIME, NO_REGIME, 1, 0]);
  });

  it('vol_expansion filters breaks whose true range is small against ATR', () => {
    const base = opts({ channel: 5 });
    const strict = opts({ channel: 5, vol_expansion: 3 });
    const a = plugin.label(msft, plugin.fit(msft, base, { seed: 0 }), base);
    const b = plugin.label(msft, plugin.fit(msft, strict, { seed: 0 }), strict);
    const count = (l: Uint8Array) => l.filter((v) => v === 0).length;
    expect(count(b)).toBeLessThan(count(a));
    // every breakout bar of the strict version is within `hold` of a breakout of the plain one
    for (let t = 0; t < b.length; t++) if (b[t] === 0) expect(a[t]).toBe(0);
  });

  it('trend mode: breakout > trend > range, trend sign from DI+ vs DI−', () => {
    const o = opts({ trend: true });
    const bars = syntheticBars(800, 3);
    const model = plugin.fit(bars, o, { seed: 0 });
    expect(plugin.regimes(model, o)).toEqual(['breakout', 'range', 'trend_up', 'trend_down']);
    const labels = plugin.label(bars, model, o);
    const plain = plugin.label(bars, model, opts());
    const a = adx(bars.high, bars.low, bars.close, 14);
    for (let t = 27; t < labels.length; t++) {
      const l = labels[t]!;
      if (plain[t] === 0 || l === 0) expect([l, plain[t]]).toEqual([0, 0]);
      else if (a.adx[t]! >= 25) expect(l).toBe(a.diPlus[t]! >= a.diMinus[t]! ? 2 : 3);
      else expect(l).toBe(1);
    }
    expect(new Set(labels.slice(27)).size).toBe(4);
    for (let t = 0; t < 27; t++) expect(labels[t]).toBe(NO_REGIME);
  });

  it('labels short data NO_REGIME and rejects non-finite prices', () => {
    const o = opts();
    const short = sliceBars(msft, 10);
    expect(plugin.label(short, plugin.fit(short, o, { seed: 0 }), o).every((l) => l === NO_REGIME)).toBe(true);
    const bad = sliceBars(msft, 50);
    bad.high[30] = NaN;
    const err = (() => {
      try {
        plugin.label(bad, plugin.fit(bad, o, { seed: 0 }), o);
      } catch (e) {
        return e as { code?: string; field?: string };
      }
    })();
    expect(err).toMatchObject({ code: 'data', field: 'high[30]' });
  });
});
