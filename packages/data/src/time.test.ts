import { describe, it, expect } from 'vitest';
import { isoTime, parseTimeText } from './time.js';

describe('parseTimeText', () => {
  it('reads a date as UTC midnight', () => {
    expect(parseTimeText('1970-01-02')).toEqual({ ok: true, ms: 86_400_000, kind: 'date' });
    expect(parseTimeText('1966-01-04')).toEqual({ ok: true, ms: Date.UTC(1966, 0, 4), kind: 'date' });
  });
  it('applies Z and offsets', () => {
    const z = Date.UTC(1996, 2, 31, 22, 0, 0);
    expect(parseTimeText('1996-03-31T22:00:00Z')).toMatchObject({ ok: true, ms: z });
    expect(parseTimeText('1996-04-01T00:00:00+02:00')).toMatchObject({ ok: true, ms: z });
    expect(parseTimeText('1996-03-31T20:30-0130')).toMatchObject({ ok: true, ms: z });
    expect(parseTimeText('1996-03-31T22:00:00.250Z')).toMatchObject({ ok: true, ms: z + 250 });
  });
  it('rejects impossible dates, zone-less clock times and junk', () => {
    expect(parseTimeText('2001-02-29').ok).toBe(false);
    expect(parseTimeText('2001-13-01').ok).toBe(false);
    expect(parseTimeText('1997-06-01T19:28').ok).toBe(false);
    expect(parseTimeText('01/02/2001').ok).toBe(false);
    expect(parseTimeText('').ok).toBe(false);
  });
});

describe('isoTime', () => {
  it('prints midnights as dates and other instants in full, and round-trips', () => {
    expect(isoTime(Date.UTC(1966, 0, 4))).toBe('1966-01-04');
    expect(isoTime(Date.UTC(1996, 2, 31, 22, 30))).toBe('1996-03-31T22:30:00Z');
    expect(isoTime(Date.UTC(1996, 2, 31, 22, 30, 1, 5))).toBe('1996-03-31T22:30:01.005Z');
    for (const ms of [Date.UTC(1966, 0, 4), Date.UTC(2001, 5, 1, 13, 7, 9), Date.UTC(2001, 5, 1, 13, 7, 9, 123), -1]) {
      expect(parseTimeText(isoTime(ms))).toMatchObject({ ok: true, ms });
    }
  });
});
