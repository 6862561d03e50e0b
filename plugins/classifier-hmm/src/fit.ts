import { regimenError, type BarColumns, type TaskPool } from '@regimen/core';
import { fileURLToPath } from 'node:url';
import type { EmResult } from './em.js';
import { computeFeatures } from './features.js';
import { canonicalOrder, paramsToJson, permuteParams, stateNames, type HmmModel } from './model.js';
import type { HmmOptions } from './options.js';
import { runRestartTask, taskEngine, type RestartTask } from './restart-task.js';
import { bestRestart, finalists, PROBE_ITERATIONS, type Probed } from './schedule.js';

/** Sample variance of each feature column: the scale of the relative variance floor. */
function featureVariance(y: Float64Array, rows: number, dims: number): Float64Array {
  const v = new Float64Array(dims);
  for (let f = 0; f < dims; f++) {
    let m = 0;
    for (let t = 0; t < rows; t++) m += y[t * dims + f]!;
    m /= rows;
    let s = 0;
    for (let t = 0; t < rows; t++) s += (y[t * dims + f]! - m) ** 2;
    v[f] = s / Math.max(1, rows - 1);
  }
  return v;
}

/** dist/restart-worker.js, also when this module runs from src/ under a test runner (workers run built code) */
function workerModule(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(/\/src\/[^/]+$/.test(here) ? '../dist/restart-worker.js' : './restart-worker.js', here));
}

/** The features in shared memory: every task of the fit sends a view, not a copy. */
function shared(y: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(y.byteLength));
  out.set(y);
  return out;
}

let fits = 0;

/**
 * Below this much work (training rows × restarts) the restarts run on the calling thread even when
 * a pool is given: shipping the features and loading this module in every worker costs more than
 * the fit (USDCHF, 43,746 rows × 4 restarts: the fit stage took 2.6 s on a 2-worker pool, 0.4 s
 * here, on a busy machine). Same model either way.
 */
export const POOL_MIN_WORK = 1_000_000;

/**
 * Fit a K-state Gaussian HMM on the training bars by Baum–Welch (SQUAREM-accelerated, exact zeros)
 * from `restarts` seeded starts on the restart schedule of schedule.ts, and keep the best
 * log-likelihood (ties: the earliest restart). With a pool the restarts run on its workers; each
 * task's result depends on the task alone, so the model is the same whatever the worker count.
 */
export async function fitHmm(train: BarColumns, options: HmmOptions, seed: number, givenPool?: TaskPool, minPoolWork = POOL_MIN_WORK): Promise<HmmModel> {
  const k = options.states;
  const feats = computeFeatures(train, options.features);
  const { rows, dims, values: y } = feats;
  const pool = givenPool && rows * options.restarts >= minPoolWork ? givenPool : undefined;
  if (rows < 2 * k + 2) {
    throw regimenError({
      code: 'data',
      value: train.close.length,
      message: `the HMM classifier needs at least ${2 * k + 2 + feats.start} training bars for ${k} states`,
    });
  }
  const variance = featureVariance(y, rows, dims);
  // A constant feature (variance 0) still needs a positive floor for the density to exist.
  const floor = variance.map((v) => Math.max(v * options.variance_floor, 1e-300));
  const common = {
    dataKey: `${process.pid}:${++fits}`,
    features: pool ? shared(y) : y,
    rows,
    dims,
    states: k,
    initial: options.initial,
    floor,
    tol: options.tol,
  };
  const local = pool ? undefined : taskEngine(common);
  // without a pool the tasks run here one by one, each after a turn of the event loop (signals, timers)
  let turn = Promise.resolve();
  const inline = (task: RestartTask): Promise<EmResult> => {
    const mine = turn.then(() => new Promise<void>((r) => setImmediate(r))).then(() => runRestartTask(task, local!));
    turn = mine.then(() => undefined, () => undefined);
    return mine;
  };
  const run = (task: RestartTask): Promise<EmResult> => (pool ? pool.run<EmResult>(workerModule(), task) : inline(task));

  const probeIter = Math.min(PROBE_ITERATIONS, options.max_iter);
  const probed: Probed[] = await Promise.all(
    Array.from({ length: options.restarts }, async (_, restart) => ({
      restart,
      result: await run({ ...common, maxIter: probeIter, start: { restart, seed } }),
    })),
  );
  // a restart is done when it converged, failed, or used up max_iter; the finalists continue
  const done = probed.filter((p) => p.result.converged || !Number.isFinite(p.result.logLikelihood) || p.result.iterations >= options.max_iter);
  const continued = await Promise.all(
    finalists(probed.filter((p) => !done.includes(p))).map(async ({ restart, result }) => {
      const rest = await run({ ...common, maxIter: options.max_iter - result.iterations, start: { params: result.params } });
      return { restart, result: { ...rest, iterations: result.iterations + rest.iterations } };
    }),
  );
  const best = bestRestart([...done, ...continued]);
  if (!best) throw regimenError({ code: 'data', message: 'the HMM fit failed from every restart (non-finite log-likelihood)' });
  const params = permuteParams(best.result.params, canonicalOrder(best.result.params));
  return {
    kind: 'gaussian_hmm',
    version: 1,
    states: k,
    names: stateNames(k),
    features: options.features,
    initial_mode: options.initial,
    ...paramsToJson(params),
    variance_floor: Array.from(floor),
    log_likelihood: best.result.logLikelihood,
    iterations: best.result.iterations,
    converged: best.result.converged,
    restart: best.restart,
    restarts: options.restarts,
    seed,
    train_bars: rows,
  };
}
