import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomWalk } from './random-walk.js';
import { smaCrossReference } from './sma-cross-reference.js';
import { smaCrossGrid, standardSmaCrossGrid } from './sma-cross-plan.js';
import { smaCrossWasm } from './sma-cross-wasm.js';
import { EMBEDDED_DATA_DIR } from '../../test/real-data.js';

/** Trades exactly, every metric to 1e-12 relative (it is in fact bit-identical). */
function expectSameRows(wasm: Float64Array, ref: Float64Array): void {
  expect(wasm.length).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    if (i % 4 === 3) expect(wasm[i]).toBe(ref[i]);
    else expect(Math.abs(wasm[i] - ref[i])).toBeLessThanOrEqual(1e-12 * Math.abs(ref[i]));
  }
}

function readCloses(path: string): Float64Array {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const col = lines[0].split(',').indexOf('close');
  return Float64Array.from(lines.slice(1), (l) => Number(l.split(',')[col]));
}

describe('sma-cross on the WebAssembly kernel', () => {
  it('matches a hand-computed trial', () => {
    // fast 1 = the price itself, slow 2 = mean of the last two: long exactly when the price rose.
    const p = Float64Array.of(10, 11, 12, 11, 13, 13);
    // pos = [0,1,1,0,1,0]; ret[1] = −fee; ret[2] = 12/11−1; ret[3] = 11/12−1−fee; ret[4] = −fee; ret[5] = 0−fee
    const fee = 0.001;
    const rets = [-fee, 12 / 11 - 1, 11 / 12 - 1 - fee, -fee, 0 - fee];
    let e = 1, peak = 1, dd = 0;
    for (const r of rets) { e *= 1 + r; peak = Math.max(peak, e); dd = Math.max(dd, 1 - e / peak); }
    const mean = rets.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(rets.reduce((a, r) => a + (r - mean) ** 2, 0) / 4);
    const row = smaCrossWasm(p, smaCrossGrid([1], [2]), { fee });
    expect(row[0]).toBeCloseTo(e - 1, 14);
    expect(row[1]).toBeCloseTo((mean / sd) * Math.sqrt(252), 10);
    expect(row[2]).toBeCloseTo(dd, 14);
    expect(row[3]).toBe(4);
  });

  it('equals the TypeScript reference on random walks, across block boundaries and padded lanes', () => {
    const grid = smaCrossGrid([2, 3, 5, 8, 13, 21, 40], [10, 11, 30, 50, 77]); // 35 trials, 11 windows
    for (const seed of [1, 2, 3]) {
      const p = randomWalk(3000, seed);
      const ref = smaCrossReference(p, grid);
      for (const block of [7, 64, 2048, 4096]) expectSameRows(smaCrossWasm(p, grid, { block }), ref);
    }
  });

  it('equals the reference on the standard grid', () => {
    const p = randomWalk(1500, 42);
    const grid = standardSmaCrossGrid();
    expect(grid.length / 2).toBe(2500);
    expect([grid[0], grid[1], grid[2 * 51], grid[2 * 51 + 1]]).toEqual([2, 10, 4, 20]);
    expectSameRows(smaCrossWasm(p, grid), smaCrossReference(p, grid));
  });

  it('equals the reference on real data (NYSE composite, daily)', () => {
    const p = readCloses(join(EMBEDDED_DATA_DIR, 'nyse_composite_daily_close.csv'));
    expect(p.length).toBeGreaterThan(9000);
    const grid = smaCrossGrid([2, 10, 20, 50, 100], [10, 50, 100, 200, 500]);
    const ref = smaCrossReference(p, grid);
    expectSameRows(smaCrossWasm(p, grid), ref);
    expect(ref[4 * 3 + 3]).toBeGreaterThan(0); // (2, 200) trades on real data
  });
});
