import type { Command } from 'commander';
import { regimenError } from '@regimen/core';
import { inferBarsPerYear, isoTime, readMarketData } from '@regimen/data';
import { loadEngine } from '@regimen/backtester';
import { builtinRegistry, loadPlugins } from '@regimen/coordinator';
import { parseStrategyParams, strategyDefinition, strategyTypes } from '@regimen/kernel';
import { METRIC_HEADER, metricCells, table } from '../format.js';
import { collectParam, numberOption } from './options.js';
import { addReadingOptions, readingOptions, type ReadingFlags } from './reading-options.js';

export function registerBacktest(program: Command): void {
  const cmd = program
    .command('backtest')
    .description('backtest one strategy (built-in or a strategy plugin) with given parameters on a data file (mode full, whole series)')
    .requiredOption('--strategy <type>', `strategy type (${strategyTypes().join(', ')}, or a strategy plugin's name with --load)`)
    .option('--load <spec...>', 'load strategy plugin packages or paths first')
    .option('--param <name=value>', 'a parameter; repeat for several (side=long_short for long/short)', collectParam, {})
    .requiredOption('--data <file>', 'CSV, Arrow IPC or Parquet market data')
    .option('--fee <f>', 'cost per unit of position change', numberOption('--fee'), 0.0005)
    .option('--slippage <f>', 'slippage per unit of position change', numberOption('--slippage'), 0)
    .option('--bars-per-year <n>', 'annualisation (default: inferred from timestamps)', numberOption('--bars-per-year'))
    .option('--engine <name>', 'wasm or js (the TypeScript reference)', 'wasm')
    .option('--json', 'print the result as JSON');
  addReadingOptions(cmd)
    .action(async (o: ReadingFlags & { strategy: string; load?: string[]; param: Record<string, string | number>; data: string; fee: number; slippage: number; barsPerYear?: number; engine: string; json?: boolean }) => {
      const registry = builtinRegistry();
      await loadPlugins(registry, o.load ?? [], process.cwd(), '--load');
      try {
        registry.strategy(o.strategy);
      } catch (e) {
        throw regimenError({ code: 'usage', field: '--strategy', value: o.strategy, message: (e as Error).message.replace(/^unknown strategy "[^"]*"/, 'unknown strategy'), cause: e });
      }
      const params = parseStrategyParams(o.strategy, o.param);
      const warm = strategyDefinition(o.strategy).warmup(params);
      const market = await readMarketData(o.data, { ...readingOptions(o), minBars: warm + 2 });
      const bars = market.bars;
      const barsPerYear = o.barsPerYear ?? inferBarsPerYear(bars.time);
      const engine = await loadEngine(o.engine as 'js' | 'wasm');
      const [row] = engine.runTrials({
        bars,
        window: { start: 0, end: bars.close.length },
        trials: [{ trial_id: 'backtest', strategy: o.strategy, type: o.strategy, params }],
        regimes: [],
        costs: { fee: o.fee, slippage: o.slippage },
        barsPerYear,
        captureSignals: false,
      });
      const result = {
        strategy: o.strategy,
        params,
        data: market.source,
        reading: market.reading,
        bars: bars.close.length,
        first: isoTime(bars.time[0]!),
        last: isoTime(bars.time[bars.close.length - 1]!),
        bars_per_year: barsPerYear,
        costs: { fee: o.fee, slippage: o.slippage },
        metrics: row!.metrics,
      };
      if (o.json) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(`${o.strategy} ${JSON.stringify(params)} on ${result.data} (${result.first} → ${result.last}, ${result.bars} bars)`);
        console.log(table(METRIC_HEADER, [metricCells(row!.metrics)]));
      }
    });
}
