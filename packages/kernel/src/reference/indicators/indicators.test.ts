import { describe, expect, it } from 'vitest';
import { sma } from './sma.js';
import { ema } from './ema.js';
import { wilder } from './wilder.js';
import { rsi } from './rsi.js';
import { trueRange } from './atr.js';
import { rollingSd, rollingSdPopulation } from './rolling-sd.js';
import { donchianHigh, donchianLow } from './donchian.js';

const f = (...x: number[]) => Float64Array.from(x);
const warm = (a: Float64Array, k: number) => Array.from(a.subarray(0, k)).every(Number.isNaN);

describe('indicators by hand', () => {
  it('sma: running sum (s + x[t]) − x[t−n], NaN before n−1', () => {
    const s = sma(f(1, 2, 3, 4, 10), 3);
    expect(warm(s, 2)).toBe(true);
    expect(Array.from(s.subarray(2))).toEqual([2, 3, 17 / 3]);
  });
  it('ema: seed = mean of the first n, then x·α + prev·(1−α) with α = 2/(n+1)', () => {
    // n = 3, α = 0.5: seed (2+4+6)/3 = 4; 8·0.5 + 4·0.5 = 6; 0·0.5 + 6·0.5 = 3
    const e = ema(f(2, 4, 6, 8, 0), 3);
    expect(warm(e, 2)).toBe(true);
    expect(Array.from(e.subarray(2))).toEqual([4, 6, 3]);
  });
  it('wilder: α = 1/n, leading NaN skipped', () => {
    // n = 2, α = 0.5: seed at index 2 = (2+4)/2 = 3; 7·0.5 + 3·0.5 = 5
    const w = wilder(f(NaN, 2, 4, 7), 2);
    expect(warm(w, 2)).toBe(true);
    expect(Array.from(w.subarray(2))).toEqual([3, 5]);
  });
  it('rsi: 100·U/(U+D) of Wilder-smoothed moves; flat prices give NaN (0/0) like TTR', () => {
    // moves +1 +1 −1 −1, n = 2: U,D seeded at t=2 by (1+1)/2, (0+0)/2 → 100;
    // t=3: U = .5, D = .5 → 50; t=4: U = .25, D = .75 → 25
    const r = rsi(f(10, 11, 12, 11, 10), 2);
    expect(warm(r, 2)).toBe(true);
    expect(Array.from(r.subarray(2))).toEqual([100, 50, 25]);
    expect(Number.isNaN(rsi(f(5, 5, 5, 5), 2)[3])).toBe(true);
  });
  it('true range uses the previous close; undefined at bar 0', () => {
    const tr = trueRange(f(10, 12, 9), f(9, 11, 8), f(9.5, 11.5, 8.5));
    // t=1: max(12, 9.5) − min(11, 9.5) = 2.5; t=2: max(9, 11.5) − min(8, 11.5) = 3.5
    expect(Number.isNaN(tr[0])).toBe(true);
    expect(Array.from(tr.subarray(1))).toEqual([2.5, 3.5]);
  });
  it('rolling sd: sample divides by n−1, population by n', () => {
    // window (2, 4, 6): mean 4, squares 4 + 0 + 4 = 8 → sample sqrt(4) = 2, population sqrt(8/3)
    expect(rollingSd(f(2, 4, 6), 3)[2]).toBe(2);
    expect(rollingSdPopulation(f(2, 4, 6), 3)[2]).toBe(Math.sqrt(8 / 3));
    expect(warm(rollingSd(f(2, 4, 6), 3), 2)).toBe(true);
  });
  it('donchian includes the current bar', () => {
    expect(Array.from(donchianHigh(f(1, 5, 2, 3), 2).subarray(1))).toEqual([5, 5, 3]);
    expect(Array.from(donchianLow(f(4, 5, 2, 3), 2).subarray(1))).toEqual([4, 2, 2]);
  });
  it('windows longer than the series give all NaN', () => {
    expect(warm(sma(f(1, 2), 3), 2)).toBe(true);
    expect(warm(ema(f(1, 2), 3), 2)).toBe(true);
  });
});
