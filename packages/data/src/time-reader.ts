import { latin1 } from './decimal.js';
import { DAY_MS, parseTimeText, type TimeKind } from './time.js';
import { parseTimeFast } from './time-fast.js';

/** Reads the time key of one cell into epoch ms UTC, and says afterwards what kind of key the file had. */
export interface TimeReader {
  /** epoch ms of the cell's bytes [start, end), or NaN when the cell cannot be read */
  read(b: Uint8Array, start: number, end: number): number;
  /** why a cell that gave NaN cannot be read */
  reason(text: string): string;
  /** `date` while every cell so far was a bare date */
  kind(): TimeKind;
}

/** ISO-8601 dates and date-times with a zone: the fixed forms from bytes, the rest by the general parser. */
export function isoTimeReader(): TimeReader {
  let datetime = false;
  return {
    read(b, start, end) {
      const fast = parseTimeFast(b, start, end);
      if (fast === fast) {
        if (end - start !== 10) datetime = true;
        return fast;
      }
      const p = parseTimeText(latin1(b, start, end));
      if (!p.ok) return NaN;
      if (p.kind === 'datetime') datetime = true;
      return p.ms;
    },
    reason(text) {
      const p = parseTimeText(text);
      return p.ok ? 'unreadable' : p.reason;
    },
    kind: () => (datetime ? 'datetime' : 'date'),
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
