import type { Engine, TrialBatch, TrialRow } from '@regimen/core';
import { loadEngine, type EngineName } from './engines.js';

/**
 * The Piscina worker: one task function, batch in, rows out. The engine (and for `wasm` its
 * instance) is set up once per worker, outside the task.
 */
export interface TrialTask extends TrialBatch {
  engine: EngineName;
}

const engines = new Map<EngineName, Promise<Engine>>();

export default async function runTrialTask(task: TrialTask): Promise<TrialRow[]> {
  let engine = engines.get(task.engine);
  if (!engine) {
    engine = loadEngine(task.engine);
    engines.set(task.engine, engine);
  }
  const { engine: _name, ...batch } = task;
  return (await engine).runTrials(batch);
}
