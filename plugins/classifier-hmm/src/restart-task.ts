import { createRng } from '@regimen/core';
import type { EmEngine } from './em-engine.js';
import { runEm, type EmResult } from './em.js';
import { initialParams } from './initialization.js';
import type { HmmParams } from './params.js';
import { wasmEngine } from './wasm-engine.js';

/**
 * One restart's share of a fit, run on the calling thread or on a worker of the run's pool: EM from
 * a seeded start (by restart number) or from where an earlier stage stopped, for at most maxIter
 * updates. Its result depends on the task alone, so a fit is the same whatever ran its tasks.
 */
export interface RestartTask {
  /** the training features of one fit; a worker keeps their engine between that fit's tasks */
  dataKey: string;
  /** rows × dims, row-major; a SharedArrayBuffer view when sent to a worker */
  features: Float64Array;
  rows: number;
  dims: number;
  states: number;
  initial: 'stationary' | 'fitted';
  floor: Float64Array;
  tol: number;
  maxIter: number;
  start: { restart: number; seed: number } | { params: HmmParams };
}

export function taskStart(task: RestartTask): HmmParams {
  if ('params' in task.start) return task.start.params;
  const { restart, seed } = task.start;
  return initialParams(task.features, task.rows, task.dims, task.states, restart, createRng(seed).fork('hmm').fork(`restart-${restart}`), task.floor);
}

export function runRestartTask(task: RestartTask, engine: EmEngine): EmResult {
  return runEm(engine, taskStart(task), { initial: task.initial, floor: task.floor, tol: task.tol, maxIter: task.maxIter });
}

export const taskEngine = (t: Pick<RestartTask, 'features' | 'rows' | 'dims' | 'states'>): EmEngine => wasmEngine(t.features, t.rows, t.dims, t.states);
