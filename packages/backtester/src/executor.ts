import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { regimenError, type BarColumns, type RegimeTrack, type TrialBatch, type TrialRow } from '@regimen/core';
import { shareMarket, type SharedMarket } from '@regimen/kernel';
import { formBatches, runWithRetry } from './batches.js';
import { runModuleTask } from './module-tasks.js';
import { loadEngine, type EngineName } from './engines.js';
import { shareBars, shareRegimes } from './shared-columns.js';
import type { TrialTask, TrialTaskResult } from './worker.js';

/**
 * An executor runs batches of trials and reports rows as batches finish (DESIGN §7). The local
 * executor is a Piscina pool (or the calling thread when workers = 0); a distributed one would
 * implement the same interface, so nothing above it assumes threads or one host.
 */
export interface TrialJob extends TrialBatch {
  /** trials per worker message (batches are cut smaller when there are few trials per worker) */
  batchSize?: number;
}

export interface BatchDone {
  /** indices into job.trials, with their rows */
  indices: number[];
  rows: TrialRow[];
}

export interface Executor {
  readonly workers: number;
  readonly engine: EngineName;
  /** rows in trial order; `onBatch` sees each finished batch first (to commit files as they come) */
  run(job: TrialJob, onBatch?: (done: BatchDone) => void | Promise<void>): Promise<TrialRow[]>;
  /** a task of a plugin's own worker module, on the pool (module-tasks.ts); optional for other executors */
  runTask?<R = unknown>(module: string, task: unknown): Promise<R>;
  close(): Promise<void>;
}

export interface ExecutorOptions {
  workers: number;
  engine: EngineName;
}

/** dist/worker.js, also when this module runs from src/ under vitest */
function workerFile(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(/\/src\/[^/]+$/.test(here) ? '../dist/worker.js' : './worker.js', here));
}

/**
 * Workers run the built JavaScript: drop the `@regimen/source` export condition a test runner or
 * a development launcher may have set, or the worker would try to import TypeScript sources.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '--conditions' || a === '-C') && argv[i + 1] === '@regimen/source') i++;
    else if (!a.endsWith('=@regimen/source')) out.push(a);
  }
  return out;
}

let runs = 0;

const sameTracks = (a: RegimeTrack[], b: RegimeTrack[]) =>
  a.length === b.length && a.every((t, i) => t.labels === b[i]!.labels && t.classifier === b[i]!.classifier && t.names === b[i]!.names);

/**
 * Batches go to the pool with shared market data, copied once per run on this thread. For the
 * wasm engine that is one shared WebAssembly memory (@regimen/kernel shareMarket) every worker's
 * kernel is instantiated against, so the workers read the data in place and copy nothing; for
 * the js engine, SharedArrayBuffer views of the columns (shared-columns.ts).
 * A batch that fails (its worker died, or it threw) is run once more; a second failure rejects
 * the run with an error naming the batch's trials and the cause, and no later batch is committed.
 */
export function localExecutor(opts: ExecutorOptions): Executor {
  const workers = Math.max(0, Math.floor(opts.workers));
  let pool: Piscina | undefined;
  // the last run's shared market: a run over the same arrays (a phase runs one job per
  // strategy) reuses it, and the workers their kernel instance and scratch in it
  let last: { bars: BarColumns; regimes: RegimeTrack[]; market: SharedMarket; dataKey: string } | undefined;
  const marketOf = (bars: BarColumns, regimes: RegimeTrack[]) => {
    if (!last || last.bars !== bars || !sameTracks(last.regimes, regimes)) {
      last = { bars, regimes, market: shareMarket(bars, regimes), dataKey: `${process.pid}:${++runs}` };
    }
    return last;
  };
  const getPool = () =>
    (pool ??= (() => {
      const p = new Piscina({ filename: workerFile(), minThreads: workers, maxThreads: workers, idleTimeout: 60_000, execArgv: workerExecArgv() });
      p.on('message', (m: { regimenWorkerLoaded?: number }) => {
        if (m && typeof m.regimenWorkerLoaded === 'number') loaded.add(m.regimenWorkerLoaded);
      });
      return p;
    })());
  // threads that finished loading their modules (see worker.ts): only those may be terminated
  const loaded = new Set<number>();
  const allLoaded = async (p: Piscina) => {
    for (let waited = 0; waited < 15_000 && !p.threads.every((t) => loaded.has(t.threadId)); waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  return {
    workers,
    engine: opts.engine,
    async run(job, onBatch) {
      const rows: TrialRow[] = new Array(job.trials.length);
      const batches = formBatches(job.trials, job.batchSize ?? 64, Math.max(1, workers));
      const shared = workers > 0 && opts.engine === 'wasm' ? marketOf(job.bars, job.regimes) : undefined;
      const market = shared?.market;
      const bars = workers > 0 && !market ? shareBars(job.bars) : job.bars;
      const regimes = workers > 0 && !market ? shareRegimes(job.regimes) : job.regimes;
      const engine = workers > 0 ? undefined : await loadEngine(opts.engine);
      const dataKey = shared?.dataKey ?? `${process.pid}:${++runs}`;
      let failed = false;
      const inPool = async (task: TrialTask): Promise<TrialRow[]> => {
        const result: TrialTaskResult = await getPool().run(task);
        if ('failed' in result) throw regimenError(result.failed);
        return result.rows;
      };
      // onBatch calls are chained so files are committed one batch at a time, in completion order
      let commit: Promise<void> = Promise.resolve();
      // in-process batches run one at a time, each after a turn of the event loop, so signals
      // (Ctrl-C) and timers are served between batches instead of after the whole job
      let turn: Promise<void> = Promise.resolve();
      const inline = async (batch: TrialBatch): Promise<TrialRow[]> => {
        const mine = turn.then(() => new Promise<void>((r) => setImmediate(r)));
        turn = mine;
        await mine;
        return engine!.runTrials(batch);
      };
      await Promise.all(
        batches.map(async (b) => {
          const common = { window: job.window, trials: b.trials, costs: job.costs, barsPerYear: job.barsPerYear, captureSignals: job.captureSignals };
          const batch = { ...common, bars, regimes };
          const task: TrialTask = market ? { ...common, market, engine: opts.engine, dataKey } : { ...batch, engine: opts.engine, dataKey };
          let out: TrialRow[];
          try {
            out = await runWithRetry(b.trials, () => (engine ? inline(batch) : inPool(task)));
          } catch (e) {
            failed = true;
            throw e;
          }
          if (failed) return;
          b.indices.forEach((idx, k) => (rows[idx] = out[k]!));
          if (onBatch) {
            commit = commit.then(() => onBatch({ indices: b.indices, rows: out }));
            await commit;
          }
        }),
      );
      await commit;
      return rows;
    },
    runTask: (module, task) => runModuleTask(workers > 0 ? getPool() : undefined, module, task),
    async close() {
      if (pool) {
        await allLoaded(pool);
        await pool.destroy();
      }
      pool = undefined;
      last = undefined;
    },
  };
}
