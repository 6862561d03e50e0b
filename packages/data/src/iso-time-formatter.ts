import { DAY_MS, isoTime } from './time.js';

/** 0000-01-01 and 10000-01-01 UTC: between them toISOString writes a plain four-digit year. */
const FIRST = -62_167_219_200_000;
const LAST = 253_402_300_800_000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * isoTime for many instants that come in runs within one UTC day — a series of bars, e.g. every
 * regime transition of a validation run (156k of them at 1M one-minute bars, where building a
 * Date per bar was most of the list's cost). The date is formatted once per day and the clock by
 * integer arithmetic; the text is exactly isoTime's, which any other instant falls back to.
 */
export function isoTimeFormatter(): (ms: number) => string {
  let dayStart = NaN;
  let date = '';
  return (ms) => {
    if (!Number.isInteger(ms) || ms < FIRST || ms >= LAST) return isoTime(ms);
    let inDay = ms - dayStart;
    if (!(inDay >= 0 && inDay < DAY_MS)) {
      dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
      date = isoTime(dayStart);
      inDay = ms - dayStart;
    }
    if (inDay === 0) return date;
    const millis = inDay % 1000;
    const s = (inDay - millis) / 1000;
    const clock = `${date}T${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}`;
    return millis === 0 ? clock + 'Z' : `${clock}.${String(millis).padStart(3, '0')}Z`;
  };
}
