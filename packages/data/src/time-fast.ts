import { DAY_MS, daysFromCivil, daysInMonth } from './time.js';

/**
 * The two fixed forms nearly every market data file uses, read from bytes without a string or a
 * regular expression: `YYYY-MM-DD` (10 bytes) and `YYYY-MM-DDTHH:MM[:SS]Z` (17 or 20 bytes, `T`
 * or a space). Every digit and separator is checked and the date must exist; anything else gives
 * NaN and the caller falls back to the general parser (`parseTimeText`), which also explains what
 * is wrong. The tests compare this with `Date.parse` and with the general parser.
 */

const ZERO = 48;

function two(b: Uint8Array, i: number): number {
  const x = b[i]! - ZERO;
  const y = b[i + 1]! - ZERO;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/** Epoch-ms day of `YYYY-MM-DD` at bytes [i, i+10), or NaN. */
function dateAt(b: Uint8Array, i: number): number {
  const c = two(b, i);
  const yl = two(b, i + 2);
  const m = two(b, i + 5);
  const d = two(b, i + 8);
  if (c < 0 || yl < 0 || m < 1 || m > 12 || d < 1 || b[i + 4] !== 45 || b[i + 7] !== 45) return NaN;
  const y = c * 100 + yl;
  if (d > daysInMonth(y, m)) return NaN;
  return daysFromCivil(y, m, d) * DAY_MS;
}

/**
 * Epoch ms of the fast forms at bytes [start, end), or NaN. `date` marks a bare date, so callers
 * can tell daily files from intraday ones without a second look.
 */
export function parseTimeFast(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 10) return dateAt(b, start);
  if ((len !== 17 && len !== 20) || b[end - 1] !== 90 /* Z */) return NaN;
  return clockAt(b, start, len - 1);
}

/** `YYYY-MM-DDTHH:MM[:SS]` without a zone (16 or 19 bytes): the wall-clock reading as if it were UTC, or NaN. */
export function parseWallClockFast(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  return len === 16 || len === 19 ? clockAt(b, start, len) : NaN;
}

/** Date and clock of `len` bytes (16: to minutes, 19: to seconds) from `start`. */
function clockAt(b: Uint8Array, start: number, len: number): number {
  const sep = b[start + 10];
  if (sep !== 84 /* T */ && sep !== 32) return NaN;
  const day = dateAt(b, start);
  const h = two(b, start + 11);
  const mi = two(b, start + 14);
  if (b[start + 13] !== 58 || h < 0 || h > 23 || mi < 0 || mi > 59) return NaN;
  let s = 0;
  if (len === 19) {
    s = two(b, start + 17);
    if (b[start + 16] !== 58 || s < 0 || s > 59) return NaN;
  }
  return day + ((h * 60 + mi) * 60 + s) * 1000;
}
