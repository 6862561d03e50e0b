import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timestampData, writeBarsArrow } from './bars-table.js';
import { loadMarketData } from './market-data.js';

describe('timestampData', () => {
  it('stores epoch milliseconds as exact int64, before and after 1970', () => {
    const times = Float64Array.from([0, 1, -1, 86_400_000, -94_608_000_000 /* 1967 */, 978_307_200_000, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53) + 1, 1234.6]);
    const data = timestampData(times);
    const ints = data.values as unknown as BigInt64Array;
    expect(Array.from(ints, (x) => Number(x))).toEqual(Array.from(times, (t) => Math.round(t)));
    expect(ints[8]).toBe(BigInt(2 ** 53 - 1));
  });
});

describe('writeBarsArrow', () => {
  it('writes a readable file when open, high, low and close are one array (a close-only series)', () => {
    const close = Float64Array.from({ length: 1000 }, (_, i) => 100 + i);
    const time = Float64Array.from({ length: 1000 }, (_, i) => Date.UTC(2020, 0, 1) + i * 60000);
    const file = join(mkdtempSync(join(tmpdir(), 'regimen-bars-')), 'shared.arrow');
    writeBarsArrow(file, { time, open: close, high: close, low: close, close });
    const back = loadMarketData(file).bars;
    expect(Array.from(back.close)).toEqual(Array.from(close));
    expect(Array.from(back.high)).toEqual(Array.from(close));
    expect(Array.from(back.time)).toEqual(Array.from(time));
  });
});
