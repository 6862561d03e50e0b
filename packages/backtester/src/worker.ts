import { parentPort, threadId } from 'node:worker_threads';
import type { BarColumns, Engine, PluginSource, RegimeTrack, TrialBatch, TrialRow } from '@regimen/core';
import { createSharedWasmEngine, marketBytesCopied, type SharedMarket } from '@regimen/kernel';
import { failureData, type FailureData } from './batches.js';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { loadEngine, type EngineName } from './engines.js';
import { useStrategySources } from './strategy-sources.js';

// Tell the pool this thread has finished loading: terminating a worker thread while its ES
// modules are still being instantiated aborts the whole process on Node 20 (V8 fatal error), so
// the executor waits for this before it destroys the pool.
parentPort?.postMessage({ regimenWorkerLoaded: threadId });

/**
 * The Piscina worker: one task function, batch in, rows out. The engine (and for `wasm` its
 * instance) is set up once per worker, outside the task.
 *
 * Market data arrives as views over SharedArrayBuffers (no copy), but as new objects with every
 * message. The worker keeps the first objects it saw for a data key and hands those to the
 * engine on every later batch, so an engine that caches by identity (the wasm engine copies the
 * columns into its memory) does that once per run, not once per batch.
 *
 * With the wasm engine the task carries a shared market instead (@regimen/kernel shareMarket):
 * the worker instantiates a kernel against that WebAssembly memory once per run and the engine
 * reads the columns and labels where the main thread put them — no copy in the worker at all.
 */
export type TrialTask = Omit<TrialBatch, 'bars' | 'regimes'> & {
  engine: EngineName;
  /** identifies bars + regimes of one run */
  dataKey: string;
  /** strategy plugin packages to import before the trials run (once per thread) */
  strategyPlugins?: PluginSource[];
} & ({ bars: BarColumns; regimes: RegimeTrack[] } | { market: SharedMarket; probe?: boolean });

/** for tests: which thread ran the task, and the market bytes it had copied into kernel memory */
export interface TaskProbe {
  threadId: number;
  marketBytesCopied: number;
}

export type TrialTaskResult = { rows: TrialRow[]; probe?: TaskProbe } | { failed: FailureData };

const engines = new Map<EngineName, Promise<Engine>>();
const data = new Map<string, { bars: BarColumns; regimes: RegimeTrack[]; engine?: Engine }>();
/** data sets kept per worker: the current run's, and one more for an overlapping run */
const KEEP = 2;

function dataOf(task: TrialTask): { bars: BarColumns; regimes: RegimeTrack[]; engine?: Engine } {
  let d = data.get(task.dataKey);
  if (!d) {
    d = 'market' in task ? createSharedWasmEngine(task.market) : { bars: task.bars, regimes: task.regimes };
    data.set(task.dataKey, d);
    if (data.size > KEEP) data.delete(data.keys().next().value as string);
  }
  return d;
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
    const { bars, regimes, engine: shared } = dataOf(task);
    let engine = shared ? Promise.resolve(shared) : engines.get(task.engine);
    if (!engine) {
      engine = loadEngine(task.engine);
      engines.set(task.engine, engine);
    }
    const { window, trials, costs, barsPerYear, captureSignals } = task;
    const rows = (await engine).runTrials({ bars, regimes, window, trials, costs, barsPerYear, captureSignals });
    const probe = 'market' in task && task.probe ? { threadId, marketBytesCopied: marketBytesCopied() } : undefined;
    return movable(probe ? { rows, probe } : { rows });
  } catch (e) {
    return { failed: failureData(e) };
  }
}
