import { regimenError, type BarColumns } from '@regimen/core';
import { zoneClock } from './zone.js';

const UNIT_MS: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const INTERVAL_RE = /^([1-9]\d*)(s|min|h|d)$/;

/** `5min`, `1h`, `1d`, `30s` → ms; null when not of that form. */
export function parseInterval(text: string): number | null {
  const m = INTERVAL_RE.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : null;
}

export interface Resampled {
  bars: BarColumns;
  /** intervals between the first and the last bar that had no row: skipped, not filled */
  empty_intervals: number;
  /** rows that went into the bars */
  rows: number;
}

/**
 * OHLC bars of fixed intervals, each stamped with its interval's END, so a bar only holds rows
 * from before its own time: open = the first row's open, high = max, low = min, close = the last
 * row's close, volume = the sum. Intervals are aligned to the epoch in UTC, or to the zone's wall
 * clock when a zone is given (1d: local midnights). Empty intervals are skipped and counted.
 *
 * With a zone, an interval end that the clock skips (DST start) is the instant the clock jumps
 * past it, and an hour the clock repeats (DST end) stays in the interval it started in: a row
 * joins the current bar while its instant is before the bar's end, so bar times strictly increase.
 */
export function resampleBars(bars: BarColumns, everyMs: number, zone?: string): Resampled {
  const { time, open, high, low, close, volume } = bars;
  const n = time.length;
  const clock = zone && n > 0 ? zoneClock(zone, time[0]! - 86_400_000, time[n - 1]! + 86_400_000) : null;
  const binOf = (t: number) => Math.floor((clock ? t + clock.offsetAt(t) : t) / everyMs);
  const endOf = (bin: number, t: number) => {
    if (!clock) return (bin + 1) * everyMs;
    const wall = (bin + 1) * everyMs;
    const u = clock.toUtc(wall);
    return u === u ? u : wall - clock.offsetAt(t);
  };
  const out = { time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
  let end = -Infinity;
  let bin = 0;
  let empty = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (t >= end) {
      const b = binOf(t);
      if (out.time.length > 0) empty += Math.max(0, b - bin - 1);
      bin = b;
      end = endOf(b, t);
      out.time.push(end);
      out.open.push(open[i]!);
      out.high.push(high[i]!);
      out.low.push(low[i]!);
      out.close.push(close[i]!);
      out.volume.push(volume ? volume[i]! : 0);
      continue;
    }
    const k = out.time.length - 1;
    if (high[i]! > out.high[k]!) out.high[k] = high[i]!;
    if (low[i]! < out.low[k]!) out.low[k] = low[i]!;
    out.close[k] = close[i]!;
    if (volume) out.volume[k]! += volume[i]!;
  }
  const f = (a: number[]) => Float64Array.from(a);
  const result: BarColumns = { time: f(out.time), open: f(out.open), high: f(out.high), low: f(out.low), close: f(out.close) };
  if (volume) result.volume = f(out.volume);
  return { bars: result, empty_intervals: empty, rows: n };
}

export function checkResampled(r: Resampled, every: string, file: string): void {
  if (r.bars.time.length < 2) {
    throw regimenError({ code: 'data', file, field: 'resample.every', value: every, message: `leaves ${r.bars.time.length} bar${r.bars.time.length === 1 ? '' : 's'} from ${r.rows} rows; need at least 2` });
  }
}
