import { parsedOnce, PLUGIN_API_VERSION, type ClassifierPlugin } from '@regimen/core';
import { classify } from './classify.js';
import { parseModel, regimeNames, type PatternModel } from './model.js';
import { PatternOptionsSchema, type PatternOptions } from './options.js';
import { patternLabelStep } from './step.js';

/**
 * Rule-based regimes from price structure: breakout (close beyond the previous bar's Donchian
 * channel, optionally with range expansion), range, and with `trend: true` trend_up / trend_down
 * from TTR's ADX. Nothing is fitted; labels depend on bars ≤ t only.
 */
const parsedModel = parsedOnce(parseModel);

export function patternClassifier(): ClassifierPlugin<PatternOptions, PatternModel> {
  return {
    kind: 'classifier',
    name: 'pattern',
    aliases: ['pattern_based'],
    apiVersion: PLUGIN_API_VERSION,
    description: 'Breakout / range (and optional ADX trend) regimes from Donchian channels; no fitting.',
    options: PatternOptionsSchema,
    fit: (_train, options) => ({ kind: 'pattern', version: 1, names: regimeNames(options.trend), params: { ...options } }),
    regimes: (model) => [...parseModel(model).names],
    label: (data, model) => classify(data, parseModel(model).params),
    // a live call steps bar by bar with the same model object: validate it once, not per bar
    labelStep: (state, data, model) => patternLabelStep(state, data, parsedModel(model).params),
  };
}
