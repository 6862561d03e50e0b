import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { slidingMax, slidingMin } from './sliding-extreme.js';

// @regimen/plugin-testkit's real series by location: its realDataPath is out of reach (the kit depends on core)
const USDCHF = fileURLToPath(new URL('../../plugin-testkit/data/usdchf_30min.csv', import.meta.url));

/** The oracle: the plain O(len·n) scan that slidingMax/slidingMin replace (the Donchian channel of TTR's convention). */
function scan(x: ArrayLike<number>, n: number, isMax: boolean): Float64Array {
  const len = x.length;
  const out = new Float64Array(len).fill(NaN);
  if (n < 1 || n > len) return out;
  for (let t = n - 1; t < len; t++) {
    let m = x[t - n + 1]!;
    for (let i = t - n + 2; i <= t; i++) if (isMax ? x[i]! > m : x[i]! < m) m = x[i]!;
    out[t] = m;
  }
  return out;
}

/** The same bits (NaN payloads too); toEqual, which also tells −0 from +0, shows a difference. */
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const expectSame = (a: Float64Array, b: Float64Array) => {
  if (!bytes(a).equals(bytes(b))) expect(a).toEqual(b);
};
const expectScan = (x: ArrayLike<number>, n: number) => {
  expectSame(slidingMax(x, n), scan(x, n, true));
  expectSame(slidingMin(x, n), scan(x, n, false));
};

/** A random walk with flat stretches (runs of one price), plateaus repeating earlier levels. */
function walkWithFlats(seed: number, len: number): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(len);
  let p = 100;
  for (let t = 0; t < len; ) {
    if (rng.next() < 0.2) {
      const run = rng.int(2, 40);
      for (let k = 0; k < run && t < len; k++) x[t++] = p;
    } else {
      p = Math.round(p * Math.exp(0.01 * rng.normal()) * 100) / 100;
      x[t++] = p;
    }
  }
  return x;
}

describe('sliding max/min equal the plain scan bit for bit', () => {
  it('random walks with flat stretches, windows from 1 to longer than the series', () => {
    for (const seed of [1, 2, 3]) {
      const x = walkWithFlats(seed, 3000);
      for (const n of [1, 2, 3, 7, 20, 55, 200, 1000, 2999, 3000, 3001, 0, -1]) expectScan(x, n);
    }
  });
  it('ties of −0 and +0 keep the first, as the scan does', () => {
    const x = Float64Array.from([0, -0, 0, -0, -0, 0, 1, -0, 0, -1, 0, -0]);
    for (const n of [1, 2, 3, 4, 12]) expectScan(x, n);
    expect(Object.is(slidingMax(Float64Array.from([-0, 0]), 2)[1], -0)).toBe(true);
  });
  it('NaN never wins, but a window starting at a NaN is NaN', () => {
    const rng = createRng(9);
    const x = walkWithFlats(4, 500);
    for (let i = 0; i < 60; i++) x[rng.int(0, 499)] = NaN;
    x.fill(NaN, 100, 130);
    for (const n of [1, 2, 5, 31, 40, 499]) expectScan(x, n);
    expect(Number.isNaN(slidingMax(Float64Array.from([NaN, 1, 2]), 2)[1])).toBe(true);
    expect(slidingMax(Float64Array.from([1, NaN, 2]), 2)[1]).toBe(1);
  });
  it('infinities, and monotone series (the extreme at either end of each window)', () => {
    expectScan(Float64Array.from([Infinity, -Infinity, 3, Infinity, 2, -Infinity]), 2);
    const up = Float64Array.from({ length: 400 }, (_, i) => i);
    const down = Float64Array.from({ length: 400 }, (_, i) => -i);
    for (const n of [1, 10, 399]) {
      expectScan(up, n);
      expectScan(down, n);
    }
  });
  it('real data: USDCHF 30-minute closes (62k bars)', () => {
    const lines = readFileSync(USDCHF, 'utf8').trim().split('\n').slice(1);
    const close = Float64Array.from(lines, (l) => Number(l.slice(l.indexOf(',') + 1)));
    expect(close.length).toBeGreaterThan(60_000);
    for (const n of [20, 113, 199]) expectScan(close, n);
  });
});
