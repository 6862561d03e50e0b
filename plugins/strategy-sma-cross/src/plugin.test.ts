import { describe, expect, it } from 'vitest';
import { parseStrategyParams, strategyDefinition } from '@regimen/kernel';
import { checkStrategyWasm, strategyConformance, strategyParams, strategyPositions, syntheticBars } from '@regimen/plugin-testkit';
import plugin, { smaCrossPositions } from './index.js';

// Regimen's kit: shape, parameters, positions, causality, determinism, and WebAssembly = TypeScript.
strategyConformance(plugin, { data: syntheticBars(2000, 1), params: [{}, { fast: 3, slow: 12 }, { fast: 40, slow: 5 }, { fast: 7, slow: 7 }] });

describe('sma-cross', () => {
  const data = syntheticBars(3000, 2);

  it('is the built-in sma_crossover rule: the same positions, bit for bit', () => {
    for (const [fast, slow] of [[5, 20], [20, 5], [1, 50], [9, 9], [30, 2999], [3000, 10]]) {
      for (const side of ['long_only', 'long_short'] as const) {
        const raw = { fast, slow, side };
        const mine = strategyPositions(plugin, data, strategyParams(plugin, raw));
        const builtin = strategyDefinition('sma_crossover').positions(data, parseStrategyParams('sma_crossover', raw));
        expect(Array.from(mine), JSON.stringify(raw)).toEqual(Array.from(builtin));
      }
    }
  });

  it('by hand: SMA1 vs SMA3 of 1, 2, 3, 2, 1, 1, 1', () => {
    // SMA3 from bar 2: 2, 7/3, 2, 4/3, 1; SMA1 = close: above, below, below, below, equal
    const close = Float64Array.from([1, 2, 3, 2, 1, 1, 1]);
    const out = new Float64Array(7);
    smaCrossPositions({ time: close, open: close, high: close, low: close, close }, { fast: 1, slow: 3 }, out);
    expect(Array.from(out)).toEqual([0, 0, 1, -1, -1, -1, 0]);
  });

  it('the kit catches a WebAssembly build that no longer matches its TypeScript reference', () => {
    const drifted = { ...plugin, positions: (b: typeof data, p: { fast: number; slow: number }, out: Float64Array) => smaCrossPositions(b, { ...p, fast: p.fast + 1 }, out) };
    const r = checkStrategyWasm(drifted, strategyParams(plugin, { fast: 5, slow: 20, side: 'long_short' }), data);
    expect(r.message).toMatch(/^WebAssembly differs from positions\(\) at bar \d+: -?1 vs -?[01]/);
    const missing = { ...plugin, wasm: { ...plugin.wasm!, module: new URL('./no-such.wasm', import.meta.url) } };
    expect(checkStrategyWasm(missing, strategyParams(plugin), data).message).toMatch(/cannot read its WebAssembly .*no-such\.wasm \(ENOENT\); build the plugin first/);
  });
});
