import { BUILTIN_STRATEGY_PLUGINS } from '@regimen/kernel';
import { syntheticBars } from './bars.js';
import { strategyConformance } from './strategy-conformance.js';

// The five built-in strategies are strategy plugins too, and pass the same kit a third party's must.
const params: Record<string, Array<Record<string, unknown>>> = {
  momentum: [{}, { lookback: 5, threshold: 0.01 }],
  mean_reversion: [{}, { lookback: 10, threshold: 0.02 }],
  sma_crossover: [{}, { fast: 3, slow: 12 }],
  breakout: [{}, { lookback: 5 }],
  rsi: [{}, { period: 5, lower: 40, upper: 60 }],
};
for (const plugin of BUILTIN_STRATEGY_PLUGINS) {
  strategyConformance(plugin, { data: syntheticBars(1500, 9), params: params[plugin.name] });
}
