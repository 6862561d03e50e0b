import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localExecutor, loadEngine, runFullBacktest, type TrialJob } from '@regimen/backtester';
import { workspacePaths } from '@regimen/core';
import { referenceEngine } from '@regimen/kernel';
import type { BenchOptions, EngineName } from './options.js';
import { loadPrices } from './prices.js';
import { assertSameRow, benchRegimes, closeOnlyBars, median, now, seedTrials } from './workload.js';

export interface Phase1Result {
  suite: 'phase1';
  bars: number;
  trials: number;
  workers: number;
  engine: EngineName;
  prices: string;
  /** runFullBacktest through the pool: trials, signals captured, every trial's Arrow signals and JSON performance written */
  end_to_end: { seconds: number; runs: number[]; files: number; bytes_written: number };
  /** the same trials through the same pool, no signals, no files */
  kernel_pool: { seconds: number; runs: number[] };
  /** engine.runTrials in this thread, no signals, no files (one core) */
  kernel_thread: { seconds: number };
  /** end_to_end / kernel_pool */
  overhead: number;
  bar_trials_per_s: number;
  /** trials checked against the reference engine before timing */
  checked_trials: number;
}

/**
 * The seed workflow's phase 1 at scale: every trial of two strategy types, regimes of two
 * classifiers, on the training window, through the backtester's full mode and executor — the
 * files of a real workspace included — against the kernel time of the same trials.
 */
export async function phase1Suite(o: BenchOptions): Promise<Phase1Result> {
  const { prices, source } = await loadPrices(o);
  const bars = closeOnlyBars(prices);
  const trials = seedTrials(o.trials);
  const job: TrialJob = {
    bars, window: { start: 0, end: prices.length }, trials, regimes: benchRegimes(prices),
    costs: { fee: 0.001, slippage: 0.0005 }, barsPerYear: 252, captureSignals: true,
  };
  const engine = await loadEngine(o.engine);

  // the check: a sample of trials (both types) against the reference, before any timing
  const sample = trials.filter((_, i) => i % Math.max(1, Math.floor(trials.length / 8)) === 0 || i === 1);
  const want = referenceEngine.runTrials({ ...job, trials: sample });
  const got = engine.runTrials({ ...job, trials: sample });
  sample.forEach((t, i) => assertSameRow(`phase1 ${t.trial_id}`, got[i]!, want[i]!));

  let t = now();
  engine.runTrials({ ...job, captureSignals: false });
  const kernelThread = now() - t;

  const executor = localExecutor({ workers: o.workers, engine: o.engine });
  const e2e: number[] = [];
  const pool: number[] = [];
  let files = 0;
  let bytes = 0;
  try {
    await executor.run({ ...job, trials: trials.slice(0, 2 * o.workers), captureSignals: false }); // start the workers
    for (let r = 0; r < o.repeat; r++) {
      t = now();
      await executor.run({ ...job, captureSignals: false });
      pool.push(now() - t);

      const dir = mkdtempSync(join(tmpdir(), 'regimen-phase1-'));
      try {
        t = now();
        const perfs = await runFullBacktest(job, executor, { workspace: dir, signalFormat: 'arrow', split: 'train' });
        e2e.push(now() - t);
        if (perfs.length !== trials.length) throw new Error(`phase1: ${perfs.length} performance files for ${trials.length} trials`);
        const paths = workspacePaths(dir);
        const names = [paths.performance, paths.signals].flatMap((d) => readdirSync(d).map((n) => join(d, n)));
        files = names.length;
        bytes = names.reduce((a, n) => a + statSync(n).size, 0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await executor.close();
  }
  const seconds = median(e2e);
  const kernelPool = median(pool);
  return {
    suite: 'phase1',
    bars: prices.length,
    trials: trials.length,
    workers: o.workers,
    engine: o.engine,
    prices: source,
    end_to_end: { seconds, runs: e2e, files, bytes_written: bytes },
    kernel_pool: { seconds: kernelPool, runs: pool },
    kernel_thread: { seconds: kernelThread },
    overhead: seconds / kernelPool,
    bar_trials_per_s: (prices.length * trials.length) / seconds,
    checked_trials: sample.length,
  };
}
