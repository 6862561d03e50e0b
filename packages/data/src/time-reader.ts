import { regimenError } from '@regimen/core';
import { latin1, parseDecimal } from './decimal.js';
import { DAY_MS, parseTimeText, type TimeKind } from './time.js';
import { parseTimeFast, parseWallClockFast } from './time-fast.js';
import { nonexistent, zoneClock } from './zone.js';

/** How the time key is written: ISO-8601 text, or a number of seconds/ms/µs/ns since 1970-01-01T00:00Z. */
export type TimeFormat = 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns';
export const TIME_FORMATS: readonly TimeFormat[] = ['iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'epoch_ns'];

/** Reads the time key of one cell into epoch ms UTC, and says afterwards what kind of key the file had. */
export interface TimeReader {
  /** epoch ms of row `row`'s cell bytes [start, end), or NaN when the cell cannot be read */
  read(b: Uint8Array, start: number, end: number, row: number): number;
  /** why a cell that gave NaN cannot be read */
  reason(text: string): string;
  /** `date` while every cell so far was a bare date */
  kind(): TimeKind;
  /** after the last row: turns wall-clock readings into UTC (zones); `fail(i, why)` names row i */
  finish?(time: Float64Array, fail: (i: number, why: string) => never): void;
}

/**
 * ISO-8601 dates and date-times: the fixed forms from bytes, the rest by the general parser. With
 * a zone, date-times without `Z` or an offset are wall-clock times of that zone, converted to UTC
 * once every row is read; bare dates stay the UTC midnight of their day (a trading day's label).
 */
export function isoTimeReader(zone?: string): TimeReader {
  let datetime = false;
  let local = new Uint8Array(zone ? 1024 : 0);
  let anyLocal = false;
  const markLocal = (row: number) => {
    if (row >= local.length) {
      const bigger = new Uint8Array(Math.max(2 * local.length, row + 1));
      bigger.set(local);
      local = bigger;
    }
    local[row] = 1;
    anyLocal = true;
  };
  return {
    read(b, start, end, row) {
      const fast = parseTimeFast(b, start, end);
      if (fast === fast) {
        if (end - start !== 10) datetime = true;
        return fast;
      }
      if (zone) {
        const wall = parseWallClockFast(b, start, end);
        if (wall === wall) {
          datetime = true;
          markLocal(row);
          return wall;
        }
      }
      const p = parseTimeText(latin1(b, start, end), { local: zone !== undefined });
      if (!p.ok) return NaN;
      if (p.kind === 'datetime') datetime = true;
      if (p.local) markLocal(row);
      return p.ms;
    },
    reason(text) {
      const p = parseTimeText(text, { local: zone !== undefined });
      return p.ok ? 'unreadable' : p.reason;
    },
    kind: () => (datetime ? 'datetime' : 'date'),
    finish(time, fail) {
      if (!zone || !anyLocal) return;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < time.length; i++) {
        if (!local[i]) continue;
        lo = Math.min(lo, time[i]!);
        hi = Math.max(hi, time[i]!);
      }
      const clock = zoneClock(zone, lo, hi);
      for (let i = 0; i < time.length; i++) {
        if (!local[i]) continue;
        const t = clock.toUtc(time[i]!);
        if (t !== t) fail(i, nonexistent(zone));
        time[i] = t;
      }
    },
  };
}

const EPOCH_MS: Record<Exclude<TimeFormat, 'iso'>, number> = { epoch_s: 1000, epoch_ms: 1, epoch_us: 1e-3, epoch_ns: 1e-6 };

/** ms per unit of a numeric time column (Arrow, Parquet): by time_format, epoch ms when none or `iso` is given. */
export function epochMs(format: TimeFormat | undefined): number {
  return format === undefined || format === 'iso' ? 1 : EPOCH_MS[format];
}

/**
 * Epoch numbers. Integers of µs and ns are split into whole ms and the rest, so 19-digit
 * nanoseconds (beyond 2^53) still give the ms exactly plus the nearest double of the fraction.
 */
export function epochTimeReader(format: Exclude<TimeFormat, 'iso'>): TimeReader {
  const scale = EPOCH_MS[format];
  const split = format === 'epoch_ns' ? 6 : format === 'epoch_us' ? 3 : 0;
  return {
    read(b, start, end) {
      const digitsOnly = split > 0 && end - start > split && b.subarray(start, end).every((c, i) => (c >= 48 && c <= 57) || (i === 0 && c === 45));
      if (!digitsOnly) return parseDecimal(b, start, end) * scale;
      const neg = b[start] === 45;
      const whole = parseDecimal(b, neg ? start + 1 : start, end - split);
      const rest = parseDecimal(b, end - split, end) * scale;
      return neg ? -(whole + rest) : whole + rest;
    },
    reason: () => `not a number of ${format.slice(6) === 's' ? 'seconds' : format.slice(6) === 'ms' ? 'milliseconds' : format.slice(6) === 'us' ? 'microseconds' : 'nanoseconds'} since 1970-01-01T00:00Z`,
    kind: () => 'datetime',
  };
}

/** A bar index (0, 1, 2, …): no calendar, so bar k sits at day k and bars_per_year must be given. */
export function barIndexReader(): TimeReader {
  return {
    read(b, start, end) {
      if (start === end || end - start > 15) return NaN;
      let k = 0;
      for (let i = start; i < end; i++) {
        const d = b[i]! - 48;
        if (d < 0 || d > 9) return NaN;
        k = k * 10 + d;
      }
      return k * DAY_MS;
    },
    reason: () => 'a bar index must be a non-negative integer',
    kind: () => 'bar',
  };
}

/** The reader for a time key: `bar` keys are bar indexes; otherwise by format, with the zone for ISO wall-clock times. */
export function timeReaderFor(opts: { bar: boolean; format: TimeFormat; zone?: string; file: string; field: string }): TimeReader {
  if (opts.bar) return barIndexReader();
  if (opts.format === 'iso') return isoTimeReader(opts.zone);
  if (opts.zone) {
    // an epoch is an instant: a zone cannot apply to it
    throw regimenError({ code: 'data', file: opts.file, field: 'timezone', value: opts.zone, message: `applies to ISO clock times, not to ${opts.format} (epoch numbers are UTC instants)` });
  }
  return epochTimeReader(opts.format);
}
