import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { haltonSequence } from './halton.js';
import { sobolSequence } from './sobol.js';

// unscrambled points of scipy.stats.qmc.Sobol / Halton (Debian's python3-scipy), made by reference/make-reference.py
const ref = JSON.parse(readFileSync(new URL('../reference/sobol-halton.json', import.meta.url), 'utf8')) as {
  sobol_d10_n256_x2e32: number[][];
  sobol_d64_n64_x2e32: number[][];
  halton_d8_n200: number[][];
};
const take = (seq: { next(): Float64Array }, n: number) => Array.from({ length: n }, () => [...seq.next()]);

describe('low-discrepancy sequences against scipy', () => {
  it('Sobol equals scipy.stats.qmc.Sobol(scramble=False) exactly: 10 dims × 256 points, 64 dims × 64 points', () => {
    const scaled = (pts: number[][]) => pts.map((p) => p.map((x) => x * 2 ** 32));
    expect(scaled(take(sobolSequence(10), 256))).toEqual(ref.sobol_d10_n256_x2e32);
    expect(scaled(take(sobolSequence(64), 64))).toEqual(ref.sobol_d64_n64_x2e32);
  });

  it('Halton equals scipy.stats.qmc.Halton(scramble=False) to the last bits: 8 dims × 200 points', () => {
    const got = take(haltonSequence(8), 200);
    got.forEach((p, i) => p.forEach((x, j) => expect(Math.abs(x - ref.halton_d8_n200[i]![j]!)).toBeLessThan(1e-15)));
  });

  it('a digital shift keeps every 2^m block of Sobol points stratified (one point per dyadic cell)', () => {
    const shift = Uint32Array.from([0x9e3779b9, 0x7f4a7c15]);
    const pts = take(sobolSequence(2, shift), 64);
    // 64 points over the 8 × 8 grid of cells: each cell once, as for the unshifted sequence
    const cells = new Set(pts.map(([x, y]) => `${Math.floor(x! * 8)},${Math.floor(y! * 8)}`));
    expect(cells.size).toBe(64);
    expect(pts[0]).toEqual([0x9e3779b9 / 2 ** 32, 0x7f4a7c15 / 2 ** 32]);
  });

  it('refuses more dimensions than its direction numbers cover', () => {
    expect(() => sobolSequence(65)).toThrow(/at most 64 dimensions/);
  });
});
