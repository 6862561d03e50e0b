import { createSmaCrossPool, randomWalk, smaCrossGrid, smaCrossReference } from '@regimen/kernel';
import { assertSameChecksums, checksums } from './checksums.js';
import type { BenchOptions } from './options.js';

export interface ScalingRow {
  bars: number;
  trials: number;
  workers: number;
  seconds: number;
  bar_trials_per_s: number;
  /** highest resident set size sampled during the run (the workers are threads of this process) */
  peak_rss_bytes: number;
  /** the shared WebAssembly memory: market data + every worker's scratch */
  shared_memory_bytes: number;
}

export interface ScalingResult {
  suite: 'scaling';
  engine: 'wasm';
  rows: ScalingRow[];
  /** two-worker time over one-worker time, per (bars, trials) */
  speedup_2_over_1: Array<{ bars: number; trials: number; speedup: number }>;
}

/** A k×k sma-cross grid: fast 2,4,…,2k × slow 10,20,…,10k. */
function squareGrid(trials: number): Int32Array {
  const k = Math.max(1, Math.round(Math.sqrt(trials)));
  return smaCrossGrid(Array.from({ length: k }, (_, i) => 2 * (i + 1)), Array.from({ length: k }, (_, i) => 10 * (i + 1)));
}

/** Every `stride`-th trial's rows against the reference, so large configurations stay checkable. */
function checkSample(prices: Float64Array, grid: Int32Array, rows: Float64Array): void {
  const trials = grid.length / 2;
  const stride = Math.max(1, Math.floor(trials / 40));
  for (let k = 0; k < trials; k += stride) {
    const ref = smaCrossReference(prices, grid.subarray(2 * k, 2 * k + 2));
    assertSameChecksums(`scaling trial ${k}`, checksums(rows.subarray(4 * k, 4 * k + 4)), checksums(ref));
  }
}

/** 1 vs 2 workers over bars 10k → 1M and trials 100 → 10k: time and peak memory. */
export async function scalingSuite(o: BenchOptions): Promise<ScalingResult> {
  const barsList = o.barsList ?? [10_000, 100_000, 1_000_000];
  const trialsList = o.trialsList ?? [100, 2_500, 10_000];
  const rows: ScalingRow[] = [];
  const speedup: ScalingResult['speedup_2_over_1'] = [];
  for (const bars of barsList) {
    const prices = randomWalk(bars, o.seed);
    for (const trials of trialsList) {
      const grid = squareGrid(trials);
      const seconds: number[] = [];
      for (const workers of [1, 2]) {
        const pool = await createSmaCrossPool(prices, { workers });
        try {
          let peak = process.memoryUsage.rss();
          const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
          const t = performance.now();
          const out = await pool.run(grid);
          const s = (performance.now() - t) / 1000;
          clearInterval(timer);
          peak = Math.max(peak, process.memoryUsage.rss());
          checkSample(prices, grid, out);
          seconds.push(s);
          rows.push({ bars, trials: grid.length / 2, workers, seconds: s, bar_trials_per_s: (bars * grid.length) / 2 / s,
            peak_rss_bytes: peak, shared_memory_bytes: pool.memoryBytes() });
        } finally {
          await pool.close();
        }
      }
      speedup.push({ bars, trials: grid.length / 2, speedup: seconds[0] / seconds[1] });
    }
  }
  return { suite: 'scaling', engine: 'wasm', rows, speedup_2_over_1: speedup };
}
