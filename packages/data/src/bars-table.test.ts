import { describe, expect, it } from 'vitest';
import { timestampData } from './bars-table.js';

describe('timestampData', () => {
  it('stores epoch milliseconds as exact int64, before and after 1970', () => {
    const times = Float64Array.from([0, 1, -1, 86_400_000, -94_608_000_000 /* 1967 */, 978_307_200_000, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53) + 1, 1234.6]);
    const data = timestampData(times);
    const ints = data.values as unknown as BigInt64Array;
    expect(Array.from(ints, (x) => Number(x))).toEqual(Array.from(times, (t) => Math.round(t)));
    expect(ints[8]).toBe(BigInt(2 ** 53 - 1));
  });
});
