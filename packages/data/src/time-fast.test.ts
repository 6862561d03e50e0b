import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { parseTimeFast } from './time-fast.js';
import { daysFromCivil, parseTimeText } from './time.js';

const fast = (s: string) => {
  const b = Buffer.from(s, 'latin1');
  return parseTimeFast(b, 0, b.length);
};

describe('parseTimeFast', () => {
  it('equals Date.parse and the general parser on edge cases', () => {
    const cases = [
      '1970-01-01', '1969-12-31', '1900-02-28', '1900-03-01', '2000-02-29', '2100-02-28', '2024-02-29', '0001-01-01', '9999-12-31',
      '1966-01-04', '1997-06-01T19:28Z', '2020-01-01T00:01:00Z', '2020-01-01 23:59:59Z', '1969-12-31T23:59:59Z', '2016-12-31T23:59:59Z',
      '1996-03-31T22:00:00Z', '2038-01-19T03:14:08Z', '1000-06-15T12:30:45Z',
    ];
    for (const s of cases) {
      const general = parseTimeText(s);
      expect(general.ok, s).toBe(true);
      expect(fast(s), s).toBe(Date.parse(s.replace(' ', 'T')));
      expect(fast(s), s).toBe((general as { ms: number }).ms);
    }
  });

  it('gives NaN for impossible dates and every form it does not cover (the general parser decides those)', () => {
    for (const s of ['2001-02-29', '1900-02-29', '2100-02-29', '2001-04-31', '2001-13-01', '2001-00-10', '2001-01-00', '2001-01-32',
      '2001-01-01T24:00:00Z', '2001-01-01T23:60:00Z', '2001-01-01T23:59:60Z', '2001-01-01T10:00:00', '2001-01-01T10:00',
      '2001-01-01T10:00:00+01:00', '2001-01-01T10:00:00.5Z', '2001/01/01', '01-01-2001', '2001-1-01', '20010101', '2001-01-01X10:00:00Z',
      '2001-01-01T10-00-00Z', ' 2001-01-01', '2001-01-01z', '+2001-01-01']) {
      expect(fast(s), s).toBeNaN();
    }
  });

  it('equals Date.parse on 20,000 random instants from year 1 to 9999', () => {
    const rng = createRng(11);
    const lo = Date.UTC(1, 0, 1);
    const hi = Date.UTC(9999, 11, 31, 23, 59, 59);
    for (let k = 0; k < 20_000; k++) {
      const ms = Math.floor((lo + rng.next() * (hi - lo)) / 1000) * 1000;
      const iso = new Date(ms).toISOString();
      const s = k % 2 ? iso.slice(0, 19) + 'Z' : iso.slice(0, 10);
      expect(fast(s), s).toBe(Date.parse(s));
    }
  });

  it('counts days like Date.UTC, including before 1970 and before year 1', () => {
    for (const [y, m, d] of [[1970, 1, 1], [1600, 2, 29], [-1, 3, 1], [0, 1, 1], [1582, 10, 15], [275760, 9, 13]] as const) {
      const viaDate = new Date(0);
      viaDate.setUTCFullYear(y, m - 1, d);
      expect(daysFromCivil(y, m, d) * 86_400_000).toBe(viaDate.getTime());
    }
  });
});
