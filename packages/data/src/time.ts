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

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | null {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 2001-02-30 over to March; a calendar-valid date survives the round trip.
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  if (h > 23 || mi > 59 || s > 59) return null;
  return t;
}

export type ParsedTime = { ok: true; ms: number; kind: 'date' | 'datetime' } | { ok: false; reason: string };

/**
 * `YYYY-MM-DD` is the UTC midnight of that day (a daily file names the exchange's trading day,
 * not an instant, and UTC keeps it from moving with the machine's time zone). A date-time must
 * carry `Z` or an offset: a zone-less clock time is ambiguous, and guessing would shift bars.
 */
export function parseTimeText(text: string): ParsedTime {
  const s = text.trim();
  let m = DATE_RE.exec(s);
  if (m) {
    const ms = utc(+m[1]!, +m[2]!, +m[3]!);
    return ms === null ? { ok: false, reason: 'not a calendar date' } : { ok: true, ms, kind: 'date' };
  }
  m = DATETIME_RE.exec(s);
  if (!m) return { ok: false, reason: 'not a date (YYYY-MM-DD) or ISO-8601 date-time' };
  const zone = m[8];
  if (zone === undefined) return { ok: false, reason: 'date-time without a time zone (add Z or an offset such as +01:00)' };
  const frac = m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0;
  const ms = utc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0, frac);
  if (ms === null) return { ok: false, reason: 'not a valid calendar date-time' };
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
