import { fileURLToPath } from 'node:url';
import type { StrategyPlugin } from '@regimen/core';
import { readCsvBars, realDataPath, strategyConformance } from '@regimen/plugin-testkit';

// The example strategy of the `search` benchmark's 5-parameter space (examples/strategies/rsi-trend.js),
// a plain JavaScript plugin file: the conformance kit on 2,000 real NYSE closes.
const file = fileURLToPath(new URL('../../examples/strategies/rsi-trend.js', import.meta.url));
const { default: rsiTrend } = (await import(file)) as { default: StrategyPlugin };

strategyConformance(rsiTrend, {
  data: readCsvBars(realDataPath('nyse_composite_daily_close.csv'), { limit: 2000 }),
  params: [{}, { period: 2, entry: 10, exit: 70, trend: 200, stop: 0.05 }, { period: 14, entry: 35, exit: 50, trend: 50, stop: 0 }],
});
