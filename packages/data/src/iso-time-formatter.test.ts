import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { isoTimeFormatter } from './iso-time-formatter.js';
import { DAY_MS, isoTime } from './time.js';

describe('isoTimeFormatter writes exactly isoTime', () => {
  it('for bars in order, random instants, day boundaries, milliseconds and odd values', () => {
    const iso = isoTimeFormatter();
    const rng = createRng(4);
    const t0 = Date.UTC(2021, 4, 1, 23, 58);
    const instants = [
      ...Array.from({ length: 3000 }, (_, i) => t0 + i * 60_000),
      ...Array.from({ length: 3000 }, () => rng.int(-5e12, 5e12)),
      ...Array.from({ length: 200 }, () => rng.int(-3e3, 3e3) * DAY_MS),
      Date.UTC(1966, 0, 4), Date.UTC(1996, 2, 31, 22, 30, 1, 5), Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      -62_167_219_200_000, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001, 1.5, -0,
    ];
    for (const ms of instants) {
      const want = isoTime(ms);
      if (iso(ms) !== want) expect(iso(ms), String(ms)).toBe(want);
    }
    expect(iso(Date.UTC(2021, 4, 1, 2, 41))).toBe('2021-05-01T02:41:00Z');
    expect(() => iso(NaN)).toThrow(/not a time/);
  });
});
