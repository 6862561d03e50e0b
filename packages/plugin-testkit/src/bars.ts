import { readFileSync } from 'node:fs';
import { createRng, regimenError, type BarColumns } from '@regimen/core';

/**
 * A seeded random walk with regime-switching drift and volatility (a 3-state Markov chain: calm up,
 * choppy flat, volatile down), OHLC built around each close. Same (n, seed) → same bars.
 */
export function syntheticBars(n: number, seed: number): BarColumns {
  const rng = createRng(seed).fork('synthetic-bars');
  const drift = [0.0006, 0, -0.0012];
  const vol = [0.006, 0.01, 0.025];
  const stay = [0.99, 0.97, 0.95];
  const bars: BarColumns = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let s = 0;
  let p = 100;
  for (let t = 0; t < n; t++) {
    if (t > 0 && rng.next() > stay[s]!) s = (s + 1 + rng.int(0, 1)) % 3;
    const open = p;
    p = p * Math.exp(drift[s]! + vol[s]! * rng.normal());
    const wick = vol[s]! * p;
    bars.time[t] = Date.UTC(2000, 0, 1) + t * 86_400_000;
    bars.open[t] = open;
    bars.close[t] = p;
    bars.high[t] = Math.max(open, p) + wick * rng.next();
    bars.low[t] = Math.min(open, p) - wick * rng.next();
    bars.volume![t] = 1000 + rng.int(0, 1000);
  }
  return bars;
}

/** Bars [0, end) as copies: a classifier must not be able to see past the slice. */
export function sliceBars(bars: BarColumns, end: number, start = 0): BarColumns {
  const out: BarColumns = {
    time: bars.time.slice(start, end),
    open: bars.open.slice(start, end),
    high: bars.high.slice(start, end),
    low: bars.low.slice(start, end),
    close: bars.close.slice(start, end),
  };
  if (bars.volume) out.volume = bars.volume.slice(start, end);
  return out;
}

/**
 * A deliberately tiny CSV reader for tests (comma separated, header row, no quoting): the first
 * column is the time key (ISO date/time or a number), OHLC columns are used when present, otherwise
 * `column` (default `close`) fills all four. Not a data loader — plugin tests read bars with it
 * instead of @regimen/data's loader.
 */
export function readCsvBars(path: string, options: { column?: string; limit?: number } = {}): BarColumns {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(',');
  const rows = lines.slice(1, options.limit === undefined ? undefined : options.limit + 1);
  const col = (name: string) => header.indexOf(name);
  const column = options.column ?? 'close';
  if (col(column) < 0) throw regimenError({ code: 'data', file: path, field: column, message: `no column "${column}" (has ${header.join(', ')})` });
  const read = (name: string) => {
    const i = col(name) >= 0 ? col(name) : col(column);
    return Float64Array.from(rows, (r) => Number(r.split(',')[i]));
  };
  const time = Float64Array.from(rows, (r) => {
    const key = r.split(',')[0]!;
    const ms = Date.parse(key);
    return Number.isNaN(ms) ? Number(key) : ms;
  });
  const ohlc = options.column === undefined;
  const close = read(column);
  return {
    time,
    open: ohlc ? read('open') : close,
    high: ohlc ? read('high') : close,
    low: ohlc ? read('low') : close,
    close,
  };
}
