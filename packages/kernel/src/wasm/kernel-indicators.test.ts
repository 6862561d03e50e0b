import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { donchianHigh, donchianLow } from '../reference/indicators/donchian.js';
import { createKernelArena } from './kernel-arena.js';
import { randomWalk } from './random-walk.js';
import { TEST_DATA_DIR } from '../../test/real-data.js';

/**
 * The kernel's Donchian series (van Herk / Gil–Werman blocks, assembly/indicators.ts) against the
 * reference's, byte for byte: flat stretches (ties), −0/+0, NaN, windows from 1 to past the end.
 */
const arena = createKernelArena();
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function kernelDonchian(x: Float64Array, n: number, isMax: boolean): Float64Array {
  const len = x.length;
  const at = arena.alloc(len * 8);
  const suffix = arena.alloc(len * 8);
  const out = arena.alloc(len * 8);
  arena.f64(at, len).set(x);
  arena.kernel.donchianSeries(at, len, n, isMax ? 1 : 0, suffix, out);
  const got = arena.f64(out, len).slice();
  arena.resetTo(at);
  return got;
}

function expectReference(x: Float64Array, n: number): void {
  for (const [isMax, reference] of [[true, donchianHigh], [false, donchianLow]] as const) {
    const got = kernelDonchian(x, n, isMax);
    const want = reference(x, n);
    if (!bytes(got).equals(bytes(want))) expect(got).toEqual(want);
  }
}

describe('kernel donchianSeries equals the reference bit for bit', () => {
  it('random walks with flat stretches, signed zeros and NaN', () => {
    const rng = createRng(3);
    for (const seed of [1, 2]) {
      const x = randomWalk(4000, seed).map((p) => Math.round(p * 10) / 10);
      x.fill(x[700]!, 700, 900);
      const zeros = Float64Array.from({ length: 50 }, () => (rng.next() < 0.5 ? 0 : -0));
      x.set(zeros, 1000);
      for (let i = 0; i < 20; i++) x[rng.int(2000, 3999)] = NaN;
      for (const n of [1, 2, 7, 20, 55, 250, 3999, 4000, 4001, 0]) expectReference(x, n);
    }
  });
  it('real data: USDCHF 30-minute closes', () => {
    const lines = readFileSync(join(TEST_DATA_DIR, 'usdchf_30min.csv'), 'utf8').trim().split('\n').slice(1);
    const close = Float64Array.from(lines, (l) => Number(l.slice(l.indexOf(',') + 1)));
    for (const n of [14, 113, 200]) expectReference(close, n);
  });
});
