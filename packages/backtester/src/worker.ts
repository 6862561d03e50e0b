import { parentPort, threadId } from 'node:worker_threads';
import type { BarColumns, Engine, FoldWindow, PluginSource, RegimeTrack, ReplayBatch, ReplayRow, ScoreWindow, TrialBatch, TrialRow } from '@regimen/core';
import { createSharedWasmEngine, marketBytesCopied, type SharedMarket } from '@regimen/kernel';
import { failureData, type FailureData } from './batches.js';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { loadEngine, type EngineName } from './engines.js';
import { performanceTargets, writeTrialFiles, type PerformanceTargets, type TrialOutputs } from './full.js';
import { useStrategySources } from './strategy-sources.js';
import { DATA_SETS_KEPT, recentlyUsed } from './recently-used.js';

// Tell the pool this thread has finished loading: terminating a worker thread while its ES
// modules are still being instantiated aborts the whole process on Node 20 (V8 fatal error), so
// the executor waits for this before it destroys the pool.
parentPort?.postMessage({ regimenWorkerLoaded: threadId });

/**
 * The Piscina worker: task functions, batch in, rows out — trials (the default export) and
 * weight sets to replay (`replay`). The engine (and for `wasm` its instance) is set up once per
 * worker, outside the tasks.
 *
 * Data arrives as views over SharedArrayBuffers (no copy), but as new objects with every
 * message. The worker keeps the first objects it saw for a data key and hands those to the
 * engine on every later batch, so an engine that caches by identity (the wasm engine copies the
 * columns into its memory) does that once per run, not once per batch.
 *
 * With the wasm engine a trial task carries a shared market instead (@regimen/kernel shareMarket):
 * the worker instantiates a kernel against that WebAssembly memory once per run and the engine
 * reads the columns and labels where the main thread put them — no copy in the worker at all.
 *
 * A trial task with `outputs` writes each trial's files here (encoding the signals is most of a
 * trial's cost after the kernel), so the file work runs on every core, and returns its rows
 * without the signals.
 */
export type TrialTask = Omit<TrialBatch, 'bars' | 'regimes' | 'folds'> & {
  engine: EngineName;
  /** identifies bars + regimes of one run */
  dataKey: string;
  /** data sets a worker keeps (ExecutorOptions.dataSets) */
  keep?: number;
  outputs?: TrialOutputs;
  /** TrialBatch.folds, each fold's tracks given by their index in the task's regime tracks */
  folds?: FoldRef[];
  /** strategy plugin packages to import before the trials run (once per thread) */
  strategyPlugins?: PluginSource[];
} & ({ bars: BarColumns; regimes: RegimeTrack[] } | { market: SharedMarket; probe?: boolean });

export interface FoldRef {
  window: ScoreWindow;
  tracks: number[];
}

/** for tests: which thread ran the task, and the market bytes it had copied into kernel memory */
export interface TaskProbe {
  threadId: number;
  marketBytesCopied: number;
}

/** seconds spent in this batch: in the engine, and encoding and writing files */
export interface TaskSeconds {
  backtest: number;
  files: number;
}

export type TrialTaskResult = { rows: TrialRow[]; written: boolean; seconds: TaskSeconds; probe?: TaskProbe } | { failed: FailureData };

/** A replay batch whose close, labels and leg events are shared views, identified by `dataKey`. */
export type ReplayTask = ReplayBatch & { engine: EngineName; dataKey: string; keep?: number };
export type ReplayTaskResult = { rows: ReplayRow[]; seconds: number } | { failed: FailureData };

const engines = new Map<EngineName, Promise<Engine>>();

/**
 * A small map from data key to the first value seen for it, keeping the most recently used keys:
 * as many as the task says (ExecutorOptions.dataSets), so series run at the same time stay.
 */
function keptByKey<T>(): (key: string, make: () => T, keep?: number) => T {
  const kept = recentlyUsed<{ key: string; value: T }>(DATA_SETS_KEPT);
  return (key, make, keep) => (kept.find((e) => e.key === key) ?? kept.add({ key, value: make() }, keep)).value;
}

const trialData = keptByKey<{ bars: BarColumns; regimes: RegimeTrack[]; engine?: Engine }>();
const replayData = keptByKey<Omit<ReplayBatch, 'weightSets'>>();
const targetsOf = keptByKey<PerformanceTargets>();

function engineFor(name: EngineName): Promise<Engine> {
  let engine = engines.get(name);
  if (!engine) engines.set(name, (engine = loadEngine(name)));
  return engine;
}

/**
 * The rows go back with their signal arrays moved, not copied (a trial's events can be hundreds
 * of kB); only arrays that own their whole buffer are moved, never a view into engine memory.
 */
function movable(result: TrialTaskResult): TrialTaskResult {
  if (!('rows' in result)) return result;
  const buffers: ArrayBuffer[] = [];
  for (const row of result.rows) {
    for (const a of row.signals ? [row.signals.bar, row.signals.position] : []) {
      if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && !buffers.includes(a.buffer)) buffers.push(a.buffer);
    }
  }
  return buffers.length ? (move({ [transferableSymbol]: buffers, [valueSymbol]: result } as never) as unknown as TrialTaskResult) : result;
}

export default async function runTrialTask(task: TrialTask): Promise<TrialTaskResult> {
  try {
    if (task.strategyPlugins) await useStrategySources(task.strategyPlugins);
    const { bars, regimes, engine: shared } = trialData(task.dataKey, () => ('market' in task ? createSharedWasmEngine(task.market) : { bars: task.bars, regimes: task.regimes }), task.keep);
    const engine = await (shared ? Promise.resolve(shared) : engineFor(task.engine));
    const { window, trials, costs, barsPerYear, captureSignals, outputs } = task;
    const folds: FoldWindow[] | undefined = task.folds?.map((f) => ({ window: f.window, regimes: f.tracks.map((i) => regimes[i]!) }));
    const t0 = performance.now();
    const rows = engine.runTrials({ bars, regimes: folds ? [] : regimes, window, trials, costs, barsPerYear, captureSignals, ...(folds ? { folds } : {}) });
    const t1 = performance.now();
    if (outputs) {
      const targets = targetsOf(JSON.stringify([outputs, window, task.folds]), () => performanceTargets(outputs, window, folds), task.keep);
      rows.forEach((row, i) => {
        writeTrialFiles(trials[i]!, row, bars.time, window, outputs, targets);
        delete row.signals;
      });
    }
    const seconds = { backtest: (t1 - t0) / 1000, files: (performance.now() - t1) / 1000 };
    const probe = 'market' in task && task.probe ? { threadId, marketBytesCopied: marketBytesCopied() } : undefined;
    return movable({ rows, written: outputs !== undefined, seconds, ...(probe ? { probe } : {}) });
  } catch (e) {
    return { failed: failureData(e) };
  }
}

export async function replay(task: ReplayTask): Promise<ReplayTaskResult> {
  try {
    const { engine: name, dataKey, keep, weightSets, ...rest } = task;
    const data = replayData(dataKey, () => rest, keep);
    const engine = await engineFor(name);
    const t0 = performance.now();
    const rows = engine.replay({ ...data, weightSets });
    return { rows, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    return { failed: failureData(e) };
  }
}
