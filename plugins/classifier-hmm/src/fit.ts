import { createRng, regimenError, type BarColumns } from '@regimen/core';
import { baumWelch, emBuffers, type EmResult } from './baum-welch.js';
import { computeFeatures } from './features.js';
import { initialParams } from './initialization.js';
import { canonicalOrder, paramsToJson, permuteParams, stateNames, type HmmModel } from './model.js';
import type { HmmOptions } from './options.js';

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

/**
 * Fit a K-state Gaussian HMM on the training bars by Baum–Welch from `restarts` seeded starts and
 * keep the best log-likelihood (ties: the earliest restart, so the result does not depend on timing).
 */
export function fitHmm(train: BarColumns, options: HmmOptions, seed: number): HmmModel {
  const k = options.states;
  const feats = computeFeatures(train, options.features);
  const { rows, dims, values: y } = feats;
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
  const rng = createRng(seed).fork('hmm');
  const buf = emBuffers(rows, k);
  const settings = { initial: options.initial, maxIter: options.max_iter, tol: options.tol, floor };
  let best: EmResult | undefined;
  let bestRestart = 0;
  for (let r = 0; r < options.restarts; r++) {
    const start = initialParams(y, rows, dims, k, r, rng.fork(`restart-${r}`), floor);
    const res = baumWelch(y, rows, start, settings, buf);
    if (Number.isFinite(res.logLikelihood) && (!best || res.logLikelihood > best.logLikelihood)) {
      best = res;
      bestRestart = r;
    }
  }
  if (!best) throw regimenError({ code: 'data', message: 'the HMM fit failed from every restart (non-finite log-likelihood)' });
  const params = permuteParams(best.params, canonicalOrder(best.params));
  return {
    kind: 'gaussian_hmm',
    version: 1,
    states: k,
    names: stateNames(k),
    features: options.features,
    initial_mode: options.initial,
    ...paramsToJson(params),
    variance_floor: Array.from(floor),
    log_likelihood: best.logLikelihood,
    iterations: best.iterations,
    converged: best.converged,
    restart: bestRestart,
    restarts: options.restarts,
    seed,
    train_bars: rows,
  };
}
