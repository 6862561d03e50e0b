import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomWalk, smaCrossReference, standardSmaCrossGrid } from '@regimen/kernel';
import { checksums, parseBenchArgs, runBench, writeResult, type SmaCrossResult } from './index.js';

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

  it('rejects an unknown suite', async () => {
    await expect(runBench('nope')).rejects.toThrow(/unknown benchmark suite/);
  });
});
