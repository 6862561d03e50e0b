import { describe, expect, it } from 'vitest';
import { assertPlugin, parsePluginOptions, type OptimizerPlugin } from '@regimen/core';
import {
  checkOptimizerAsks,
  checkOptimizerDeterminism,
  checkOptimizerExhaustion,
  checkOptimizerRefusesOrSearches,
  OPTIMIZER_SPACES,
} from './optimizer-checks.js';

export interface OptimizerConformanceOptions {
  /** raw plugin options (parsed with the plugin's schema, defaults filled); default {} */
  options?: unknown;
  /** seed of the searches; default 7 */
  seed?: number;
  /** candidates per ask; default 5 */
  batch?: number;
  /** a search still asking after this many candidates fails; default 20 000 */
  maxAsked?: number;
}

/**
 * Registers the conformance suite of an optimizer plugin as vitest blocks. Call it at the top level
 * of a test file: `optimizerConformance(myOptimizer(), { options: { population: 8 } })`.
 */
export function optimizerConformance(plugin: OptimizerPlugin, opts: OptimizerConformanceOptions = {}): void {
  const raw = opts.options ?? {};
  const drain = { seed: opts.seed ?? 7, batch: opts.batch ?? 5, maxAsked: opts.maxAsked };
  const S = OPTIMIZER_SPACES;
  describe(`optimizer plugin "${plugin.name}" conformance`, () => {
    it('has the plugin shape', () => {
      expect(assertPlugin(plugin, 'conformance').kind).toBe('optimizer');
    });

    it('accepts {} and rejects an unknown option', () => {
      expect(() => parsePluginOptions(plugin, {})).not.toThrow();
      expect(() => parsePluginOptions(plugin, { no_such_option_xyz: 1 })).toThrow();
    });

    describe.each([S.discrete, S.floats, S.weights])('on the $name space', (t) => {
      it('asks only points inside the space and its constraints, each once, at most n per ask, and ends done', () => {
        expect(checkOptimizerAsks(plugin, t.space(), raw, drain).message).toBeUndefined();
      });

      it('asks the same candidates for the same seed', () => {
        expect(checkOptimizerDeterminism(plugin, t.space, raw, drain).message).toBeUndefined();
      });

      it('goes on after failed trials (told NaN) and still ends done', () => {
        expect(checkOptimizerAsks(plugin, t.space(), raw, { ...drain, failRate: 0.3 }).message).toBeUndefined();
        expect(checkOptimizerAsks(plugin, t.space(), raw, { ...drain, failRate: 1 }).message).toBeUndefined();
      });
    });

    it.each([S.discrete, S.tiny, S.empty])('stops when the $name space is exhausted, having asked at most its admissible points', (t) => {
      const r = checkOptimizerExhaustion(plugin, t.space, raw, drain);
      expect(r.message).toBeUndefined();
      if (t === S.empty) expect(r.asked).toBe(0);
    });

    it('searches a continuous range, or refuses it with a Regimen error at create()', () => {
      expect(checkOptimizerRefusesOrSearches(plugin, S.continuous.space(), raw, drain).message).toBeUndefined();
    });
  });
}
