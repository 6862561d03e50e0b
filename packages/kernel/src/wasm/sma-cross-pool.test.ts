import { afterAll, describe, expect, it } from 'vitest';
import { randomWalk } from './random-walk.js';
import { createSmaCrossPool, type SmaCrossPool } from './sma-cross-pool.js';
import { smaCrossReference } from './sma-cross-reference.js';
import { smaCrossGrid } from './sma-cross-plan.js';

describe('sma-cross pool over shared memory', () => {
  const p = randomWalk(4000, 7);
  const grid = smaCrossGrid([2, 4, 6, 8, 10, 30], [10, 20, 50, 100, 150, 200, 250]); // 42 trials
  const pools: SmaCrossPool[] = [];
  afterAll(() => Promise.all(pools.map((x) => x.close())));

  it('gives the same rows with 1 and 2 workers, in any batching, as the reference', async () => {
    const one = await createSmaCrossPool(p, { workers: 1 });
    const two = await createSmaCrossPool(p, { workers: 2 });
    pools.push(one, two);
    const ref = smaCrossReference(p, grid);
    const a = await one.run(grid);
    const b = await two.run(grid);
    const c = await two.run(grid, { batchesPerWorker: 5, block: 100 });
    expect(Array.from(a)).toEqual(Array.from(ref));
    expect(Array.from(b)).toEqual(Array.from(ref));
    expect(Array.from(c)).toEqual(Array.from(ref));
  });

  it('keeps the market data in one shared memory and does not grow it per run', async () => {
    const pool = await createSmaCrossPool(p, { workers: 2 });
    pools.push(pool);
    await pool.run(grid);
    const bytes = pool.memoryBytes();
    expect(bytes).toBeGreaterThanOrEqual(2 * 4000 * 8);
    for (let i = 0; i < 3; i++) await pool.run(grid);
    expect(pool.memoryBytes()).toBe(bytes);
  });

  it('rejects a bad worker count', async () => {
    await expect(createSmaCrossPool(p, { workers: 0 })).rejects.toThrow(/workers/);
  });
});
