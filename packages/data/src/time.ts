/**
 * Time keys of market data. Everything inside Regimen is epoch milliseconds UTC; text appears only
 * at the edges (CSV in, JSON out).
 */

export const DAY_MS = 86_400_000;

/** Names accepted for the first (time key) column, compared case-insensitively. */
export const TIME_KEY_NAMES = ['date', 'timestamp', 'time', 'datetime'] as const;
/** A bar-index key: integers, no calendar; bars_per_year must then be given. */
export const BAR_INDEX_KEY = 'bar';

/** How the time key of a file was written: calendar dates, instants, or bare bar numbers. */
export type TimeKind = 'date' | 'datetime' | 'bar';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level
 * date algorithms", days_from_civil). Exact integer arithmetic for every year.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m]!;
}

// Not Date.UTC: it rolls 2001-02-30 over to March and reads years 0..99 as 1900..1999.
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** `local`: a date-time without a zone, read as if its wall clock were UTC (only when asked for). */
export type ParsedTime = { ok: true; ms: number; kind: 'date' | 'datetime'; local?: boolean } | { ok: false; reason: string };

/**
 * `YYYY-MM-DD` is the UTC midnight of that day (a daily file names the exchange's trading day,
 * not an instant, and UTC keeps it from moving with the machine's time zone). A date-time must
 * carry `Z` or an offset: a zone-less clock time is ambiguous, and guessing would shift bars —
 * unless the caller knows the zone (`local: true`), then it comes back as a wall-clock reading.
 */
export function parseTimeText(text: string, opts: { local?: boolean } = {}): ParsedTime {
  const s = text.trim();
  let m = DATE_RE.exec(s);
  if (m) {
    const ms = utc(+m[1]!, +m[2]!, +m[3]!);
    return ms === null ? { ok: false, reason: 'not a calendar date' } : { ok: true, ms, kind: 'date' };
  }
  m = DATETIME_RE.exec(s);
  if (!m) return { ok: false, reason: 'not a date (YYYY-MM-DD) or ISO-8601 date-time' };
  const zone = m[8];
  if (zone === undefined && !opts.local) return { ok: false, reason: 'date-time without a time zone (add Z or an offset such as +01:00, or give the timezone of the file)' };
  const frac = m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0;
  const ms = utc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0, frac);
  if (ms === null) return { ok: false, reason: 'not a valid calendar date-time' };
  if (zone === undefined) return { ok: true, ms, kind: 'datetime', local: true };
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = digits.length > 2 ? +digits.slice(2) : 0;
    if (oh > 23 || om > 59) return { ok: false, reason: 'invalid time-zone offset' };
    offsetMin = sign * (oh * 60 + om);
  }
  return { ok: true, ms: ms - offsetMin * 60_000, kind: 'datetime' };
}

/**
 * One rule for every JSON output: a UTC midnight prints as `YYYY-MM-DD`, any other instant as
 * `YYYY-MM-DDTHH:MM:SSZ` (with `.sss` only when there are milliseconds). Both forms parse back
 * to the same epoch ms with `parseTimeText`, so the text is exact, and daily data stays readable.
 * The rule is per value: an intraday bar at 00:00 UTC also prints as a bare date.
 */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  const iso = new Date(ms).toISOString();
  if (ms % DAY_MS === 0) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? iso.slice(0, 19) + 'Z' : iso;
}
