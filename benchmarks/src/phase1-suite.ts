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
  end_to_end: { seconds: number; runs: number[]; files: number; bytes_written: number; signal_bytes: number; cpu_seconds: number; worker: WorkerSeconds };
  /** the same trials through the same pool, no signals, no files */
  kernel_pool: { seconds: number; runs: number[]; cpu_seconds: number; worker: WorkerSeconds };
  /** engine.runTrials in this thread, no signals, no files (one core) */
  kernel_thread: { seconds: number };
  /** end_to_end / kernel_pool */
  overhead: number;
  bar_trials_per_s: number;
  /** trials checked against the reference engine before timing */
  checked_trials: number;
}

/**
 * Where a run's time went, summed over its batches as the workers measured them (medians over the
 * repeats): in the engine (kernel, and capturing the signals when asked) and encoding and writing
 * the trials' files. Against the kernel-only run's engine seconds this splits the end-to-end
 * overhead into signal capture, files, and the rest (messages, scheduling, the main thread).
 */
export interface WorkerSeconds {
  backtest: number;
  files: number;
}

/** process CPU seconds (every thread) of `work` */
async function cpuOf<T>(work: () => Promise<T>): Promise<{ value: T; cpu: number }> {
  const c = process.cpuUsage();
  const value = await work();
  const u = process.cpuUsage(c);
  return { value, cpu: (u.user + u.system) / 1e6 };
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
  const cpu = { e2e: [] as number[], pool: [] as number[] };
  const worker = { e2e: [] as WorkerSeconds[], pool: [] as WorkerSeconds[] };
  let files = 0;
  let bytes = 0;
  let signalBytes = 0;
  const summing = (into: WorkerSeconds[]) => {
    const sum = { backtest: 0, files: 0 };
    into.push(sum);
    return (s?: { backtest: number; files: number }) => {
      sum.backtest += s?.backtest ?? 0;
      sum.files += s?.files ?? 0;
    };
  };
  try {
    await executor.run({ ...job, trials: trials.slice(0, 2 * o.workers), captureSignals: false }); // start the workers
    for (let r = 0; r < o.repeat; r++) {
      const addPool = summing(worker.pool);
      t = now();
      const k = await cpuOf(() => executor.run({ ...job, captureSignals: false }, (b) => addPool(b.seconds)));
      pool.push(now() - t);
      cpu.pool.push(k.cpu);

      const dir = mkdtempSync(join(tmpdir(), 'regimen-phase1-'));
      try {
        t = now();
        const run = await cpuOf(() => runFullBacktest(job, executor, { workspace: dir, signalFormat: 'arrow', split: 'train', onBatchSeconds: summing(worker.e2e) }));
        e2e.push(now() - t);
        cpu.e2e.push(run.cpu);
        const perfs = run.value;
        if (perfs.length !== trials.length) throw new Error(`phase1: ${perfs.length} performance files for ${trials.length} trials`);
        const paths = workspacePaths(dir);
        const size = (d: string) => readdirSync(d).map((n) => statSync(join(d, n)).size);
        const sizes = { performance: size(paths.performance), signals: size(paths.signals) };
        files = sizes.performance.length + sizes.signals.length;
        signalBytes = sizes.signals.reduce((a, b) => a + b, 0);
        bytes = signalBytes + sizes.performance.reduce((a, b) => a + b, 0);
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
    end_to_end: { seconds, runs: e2e, files, bytes_written: bytes, signal_bytes: signalBytes, cpu_seconds: median(cpu.e2e), worker: medianSeconds(worker.e2e) },
    kernel_pool: { seconds: kernelPool, runs: pool, cpu_seconds: median(cpu.pool), worker: medianSeconds(worker.pool) },
    kernel_thread: { seconds: kernelThread },
    overhead: seconds / kernelPool,
    bar_trials_per_s: (prices.length * trials.length) / seconds,
    checked_trials: sample.length,
  };
}

const medianSeconds = (xs: WorkerSeconds[]): WorkerSeconds => ({ backtest: median(xs.map((x) => x.backtest)), files: median(xs.map((x) => x.files)) });
