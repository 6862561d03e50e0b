import type { StrategyPlugin } from '@regimen/core';
import type { StrategyDefinition } from '../reference/strategies/definition.js';
import type { StrategyParams } from '../reference/strategies/catalog.js';
import { warmupOf } from './finish.js';
import { pluginPositions } from './positions.js';

const adapted = new WeakMap<StrategyPlugin, StrategyDefinition<StrategyParams>>();

/**
 * A strategy plugin seen as a built-in's definition, so everything that asks the catalog for a
 * type's warm-up or reference positions (phase 1's length check, the look-ahead proofs) runs
 * plugins unchanged. `params` is the plugin's own schema, without `side`.
 */
export function pluginDefinition(plugin: StrategyPlugin): StrategyDefinition<StrategyParams> {
  let def = adapted.get(plugin);
  if (!def) {
    def = {
      type: plugin.name,
      description: plugin.description ?? '',
      params: plugin.params,
      warmup: (params) => warmupOf(plugin, params, Number.MAX_SAFE_INTEGER),
      positions: (bars, params) => pluginPositions(plugin, bars, params),
    };
    adapted.set(plugin, def);
  }
  return def;
}
