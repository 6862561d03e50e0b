import { describe, expect, it } from 'vitest';
import { assertPlugin, parsePluginOptions, type BarColumns, type ClassifierPlugin } from '@regimen/core';
import { sliceBars } from './bars.js';
import { checkCausality, checkDeterminism, checkLabelRange, checkProbabilities, checkRoundTrip } from './checks.js';
import { checkClassifierStep, stepSplits } from './step-checks.js';

export interface ConformanceOptions {
  /** bars to test on; the first trainBars are the training split */
  data: BarColumns;
  /** raw plugin options (parsed with the plugin's schema); default {} */
  options?: unknown;
  /** default: 70 % of the bars */
  trainBars?: number;
  /** prefix lengths for the causality check; default: 8 lengths spread over the series */
  prefixes?: number[];
  /** seed of the fits; default 7 */
  seed?: number;
}

function defaultPrefixes(n: number): number[] {
  const picks = [1, 2, 3, 10, Math.floor(n / 7), Math.floor(n / 3), Math.floor(n / 2), n - 1];
  return [...new Set(picks.filter((p) => p >= 1 && p <= n))].sort((a, b) => a - b);
}

/**
 * Registers the conformance suite of a classifier plugin as vitest blocks. Call it at the top level
 * of a test file: `classifierConformance(myClassifier(), { data })`.
 */
export function classifierConformance(plugin: ClassifierPlugin, opts: ConformanceOptions): void {
  const { data } = opts;
  const n = data.close.length;
  const trainBars = opts.trainBars ?? Math.floor(0.7 * n);
  const seed = opts.seed ?? 7;

  describe(`classifier plugin "${plugin.name}" conformance`, () => {
    // one fit shared by the read-only checks; fitted lazily so a broken plugin fails inside an `it`
    // (a fit may return a promise)
    let fitted: { options: unknown; model: unknown } | undefined;
    const fit = async () => {
      if (!fitted) {
        const options = parsePluginOptions(plugin, opts.options ?? {});
        fitted = { options, model: await plugin.fit(sliceBars(data, trainBars), options, { seed }) };
      }
      return fitted;
    };

    it('has the plugin shape', () => {
      expect(assertPlugin(plugin, 'conformance').kind).toBe('classifier');
    });

    it('accepts {} and rejects an unknown option', () => {
      expect(() => parsePluginOptions(plugin, {})).not.toThrow();
      expect(() => parsePluginOptions(plugin, { no_such_option_xyz: 1 })).toThrow();
    });

    it('fits on the training split and declares its regimes', async () => {
      const { model, options } = await fit();
      const regimes = plugin.regimes(model, options);
      expect(regimes.length).toBeGreaterThan(0);
      expect(new Set(regimes).size).toBe(regimes.length);
    });

    it('labels every bar with a declared regime or NO_REGIME', async () => {
      const { model, options } = await fit();
      const r = checkLabelRange(plugin.label(data, model, options), n, plugin.regimes(model, options));
      expect(r.message).toBeUndefined();
      expect(r.ok).toBe(true);
    });

    it.runIf(typeof plugin.probabilities === 'function')('gives finite probabilities', async () => {
      const { model, options } = await fit();
      const r = checkProbabilities(plugin.probabilities!(data, model, options), n, plugin.regimes(model, options).length);
      expect(r.message).toBeUndefined();
    });

    it.runIf(typeof plugin.labelStep === 'function')('its labelStep, resumed at random splits from a state passed through JSON, equals label (and the probabilities) bit for bit', async () => {
      const { model, options } = await fit();
      expect(checkClassifierStep(plugin, model, options, data, stepSplits(n, 12, seed)).message).toBeUndefined();
    });

    it('round-trips the model through JSON', async () => {
      const { model, options } = await fit();
      expect(checkRoundTrip(plugin, model, options, data).message).toBeUndefined();
    });

    const prefixes = opts.prefixes ?? defaultPrefixes(n);
    // a sampled check: causality is checked at these prefixes, not proven for every bar
    it(`causality checked at ${prefixes.length} prefixes: labels of a prefix are the prefix of the labels`, async () => {
      const { model, options } = await fit();
      const r = checkCausality(plugin, model, options, data, prefixes);
      expect(r.message).toBeUndefined();
    });

    it('is deterministic under a seed', async () => {
      const options = parsePluginOptions(plugin, opts.options ?? {});
      expect((await checkDeterminism(plugin, sliceBars(data, trainBars), options, seed)).message).toBeUndefined();
    });
  });
}
