import { describe, expect, it } from 'vitest';
import { assertPlugin, type BarColumns, type Side, type StrategyPlugin } from '@regimen/core';
import { sliceBars } from './bars.js';
import {
  checkStrategyCausality,
  checkStrategyDeterminism,
  checkStrategyPositions,
  checkStrategySchema,
  checkStrategyWasm,
  strategyCuts,
  strategyParams,
  strategyPositions,
} from './strategy-checks.js';
import { checkStrategyStep, stepSplits } from './step-checks.js';

export interface StrategyConformanceOptions {
  /** bars to test on */
  data: BarColumns;
  /** raw parameter sets to check (parsed with the plugin's schema, defaults filled); default [{}] */
  params?: Array<Record<string, unknown>>;
  /** sides each parameter set runs with; default both */
  sides?: Side[];
  /** random cuts of the causality check; default 16 */
  randomCuts?: number;
  /** position changes whose bar (and the bar before) are cut at; default 32 */
  changeCuts?: number;
  /** seed of the random cuts; default 7 */
  seed?: number;
}

/**
 * Registers the conformance suite of a strategy plugin as vitest blocks. Call it at the top level
 * of a test file: `strategyConformance(myStrategy(), { data, params: [{}, { lookback: 50 }] })`.
 */
export function strategyConformance(plugin: StrategyPlugin, opts: StrategyConformanceOptions): void {
  const { data } = opts;
  const sides = opts.sides ?? ['long_short', 'long_only'];
  describe(`strategy plugin "${plugin.name}" conformance`, () => {
    it('has the plugin shape', () => {
      expect(assertPlugin(plugin, 'conformance').kind).toBe('strategy');
    });

    it('accepts {} (every parameter has a default), rejects an unknown parameter, leaves side to the host', () => {
      expect(checkStrategySchema(plugin).message).toBeUndefined();
    });

    const sets = (opts.params ?? [{}]).flatMap((raw) => sides.map((side) => ({ raw, side })));
    describe.each(sets)('with $raw, $side', ({ raw, side }) => {
      const params = () => strategyParams(plugin, { ...raw, side });

      it('gives one position per bar, finite, in [−1, 1], 0 during its warm-up', () => {
        expect(checkStrategyPositions(plugin, params(), data).message).toBeUndefined();
      });

      it('causality checked at sampled cuts (random points and its position changes): positions up to each cut are unchanged', () => {
        const p = params();
        const cuts = strategyCuts(strategyPositions(plugin, data, p), { random: opts.randomCuts, changes: opts.changeCuts, seed: opts.seed });
        expect(checkStrategyCausality(plugin, p, data, cuts).message).toBeUndefined();
      });

      it('is deterministic and leaves the bars unchanged', () => {
        expect(checkStrategyDeterminism(plugin, params(), data).message).toBeUndefined();
      });

      if (plugin.step) {
        it('its step hook, resumed at random splits from a state passed through JSON, equals its positions bit for bit', () => {
          expect(checkStrategyStep(plugin, params(), data, stepSplits(data.close.length, 12, opts.seed ?? 7)).message).toBeUndefined();
        });
      }

      if (plugin.wasm) {
        it('its WebAssembly equals its TypeScript positions bit for bit (whole series and a prefix)', () => {
          const p = params();
          expect(checkStrategyWasm(plugin, p, data).message).toBeUndefined();
          expect(checkStrategyWasm(plugin, p, sliceBars(data, Math.ceil(data.close.length / 3))).message).toBeUndefined();
        });
      }
    });
  });
}
