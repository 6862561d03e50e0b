import { describe, expect, it } from 'vitest';
import { checkZone, zoneClock } from './zone.js';

const wall = (s: string) => Date.parse(s + 'Z');
/** An independent reading of an instant's wall clock in a zone, through Intl's formatter (sv-SE prints ISO-like). */
const formats = new Map<string, Intl.DateTimeFormat>();
function wallClockOf(utc: number, zone: string): string {
  if (!formats.has(zone)) formats.set(zone, new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }));
  return formats.get(zone)!.format(utc).replace(' ', 'T');
}

describe('zoneClock', () => {
  it('converts around New York DST edges: skipped clock times are NaN, repeated ones the earlier instant', () => {
    const c = zoneClock('America/New_York', wall('2021-01-01T00:00'), wall('2021-12-31T00:00'));
    expect(c.toUtc(wall('2021-03-14T01:59:59'))).toBe(Date.parse('2021-03-14T06:59:59Z'));
    expect(c.toUtc(wall('2021-03-14T02:00'))).toBeNaN();
    expect(c.toUtc(wall('2021-03-14T02:59:59'))).toBeNaN();
    expect(c.toUtc(wall('2021-03-14T03:00'))).toBe(Date.parse('2021-03-14T07:00:00Z'));
    expect(c.toUtc(wall('2021-11-07T00:59:59'))).toBe(Date.parse('2021-11-07T04:59:59Z'));
    expect(c.toUtc(wall('2021-11-07T01:30'))).toBe(Date.parse('2021-11-07T05:30:00Z')); // EDT, the first 01:30
    expect(c.toUtc(wall('2021-11-07T02:00'))).toBe(Date.parse('2021-11-07T07:00:00Z'));
    expect(c.offsetAt(Date.parse('2021-07-01T00:00:00Z'))).toBe(-4 * 3_600_000);
  });

  it('round-trips every 97 minutes over two years of three zones against Intl (half-hour DST in Lord Howe, +5:45 Nepal)', () => {
    for (const zone of ['Europe/Zurich', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      const lo = wall('2019-01-01T00:00');
      const hi = wall('2020-12-31T00:00');
      const c = zoneClock(zone, lo, hi);
      for (let t = lo; t < hi; t += 97 * 60_000) {
        const w = wallClockOf(t, zone);
        const back = c.toUtc(wall(w));
        // the earlier instant of a repeated clock time reads the same wall clock
        expect(wallClockOf(back, zone), `${zone} ${w}`).toBe(w);
        expect(back).toBeLessThanOrEqual(t);
        expect(t - back).toBeLessThanOrEqual(3_600_000);
      }
    }
  });

  it('knows IANA names and refuses others', () => {
    expect(checkZone('UTC', 'timezone')).toBe('UTC');
    expect(checkZone('America/New_York', 'timezone')).toBe('America/New_York');
    expect(() => checkZone('Mars/Olympus', 'workflow.data.timezone')).toThrow(/unknown time zone/);
  });
});
