import { PLUGIN_API_VERSION, type BarColumns, type StrategyPlugin } from '@regimen/core';
import type { z } from 'zod';
import { isStrategyType, strategyCatalog, strategyTypes, type StrategyParams } from '../reference/strategies/catalog.js';
import type { StrategyDefinition } from '../reference/strategies/definition.js';
import { useStrategyPlugin as use } from './table.js';

/**
 * The five built-in strategies as strategy plugins (DESIGN §2): the same shape a third-party
 * package has, so `regimen plugins` lists them with their parameters and a workflow names them
 * alike. Their `positions` is the TypeScript reference; the engines run them on the kernel's own
 * routines (src/wasm/kernel-trials.ts), not through this object.
 */
function builtinPlugin(def: StrategyDefinition<StrategyParams>): StrategyPlugin<Record<string, unknown>> {
  return {
    kind: 'strategy',
    name: def.type,
    apiVersion: PLUGIN_API_VERSION,
    description: def.description,
    params: def.params as z.ZodType<Record<string, unknown>>,
    warmup: (params) => def.warmup(params as StrategyParams),
    positions: (bars, params, out) => {
      out.set(def.positions(bars, params as StrategyParams));
    },
    ...(def.step ? { step: (state: unknown, bars: BarColumns, params: Record<string, unknown>, out: Float64Array) => def.step!(state, bars, params as StrategyParams, out) } : {}),
  };
}

export const BUILTIN_STRATEGY_PLUGINS: readonly StrategyPlugin[] = strategyTypes().map((type) =>
  builtinPlugin(strategyCatalog[type] as unknown as StrategyDefinition<StrategyParams>));

/** Make a strategy plugin runnable by this thread's engines (a built-in's name is refused). */
export function useStrategyPlugin(plugin: StrategyPlugin, source: string): void {
  use(plugin, source, isStrategyType);
}
