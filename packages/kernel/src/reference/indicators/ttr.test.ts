import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sma } from './sma.js';
import { ema } from './ema.js';
import { wilder } from './wilder.js';
import { rsi } from './rsi.js';
import { atr } from './atr.js';
import { rollingSd, rollingSdPopulation } from './rolling-sd.js';
import { donchianHigh, donchianLow } from './donchian.js';

// Expected values from R's TTR 0.24.3 (fixtures/ttr-msft.R → fixtures/ttr-msft.json), the
// independent reference DESIGN §5 names, on the first 60 rows of MSFT daily bars.
interface Fixture {
  ttr_version: string;
  rows: number;
  input: { high: number[]; low: number[]; close: number[] };
  series: Record<string, Array<number | null>>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/ttr-msft.json', import.meta.url), 'utf8')) as Fixture;
const rows = fixture.rows;
const high = Float64Array.from(fixture.input.high.slice(0, rows));
const low = Float64Array.from(fixture.input.low.slice(0, rows));
const close = Float64Array.from(fixture.input.close.slice(0, rows));

function expectLikeTtr(actual: Float64Array, name: string): void {
  const expected = fixture.series[name]!;
  expect(actual.length).toBe(expected.length);
  for (let t = 0; t < expected.length; t++) {
    const e = expected[t];
    if (e === null) {
      expect(Number.isNaN(actual[t]), `${name}[${t}] should be NaN (warm-up)`).toBe(true);
    } else {
      const rel = Math.abs(actual[t] - e) / Math.max(Math.abs(e), 1e-300);
      expect(rel, `${name}[${t}] = ${actual[t]}, TTR ${e}`).toBeLessThanOrEqual(1e-10);
    }
  }
}

describe(`indicators against TTR ${fixture.ttr_version}`, () => {
  it('SMA', () => {
    expectLikeTtr(sma(close, 5), 'sma_5');
    expectLikeTtr(sma(close, 20), 'sma_20');
  });
  it('EMA seeded by the SMA of the first n values', () => expectLikeTtr(ema(close, 10), 'ema_10'));
  it('Wilder smoothing (EMA wilder = TRUE)', () => expectLikeTtr(wilder(close, 10), 'wilder_10'));
  it('RSI (Wilder), first defined at t = n', () => {
    expectLikeTtr(rsi(close, 14), 'rsi_14');
    expectLikeTtr(rsi(close, 5), 'rsi_5');
  });
  it('ATR', () => expectLikeTtr(atr(high, low, close, 14), 'atr_14'));
  it('runSD sample and population', () => {
    expectLikeTtr(rollingSd(close, 10), 'runsd_10');
    expectLikeTtr(rollingSdPopulation(close, 10), 'runsd_pop_10');
  });
  it('Donchian channel including the current bar', () => {
    expectLikeTtr(donchianHigh(high, 20), 'donchian_high_20');
    expectLikeTtr(donchianLow(low, 20), 'donchian_low_20');
  });
});
