import { parsedOnce, PLUGIN_API_VERSION, type ClassifierPlugin } from '@regimen/core';
import { filtered, filteredLabels } from './filter.js';
import { fitHmm } from './fit.js';
import { parseModel, type HmmModel } from './model.js';
import { HmmOptionsSchema, type HmmOptions } from './options.js';
import { hmmSummary } from './summary.js';
import { hmmLabelStep } from './step.js';

/**
 * The Gaussian HMM regime classifier. Fitted on the training split by Baum–Welch; labels are the
 * argmax of the filtered probabilities P(s_t | y_1..y_t) — never Viterbi or smoothed ones — so a
 * label never sees a later bar. Bar 0 (no return yet) and any rolling-volatility warm-up are NO_REGIME.
 */
const parsedModel = parsedOnce(parseModel);

export function hmmClassifier(): ClassifierPlugin<HmmOptions, HmmModel, Promise<HmmModel>> {
  return {
    kind: 'classifier',
    name: 'hmm',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Gaussian hidden Markov model over log returns (and optional rolling volatility); causal filtered labels.',
    options: HmmOptionsSchema,
    fit: (train, options, ctx) => fitHmm(train, options, options.seed ?? ctx?.seed ?? 0, ctx?.pool),
    regimes: (model) => [...parseModel(model).names],
    label: (data, model, options) => filteredLabels(data, parseModel(model), options?.min_dwell ?? 1),
    probabilities(data, model) {
      const m = parseModel(model);
      const k = m.states;
      const f = filtered(data, m);
      // warm-up bars have no state: an all-zero row (not NaN), matching their NO_REGIME label
      return Array.from({ length: data.close.length }, (_, t) =>
        t < f.start ? new Float64Array(k) : f.alpha.slice((t - f.start) * k, (t - f.start + 1) * k),
      );
    },
    lastProbabilities(data, model) {
      const m = parseModel(model);
      const f = filtered(data, m);
      const t = data.close.length - 1;
      return t < f.start ? new Float64Array(m.states) : f.alpha.slice((t - f.start) * m.states, (t - f.start + 1) * m.states);
    },
    // a live call steps bar by bar with the same model object: validate it once, not per bar
    labelStep: (state, data, model, options) => hmmLabelStep(state, data, parsedModel(model), options?.min_dwell ?? 1),
    summary: (model) => hmmSummary(parseModel(model)),
  };
}
