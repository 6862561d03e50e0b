import { createSmaCrossPool, smaCrossReference, smaCrossWasm, standardSmaCrossGrid } from '@regimen/kernel';
import { assertSameChecksums, checksums, type Checksums } from './checksums.js';
import type { BenchOptions, EngineName } from './options.js';
import { loadPrices } from './prices.js';

export interface SmaCrossResult {
  suite: 'sma-cross';
  bars: number;
  trials: number;
  workers: number;
  engine: EngineName;
  /** median wall seconds of the whole grid, indicators included, loading excluded */
  seconds: number;
  bar_trials_per_s: number;
  checksums: Checksums;
  /** the TypeScript reference (one thread) in the same run: its time and the engine's speed-up over it */
  reference: { seconds: number; bar_trials_per_s: number };
  speedup: number;
  runs: number[];
  prices: string;
  /** bytes of the shared WebAssembly memory (market data + worker scratch), 0 for js */
  memory_bytes: number;
}

const FEE = 0.001;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const now = () => performance.now() / 1000;

/**
 * The standard grid benchmark (2,500 SMA-crossover trials). The engine's rows are checked against
 * the TypeScript reference — metric checksums to 1e-9 relative, every trial's trade count
 * exactly — before any time is reported.
 */
export async function smaCrossSuite(o: BenchOptions): Promise<SmaCrossResult> {
  const { prices, source } = await loadPrices(o);
  const grid = standardSmaCrossGrid();
  const trials = grid.length / 2;
  const work = prices.length * trials;

  let t = now();
  const ref = smaCrossReference(prices, grid, FEE);
  const refSeconds = now() - t;

  const runs: number[] = [];
  let rows: Float64Array;
  let memoryBytes = 0;
  let workers = o.workers;
  if (o.engine === 'wasm') {
    const pool = await createSmaCrossPool(prices, { workers: o.workers });
    try {
      rows = new Float64Array(0);
      for (let i = 0; i < o.repeat; i++) {
        t = now();
        rows = await pool.run(grid, { fee: FEE });
        runs.push(now() - t);
      }
      memoryBytes = pool.memoryBytes();
    } finally {
      await pool.close();
    }
  } else {
    // The js engine is the reference itself (one thread); its cross-check is the WASM kernel.
    workers = 1;
    runs.push(refSeconds);
    for (let i = 1; i < o.repeat; i++) {
      t = now();
      smaCrossReference(prices, grid, FEE);
      runs.push(now() - t);
    }
    rows = smaCrossWasm(prices, grid, { fee: FEE });
  }

  const got = checksums(o.engine === 'wasm' ? rows : ref);
  assertSameChecksums('sma-cross', got, checksums(o.engine === 'wasm' ? ref : rows));
  for (let k = 0; k < trials; k++) {
    if (rows[4 * k + 3] !== ref[4 * k + 3]) assertSameChecksums(`sma-cross trial ${k}`, checksums(rows.subarray(4 * k, 4 * k + 4)), checksums(ref.subarray(4 * k, 4 * k + 4)));
  }
  const seconds = median(runs);
  return {
    suite: 'sma-cross',
    bars: prices.length,
    trials,
    workers,
    engine: o.engine,
    seconds,
    bar_trials_per_s: work / seconds,
    checksums: got,
    reference: { seconds: refSeconds, bar_trials_per_s: work / refSeconds },
    speedup: refSeconds / seconds,
    runs,
    prices: source,
    memory_bytes: memoryBytes,
  };
}
