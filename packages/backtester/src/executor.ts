import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { regimenError, type BarColumns, type PluginSource, type RegimeTrack, type ReplayBatch, type ReplayRow, type TrialBatch, type TrialRow } from '@regimen/core';
import { shareMarket, type SharedMarket } from '@regimen/kernel';
import { batchName, formBatches, runWithRetry } from './batches.js';
import { runModuleTask } from './module-tasks.js';
import { loadEngine, type EngineName } from './engines.js';
import { performanceTargets, writeTrialFiles, type TrialOutputs } from './full.js';
import { shareBars, shareRegimes, shareReplay } from './shared-columns.js';
import type { FoldRef, ReplayTask, ReplayTaskResult, TaskSeconds, TrialTask, TrialTaskResult } from './worker.js';
import { useStrategySources } from './strategy-sources.js';
import { DATA_SETS_KEPT, recentlyUsed } from './recently-used.js';

/**
 * An executor runs batches of trials and reports rows as batches finish, and scores weight sets
 * by replay (DESIGN §7). The local executor is a Piscina pool (or the calling thread when
 * workers = 0); a distributed one implements the same interface, so nothing above it assumes
 * threads or one host.
 */
export interface TrialJob extends TrialBatch {
  /** trials per worker message (batches are cut smaller when there are few trials per worker) */
  batchSize?: number;
  /**
   * where each trial's files go: an executor may write them where the rows are made (the local
   * one does, in its workers) and then says so in BatchDone.written
   */
  outputs?: TrialOutputs;
  /**
   * the trials are one batch already, run as one task: a distributed worker runs the batch its
   * coordinator cut (formBatches), and cutting it again would compute shared indicators twice
   */
  wholeBatch?: boolean;
}

export interface BatchDone {
  /** indices into job.trials, with their rows */
  indices: number[];
  rows: TrialRow[];
  /** the executor wrote these trials' files (job.outputs); their rows carry no signals */
  written: boolean;
  /** where the batch's time went, measured where it ran */
  seconds?: TaskSeconds;
}

export interface Executor {
  readonly workers: number;
  readonly engine: EngineName;
  /** rows in trial order; `onBatch` sees each finished batch first (to commit files as they come) */
  run(job: TrialJob, onBatch?: (done: BatchDone) => void | Promise<void>): Promise<TrialRow[]>;
  /** one row per weight set, in order: the same rows as the engine's replay, spread over the workers */
  replay(batch: ReplayBatch): Promise<ReplayRow[]>;
  /** a task of a plugin's own worker module, on the pool (module-tasks.ts); optional for other executors */
  runTask?<R = unknown>(module: string, task: unknown): Promise<R>;
  /** the threads runTask runs on, when they are not `workers` */
  readonly taskWorkers?: number;
  /** CPU seconds spent for this executor in other processes (a distributed executor's workers report theirs) */
  workerCpuSeconds?(): number;
  close(): Promise<void>;
}

export interface ExecutorOptions {
  workers: number;
  engine: EngineName;
  /** strategy plugin packages the workers import (once per thread) to run trials of their strategies */
  strategyPlugins?: PluginSource[];
  /** data sets (markets, replay legs) kept at once here and in each worker: runs in flight + 1 (default 2) */
  dataSets?: number;
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
const nextKey = () => `${process.pid}:${++runs}`;

const sameTracks = (a: RegimeTrack[], b: RegimeTrack[]) =>
  a.length === b.length && a.every((t, i) => t.labels === b[i]!.labels && t.classifier === b[i]!.classifier && t.names === b[i]!.names);

/**
 * Replay work (weight sets × bars) below which a replay is not cut into chunks: it goes whole to
 * one pool thread (a universe keeps several series' weight searches in flight, so the coordinator's
 * thread stays free to orchestrate while the threads replay), or with few sets, on this thread.
 */
const SPLIT_REPLAY_WORK = 4_000_000;
/** the kernel scores four weight sets per pass over the bars: chunks are cut at multiples of 4 */
const SETS_PER_PASS = 4;

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
  const dataSets = Math.max(DATA_SETS_KEPT, opts.dataSets ?? DATA_SETS_KEPT);
  let pool: Piscina | undefined;
  // the shared markets of the latest runs: a run over the same arrays (a phase runs one job per
  // strategy) reuses its market, and the workers their kernel instance and scratch in it; several
  // are kept because the series of a universe run their phases at the same time
  const markets = recentlyUsed<{ bars: BarColumns; regimes: RegimeTrack[]; market: SharedMarket; dataKey: string }>(dataSets);
  const marketOf = (bars: BarColumns, regimes: RegimeTrack[]) =>
    markets.find((m) => m.bars === bars && sameTracks(m.regimes, regimes)) ?? markets.add({ bars, regimes, market: shareMarket(bars, regimes), dataKey: nextKey() });
  // the latest replays' shared data: phase 3 replays many weight sets over the same legs
  const replays = recentlyUsed<{ batch: ReplayBatch; shared: Omit<ReplayBatch, 'weightSets'>; dataKey: string }>(dataSets);
  const replayDataOf = (batch: ReplayBatch) =>
    replays.find(({ batch: p }) => p.legs === batch.legs && p.close === batch.close && p.regime.labels === batch.regime.labels && sameTracks(p.breakdown, batch.breakdown) &&
      p.window.start === batch.window.start && p.window.end === batch.window.end && p.costs.fee === batch.costs.fee && p.costs.slippage === batch.costs.slippage && p.barsPerYear === batch.barsPerYear) ??
    replays.add({ batch, shared: shareReplay(batch), dataKey: nextKey() });
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
  // in-process work runs one piece at a time, each after a turn of the event loop, so signals
  // (Ctrl-C) and timers are served between batches instead of after the whole job
  let turn: Promise<void> = Promise.resolve();
  const afterTurn = async <T>(work: () => T): Promise<T> => {
    const mine = turn.then(() => new Promise<void>((r) => setImmediate(r)));
    turn = mine;
    await mine;
    return work();
  };

