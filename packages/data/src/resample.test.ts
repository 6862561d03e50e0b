import { describe, expect, it } from 'vitest';
import { createRng, type BarColumns } from '@regimen/core';
import { parseInterval, resampleBars } from './resample.js';

function ticks(n: number, seed: number): BarColumns {
  const rng = createRng(seed);
  const time = new Float64Array(n);
  const close = new Float64Array(n);
  let t = Date.UTC(2021, 0, 1) + Math.floor(rng.next() * 86_400_000);
  let p = 100;
  for (let i = 0; i < n; i++) {
    // irregular: repeats, seconds, minutes, and the odd day-long gap
    const u = rng.next();
    t += u < 0.1 ? 0 : u < 0.6 ? Math.floor(rng.next() * 60_000) : u < 0.98 ? Math.floor(rng.next() * 3_600_000) : Math.floor(rng.next() * 3 * 86_400_000);
    p *= 1 + (rng.next() - 0.5) * 0.01;
    time[i] = t;
    close[i] = p;
  }
  return { time, open: close, high: close, low: close, close };
}

describe('resampleBars', () => {
  it('parses intervals', () => {
    expect([parseInterval('30s'), parseInterval('5min'), parseInterval('1h'), parseInterval('1d')]).toEqual([30_000, 300_000, 3_600_000, 86_400_000]);
    for (const bad of ['5', '0min', '5m', '1 h', 'h', '1w', '-1d']) expect(parseInterval(bad), bad).toBeNull();
  });

  it('property: no bar sees a later tick; each bar is exactly its interval\'s ticks (UTC and zones)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rng = createRng(1000 + seed);
      const every = [30_000, 300_000, 3_600_000, 4 * 3_600_000, 86_400_000][Math.floor(rng.next() * 5)]!;
      const zone = [undefined, 'America/New_York', 'Asia/Kathmandu'][seed % 3];
      const src = ticks(400, seed);
      const { bars, empty_intervals } = resampleBars(src, every, zone);
      let k = 0;
      let prevEnd = -Infinity;
      for (let b = 0; b < bars.time.length; b++) {
        const end = bars.time[b]!;
        expect(end).toBeGreaterThan(prevEnd);
        const members: number[] = [];
        while (k < src.time.length && src.time[k]! < end) members.push(k++);
        expect(members.length, `seed ${seed} bar ${b}`).toBeGreaterThan(0);
        // every tick in the bar is from before the bar's time; the next tick is not
        for (const i of members) expect(src.time[i]!).toBeLessThan(end);
        if (k < src.time.length) expect(src.time[k]!).toBeGreaterThanOrEqual(end);
        const prices = members.map((i) => src.close[i]!);
        expect([bars.open[b], bars.high[b], bars.low[b], bars.close[b]]).toEqual([prices[0], Math.max(...prices), Math.min(...prices), prices.at(-1)]);
        if (!zone) {
          // UTC: the interval is [end - every, end), aligned to the epoch
          expect(end % every).toBe(0);
          for (const i of members) expect(src.time[i]!).toBeGreaterThanOrEqual(end - every);
        }
        prevEnd = end;
      }
      expect(k).toBe(src.time.length);
      if (!zone) {
        const spanned = (bars.time.at(-1)! - bars.time[0]!) / every + 1;
        expect(empty_intervals).toBe(spanned - bars.time.length);
      }
    }
  });

  it('sums volume and keeps OHLC of OHLC input', () => {
    const t0 = Date.UTC(2021, 0, 4);
    const bars: BarColumns = {
      time: Float64Array.from([0, 1, 2, 5].map((m) => t0 + m * 60_000)),
      open: Float64Array.from([10, 11, 12, 13]), high: Float64Array.from([12, 13, 14, 15]),
      low: Float64Array.from([9, 10, 11, 12]), close: Float64Array.from([11, 12, 13, 14]), volume: Float64Array.from([1, 2, 3, 4]),
    };
    const r = resampleBars(bars, 180_000);
    expect(Array.from(r.bars.time)).toEqual([t0 + 180_000, t0 + 360_000]);
    expect([Array.from(r.bars.open), Array.from(r.bars.high), Array.from(r.bars.low), Array.from(r.bars.close), Array.from(r.bars.volume!)])
      .toEqual([[10, 13], [14, 15], [9, 12], [13, 14], [6, 4]]);
    expect(r.empty_intervals).toBe(0);
  });
});
