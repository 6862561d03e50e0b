import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatError, type BarColumns } from '@regimen/core';
import { loadMarketData } from './market-data.js';

/**
 * Ticks as a feed writes them: OHLCV rows in time order, many sharing a stamp (minute
 * resolution), as a CSV a workflow reads; the bars a `resample` makes of them are checked against
 * a direct computation over each interval's ticks.
 */
interface Tick { t: number; o: number; h: number; l: number; c: number; v: number }

const T0 = Date.UTC(2024, 2, 1, 9, 0);
const tickArb = fc.record({
  step: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 3 }).map((m) => m * 60_000), fc.integer({ min: 1, max: 240 }).map((m) => m * 60_000)),
  c: fc.integer({ min: 1, max: 100_000 }).map((x) => x / 100),
  up: fc.integer({ min: 0, max: 500 }).map((x) => x / 100),
  down: fc.integer({ min: 0, max: 99 }).map((x) => x / 100),
  o: fc.integer({ min: 0, max: 100 }).map((x) => x / 100),
  v: fc.integer({ min: 0, max: 1000 }),
});
const ticksArb = fc.array(tickArb, { minLength: 2, maxLength: 120 }).map((rows) => {
  let t = T0;
  return rows.map((r): Tick => {
    t += r.step;
    // a tick's own open/high/low/close, consistent: low ≤ open, close ≤ high
    const o = Math.round((r.c * (1 - r.down) + (r.c * (1 + r.up) - r.c * (1 - r.down)) * r.o) * 1e6) / 1e6;
    return { t, o, h: Math.max(o, r.c * (1 + r.up)), l: Math.min(o, r.c * (1 - r.down)), c: r.c, v: r.v };
  });
});

const dir = mkdtempSync(join(tmpdir(), 'regimen-ticks-'));
let files = 0;
function csv(ticks: Tick[]): string {
  const path = join(dir, `ticks_${files++}.csv`);
  writeFileSync(path, ['time,open,high,low,close,volume', ...ticks.map((k) => `${new Date(k.t).toISOString()},${k.o},${k.h},${k.l},${k.c},${k.v}`)].join('\n') + '\n');
  return path;
}

/** The reference: group the ticks by UTC interval [end − every, end), in file order. */
function directBars(ticks: Tick[], every: number) {
  const groups = new Map<number, Tick[]>();
  for (const k of ticks) {
    const end = (Math.floor(k.t / every) + 1) * every;
    groups.set(end, [...(groups.get(end) ?? []), k]);
  }
  const ends = [...groups.keys()].sort((a, b) => a - b);
  return {
    time: ends,
    open: ends.map((e) => groups.get(e)![0]!.o),
    high: ends.map((e) => Math.max(...groups.get(e)!.map((k) => k.h))),
    low: ends.map((e) => Math.min(...groups.get(e)!.map((k) => k.l))),
    close: ends.map((e) => groups.get(e)!.at(-1)!.c),
    volume: ends.map((e) => groups.get(e)!.reduce((s, k) => s + k.v, 0)),
  };
}

/** One tick per stamp, as `duplicates: first | last` keeps. */
function onePerStamp(ticks: Tick[], which: 'first' | 'last'): Tick[] {
  const out: Tick[] = [];
  for (const k of ticks) {
    if (out.length && out.at(-1)!.t === k.t) {
      if (which === 'last') out[out.length - 1] = k;
    } else out.push(k);
  }
  return out;
}

const EVERY: Record<string, number> = { '1min': 60_000, '5min': 300_000, '1h': 3_600_000 };
const asArrays = (b: BarColumns) =>
  ({ time: Array.from(b.time), open: Array.from(b.open), high: Array.from(b.high), low: Array.from(b.low), close: Array.from(b.close), volume: Array.from(b.volume ?? []) });

describe('ticks that share a timestamp, resampled', () => {
  it('property: every bar\'s OHLCV equals a direct computation over all of its ticks (the default with resample)', () => {
    fc.assert(
      fc.property(ticksArb, fc.constantFrom('1min', '5min', '1h'), (ticks, every) => {
        const want = directBars(ticks, EVERY[every]!);
        fc.pre(want.time.length >= 2); // a workflow needs two bars
        const md = loadMarketData(csv(ticks), { resample: { every } });
        expect(md.reading.duplicates).toBe('all');
        expect(md.rows.duplicates_dropped).toBe(0);
        expect(asArrays(md.bars)).toEqual(want);
      }),
      { seed: 20261207, numRuns: 150 },
    );
  });

  it('property: duplicates first | last still keep one tick per stamp before the bars are made', () => {
    fc.assert(
      fc.property(ticksArb, fc.constantFrom('first' as const, 'last' as const), fc.constantFrom('1min', '5min', '1h'), (ticks, which, every) => {
        const kept = onePerStamp(ticks, which);
        const want = directBars(kept, EVERY[every]!);
        fc.pre(want.time.length >= 2);
        const md = loadMarketData(csv(ticks), { resample: { every }, duplicates: which });
        expect(md.rows.duplicates_dropped).toBe(ticks.length - kept.length);
        expect(asArrays(md.bars)).toEqual(want);
      }),
      { seed: 20261208, numRuns: 100 },
    );
  });

  it('a high or low that only a repeated tick reaches is in its bar (it was lost to duplicates: first)', () => {
    const ticks: Tick[] = [
      { t: T0, o: 10, h: 10, l: 10, c: 10, v: 1 },
      { t: T0, o: 10, h: 12, l: 10, c: 12, v: 1 },
      { t: T0, o: 12, h: 12, l: 7, c: 7, v: 1 },
      { t: T0 + 60_000, o: 9, h: 9, l: 9, c: 9, v: 1 },
      { t: T0 + 120_000, o: 9, h: 9, l: 9, c: 9, v: 1 },
    ];
    const all = loadMarketData(csv(ticks), { resample: { every: '1min' } });
    expect([all.bars.open[0], all.bars.high[0], all.bars.low[0], all.bars.close[0], all.bars.volume![0]]).toEqual([10, 12, 7, 7, 3]);
    const first = loadMarketData(csv(ticks), { resample: { every: '1min' }, duplicates: 'first' });
    expect([first.bars.high[0], first.bars.low[0]]).toEqual([10, 10]);
  });

  it('without resample, a repeated stamp is still an error by default, and `all` is refused', () => {
    const path = csv([{ t: T0, o: 1, h: 1, l: 1, c: 1, v: 1 }, { t: T0, o: 1, h: 1, l: 1, c: 1, v: 1 }, { t: T0 + 60_000, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
    let err: unknown;
    try {
      loadMarketData(path);
    } catch (e) {
      err = e;
    }
    expect(formatError(err)).toMatch(/line 3: duplicate timestamp .* \(or set duplicates: first \| last, or resample the ticks into bars\)$/);
    expect(() => loadMarketData(path, { duplicates: 'all' })).toThrow('keeping every row of a time needs resample');
  });
});