  return {
    workers,
    engine: opts.engine,
    async run(job, onBatch) {
      const rows: TrialRow[] = new Array(job.trials.length);
      const batches = job.wholeBatch ? [{ indices: job.trials.map((_, i) => i), trials: job.trials }] : formBatches(job.trials, job.batchSize ?? 64, Math.max(1, workers));
      // with folds, every fold's tracks go to the workers once, and each fold names its by index
      const tracks = job.folds ? [...new Set(job.folds.flatMap((f) => f.regimes))] : job.regimes;
      const foldRefs: FoldRef[] | undefined = job.folds?.map((f) => ({ window: f.window, tracks: f.regimes.map((t) => tracks.indexOf(t)) }));
      const shared = workers > 0 && opts.engine === 'wasm' ? marketOf(job.bars, tracks) : undefined;
      const market = shared?.market;
      const bars = workers > 0 && !market ? shareBars(job.bars) : job.bars;
      const regimes = workers > 0 && !market ? shareRegimes(tracks) : tracks;
      const engine = workers > 0 ? undefined : await loadEngine(opts.engine);
      if (engine && opts.strategyPlugins?.length) await useStrategySources(opts.strategyPlugins);
      const dataKey = shared?.dataKey ?? nextKey();
      const outputs = job.outputs;
      let failed = false;
      const inPool = async (task: TrialTask): Promise<Extract<TrialTaskResult, { rows: unknown }>> => {
        const result: TrialTaskResult = await getPool().run(task);
        if ('failed' in result) throw regimenError(result.failed);
        return result;
      };
      const targets = outputs ? performanceTargets(outputs, job.window, job.folds) : undefined;
      // the calling thread does what a worker does: the engine, then the files
      const inline = (batch: TrialBatch) => afterTurn(() => {
        const t0 = performance.now();
        const out = engine!.runTrials(batch);
        const t1 = performance.now();
        if (outputs) out.forEach((row, i) => {
          writeTrialFiles(batch.trials[i]!, row, batch.bars.time, batch.window, outputs, targets!);
          delete row.signals;
        });
        return { rows: out, written: outputs !== undefined, seconds: { backtest: (t1 - t0) / 1000, files: (performance.now() - t1) / 1000 } };
      });
      // onBatch calls are chained so files are committed one batch at a time, in completion order
      let commit: Promise<void> = Promise.resolve();
      await Promise.all(
        batches.map(async (b) => {
          const common = { window: job.window, trials: b.trials, costs: job.costs, barsPerYear: job.barsPerYear, captureSignals: job.captureSignals };
          const batch: TrialBatch = { ...common, bars, regimes: job.folds ? [] : regimes, ...(job.folds ? { folds: job.folds } : {}) };
          const plugins = opts.strategyPlugins?.length ? { strategyPlugins: opts.strategyPlugins } : {};
          const forTask = { ...common, ...plugins, engine: opts.engine, dataKey, keep: dataSets, outputs, ...(foldRefs ? { folds: foldRefs } : {}) };
          const task: TrialTask = market ? { ...forTask, market } : { ...forTask, bars, regimes };
          let out: Awaited<ReturnType<typeof inline>>;
          try {
            out = await runWithRetry(batchName(b.trials), () => (engine ? inline(batch) : inPool(task)));
          } catch (e) {
            failed = true;
            throw e;
          }
          if (failed) return;
          b.indices.forEach((idx, k) => (rows[idx] = out.rows[k]!));
          if (onBatch) {
            commit = commit.then(() => onBatch({ indices: b.indices, rows: out.rows, written: out.written, seconds: out.seconds }));
            await commit;
          }
        }),
      );
      await commit;
      return rows;
    },
    async replay(batch) {
      const sets = batch.weightSets.length;
      const span = batch.window.end - batch.window.start;
      if (workers === 0 || sets <= SETS_PER_PASS) {
        const engine = await loadEngine(opts.engine);
        return afterTurn(() => engine.replay(batch));
      }
      const { shared, dataKey } = replayDataOf(batch);
      // below SPLIT_REPLAY_WORK, one chunk: a single pool thread replays it
      const parts = sets * span < SPLIT_REPLAY_WORK ? 1 : Math.min(workers, Math.ceil(sets / SETS_PER_PASS));
      const size = Math.ceil(sets / parts / SETS_PER_PASS) * SETS_PER_PASS;
      const chunks: Array<Promise<ReplayRow[]>> = [];
      for (let from = 0; from < sets; from += size) {
        const task: ReplayTask = { ...shared, weightSets: batch.weightSets.slice(from, from + size), engine: opts.engine, dataKey, keep: dataSets };
        chunks.push(runWithRetry(`replay of weight sets ${from}–${Math.min(sets, from + size) - 1}`, async () => {
          const result: ReplayTaskResult = await getPool().run(task, { name: 'replay' });
          if ('failed' in result) throw regimenError(result.failed);
          return result.rows;
        }, 'weight_sets'));
      }
      return (await Promise.all(chunks)).flat();
    },
    runTask: (module, task) => runModuleTask(workers > 0 ? getPool() : undefined, module, task),
    async close() {
      if (pool) {
        await allLoaded(pool);
        await pool.destroy();
      }
      pool = undefined;
      markets.clear();
      replays.clear();
    },
  };
}
