import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomWalk, smaCrossReference, standardSmaCrossGrid } from '@regimen/kernel';
import { checksums, parseBenchArgs, runBench, writeResult, type Phase1Result, type ReplayResult, type SmaCrossResult, type StrategyPluginResult } from './index.js';

describe('benchmarks', () => {
  it('parses suite options and rejects bad ones with one line', () => {
    const o = parseBenchArgs(['--bars', '5000', '--workers=1', '--engine', 'js', '--json']);
    expect(o).toMatchObject({ bars: 5000, workers: 1, engine: 'js', json: true });
    expect(() => parseBenchArgs(['--workers', '0'])).toThrow(/--workers/);
    expect(() => parseBenchArgs(['--engine', 'c'])).toThrow(/wasm or js/);
    expect(() => parseBenchArgs(['--frobnicate'])).toThrow(/unknown/);
  });

  it('sma-cross reports the reference checksums and the JSON fields', async () => {
    const [r] = (await runBench('sma-cross', ['--bars', '1200', '--workers', '2', '--seed', '5'])) as SmaCrossResult[];
    const want = checksums(smaCrossReference(randomWalk(1200, 5), standardSmaCrossGrid()));
    expect(r).toMatchObject({ suite: 'sma-cross', bars: 1200, trials: 2500, workers: 2, engine: 'wasm' });
    expect(r.checksums.trades).toBe(want.trades);
    expect(r.checksums.sharpe).toBeCloseTo(want.sharpe, 9);
    expect(r.bar_trials_per_s).toBeCloseTo((1200 * 2500) / r.seconds, 0);
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    try {
      const path = writeResult(r, dir);
      expect(readdirSync(dir)).toHaveLength(1);
      expect(JSON.parse(readFileSync(path, 'utf8')).checksums).toEqual(r.checksums);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('phase1 runs the full mode end to end, writing every trial\'s two files, after checking the reference', async () => {
    const [r] = (await runBench('phase1', ['--bars', '3000', '--trials', '12', '--workers', '2'])) as Phase1Result[];
    expect(r).toMatchObject({ suite: 'phase1', bars: 3000, trials: 12, workers: 2, engine: 'wasm' });
    expect(r.end_to_end.files).toBe(24);
    expect(r.checked_trials).toBeGreaterThanOrEqual(2);
    expect(r.overhead).toBeCloseTo(r.end_to_end.seconds / r.kernel_pool.seconds, 9);
  });

  it('replay scores weight sets and checks them against the reference and a full re-backtest', async () => {
    const [r] = (await runBench('replay', ['--bars', '3000', '--weight-sets', '20'])) as ReplayResult[];
    expect(r).toMatchObject({ suite: 'replay', bars: 3000, weight_sets: 20, strategies: 2, regimes: 3, checked_sets: 6 }); // one set at each lane position of the kernel's four-set passes, and more
    expect(r.speedup).toBeCloseTo(r.full.per_set_seconds / r.replay.per_set_seconds, 9);
  });

  it('strategy-plugin times the built-in, the AssemblyScript and the TypeScript plugin after checking they agree', async () => {
    const [r] = (await runBench('strategy-plugin', ['--bars', '3000', '--trials', '12', '--workers', '2'])) as StrategyPluginResult[];
    expect(r).toMatchObject({ suite: 'strategy-plugin', bars: 3000, trials: 12, workers: 2 });
    expect(r.variants.map((v) => v.type)).toEqual(['sma_crossover', 'sma-cross', 'sma-cross-ts']);
    expect(r.variants[0]!.vs_builtin).toBe(1);
    for (const v of r.variants) expect(v.bar_trials_per_s).toBeCloseTo((3000 * 12) / v.seconds, 0);
    expect(r.targets.assemblyscript.got).toBe(r.variants[1]!.vs_builtin);
    expect(r.checked_trials).toBeGreaterThanOrEqual(6);
  });

  it('rejects an unknown suite', async () => {
    await expect(runBench('nope')).rejects.toThrow(/unknown benchmark suite/);
  });
});
