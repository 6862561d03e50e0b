import { regimenError } from '@regimen/core';

/**
 * Wall-clock times of an IANA zone (`America/New_York`) to UTC, with the platform's time-zone
 * database (Intl, as Temporal and every browser use it). The zone's offset changes are found
 * once over the span of the data and every row is converted by arithmetic:
 *   - a clock time that never happened (the hour skipped when DST starts) is an error;
 *   - a clock time that happened twice (the hour repeated when DST ends) is the earlier instant,
 *     like Temporal's `disambiguation: 'compatible'` and Python's `fold=0`.
 */

const HOUR = 3_600_000;
/** Zones change offset at most once in this long (the shortest real interval is weeks). */
const PROBE = 6 * HOUR;

/** Checks a zone name, one error naming the field if the platform does not know it. */
export function checkZone(zone: string, field: string, file?: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw regimenError({ code: 'config', file, field, value: zone, message: 'unknown time zone: give an IANA name such as America/New_York, Europe/Zurich or UTC' });
  }
}

export interface ZoneClock {
  zone: string;
  /** epoch ms (UTC) of a wall-clock time given as ms since 1970-01-01T00:00 on that clock; NaN if it never happened */
  toUtc(local: number): number;
  /** the zone's offset (ms to add to UTC) at a UTC instant within the span */
  offsetAt(utc: number): number;
}

function offsetFn(zone: string): (utc: number) => number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
  });
  return (utc) => {
    const p: Record<string, number> = {};
    let bc = false;
    for (const { type, value } of f.formatToParts(utc)) {
      if (type === 'era') bc = value.startsWith('B');
      else if (type !== 'literal') p[type] = Number(value);
    }
    const d = new Date(0);
    d.setUTCFullYear(bc ? 1 - p.year! : p.year!, p.month! - 1, p.day!);
    d.setUTCHours(p.hour!, p.minute!, p.second!, 0);
    return d.getTime() - (utc - (((utc % 1000) + 1000) % 1000));
  };
}

/**
 * A clock for wall times between `lo` and `hi` (ms on that clock). Offsets are probed every six
 * hours over the span (with a day's margin) and each change is bisected to the second.
 */
export function zoneClock(zone: string, lo: number, hi: number): ZoneClock {
  const offset = offsetFn(zone);
  // transitions[k] = [utc instant, offset from then on]
  const start = lo - 2 * 24 * HOUR;
  const end = hi + 2 * 24 * HOUR;
  const at: number[] = [start];
  const off: number[] = [offset(start)];
  for (let t = start + PROBE; t <= end + PROBE; t += PROBE) {
    const o = offset(t);
    if (o === off[off.length - 1]) continue;
    let a = t - PROBE;
    let b = t;
    while (b - a > 1000) {
      const m = Math.floor((a + b) / 2000) * 1000;
      if (offset(m) === off[off.length - 1]) a = m;
      else b = m;
    }
    at.push(b);
    off.push(o);
  }
  let k = 0;
  return {
    zone,
    toUtc(local) {
      // rows come sorted, so the segment moves forward; a step back searches from the start
      if (k >= at.length || local < at[k]! + Math.min(off[k]!, off[k - 1] ?? off[k]!)) k = 0;
      while (k + 1 < at.length && local >= at[k + 1]! + Math.min(off[k]!, off[k + 1]!)) k++;
      const prev = off[k - 1];
      // inside transition k's window, between its two wall-clock readings: skipped or repeated
      if (prev !== undefined && local < at[k]! + Math.max(prev, off[k]!)) return off[k]! > prev ? NaN : local - prev;
      return local - off[k]!;
    },
    offsetAt(utc) {
      let lo = 0;
      let hi = at.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (at[mid]! <= utc) lo = mid;
        else hi = mid - 1;
      }
      return off[lo]!;
    },
  };
}

/** Every value of `time` (wall-clock readings of `zone`) to UTC in place; `fail(i)` for a reading that never happened. */
export function wallClockToUtc(time: Float64Array, zone: string, fail: (i: number, why: string) => never): void {
  if (time.length === 0) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < time.length; i++) {
    lo = Math.min(lo, time[i]!);
    hi = Math.max(hi, time[i]!);
  }
  const clock = zoneClock(zone, lo, hi);
  for (let i = 0; i < time.length; i++) {
    const t = clock.toUtc(time[i]!);
    if (t !== t) fail(i, nonexistent(zone));
    time[i] = t;
  }
}

export const nonexistent = (zone: string) => `this clock time does not exist in ${zone} (skipped when daylight saving time starts)`;
