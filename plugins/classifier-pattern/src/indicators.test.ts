import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvBars, realDataPath } from '@regimen/plugin-testkit';
import { adx, atr, donchian, trueRange } from './indicators.js';

/** TTR's own values on the same bars, from reference/ttr_reference.R (R's TTR 0.24.3). */
const ttr = (() => {
  const lines = readFileSync(new URL('../reference/ttr_msft.csv', import.meta.url), 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map((v) => (v.trim() === 'NA' || v.trim() === '' ? NaN : Number(v))));
  return (name: string) => rows.map((r) => r[head.indexOf(name)]!);
})();

const near = (ours: Float64Array, ref: number[]) => {
  expect(ours.length).toBe(ref.length);
  ref.forEach((v, t) => {
    if (Number.isNaN(v)) expect(ours[t], `bar ${t}`).toBeNaN();
    else expect(Math.abs(ours[t]! - v), `bar ${t}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(v)));
  });
};

describe("indicators in TTR's conventions (msft daily OHLC)", () => {
  const { high, low, close } = readCsvBars(realDataPath('msft_daily_ohlcv.csv'));
  it('true range and ATR(14)', () => {
    near(trueRange(high, low, close), ttr('tr'));
    near(atr(high, low, close, 14), ttr('atr'));
  });
  it('ADX(14) with DI+ and DI−', () => {
    const a = adx(high, low, close, 14);
    near(a.adx, ttr('adx'));
    near(a.diPlus, ttr('dip'));
    near(a.diMinus, ttr('din'));
  });
  it('Donchian channel(20) includes the current bar', () => {
    const d = donchian(high, low, 20);
    near(d.upper, ttr('dc_high'));
    near(d.lower, ttr('dc_low'));
  });
});
