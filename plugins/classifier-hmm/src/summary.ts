import type { HmmModel } from './model.js';

/**
 * Free parameters k: K·d means + K·d variances + K(K−1) transition probabilities, plus K−1 for a
 * fitted initial distribution (a stationary one is a function of the transitions). This is the count
 * statsmodels' MarkovRegression uses for the same model. AIC = 2k − 2LL, BIC = k·ln(n) − 2LL with
 * n the number of training observations.
 */
export function freeParameters(model: HmmModel): number {
  const k = model.states;
  const d = model.features.length;
  return 2 * k * d + k * (k - 1) + (model.initial_mode === 'fitted' ? k - 1 : 0);
}

export function hmmSummary(model: HmmModel) {
  const k = freeParameters(model);
  const ll = model.log_likelihood;
  const n = model.train_bars;
  return {
    log_likelihood: ll,
    aic: 2 * k - 2 * ll,
    bic: k * Math.log(n) - 2 * ll,
    n_params: k,
    iterations: model.iterations,
    converged: model.converged,
    train_bars: n,
  };
}
