import type { ScoreWindow, SplitName } from '@regimen/core';
import { writeValidationEquity } from '@regimen/data';
import { windowReturns } from '@regimen/kernel';
import type { RunContext } from '../context.js';

/**
 * Equity of a position series over the window: E = 1 at its first bar, then compounding the
 * returns its metrics were computed from (DESIGN §5), in the same order as metricsOfReturns — so
 * the last value is 1 + total_return and 1 − E/peak reaches max_drawdown, bit for bit.
 */
export function windowEquity(close: Float64Array, positions: Float64Array, window: ScoreWindow, costs: RunContext['config']['costs']): Float64Array {
  const returns = windowReturns(close, positions, window, costs);
  const equity = new Float64Array(returns.length + 1);
  equity[0] = 1;
  for (let i = 0; i < returns.length; i++) equity[i + 1] = equity[i]! * (1 + returns[i]!);
  return equity;
}

/** performance/validation_equity.arrow: every validation run's equity per bar, for readers without market data (the report). */
export function writeValidationEquityFile(ctx: RunContext, window: ScoreWindow, classifier: string, split: SplitName, runs: Array<[name: string, positions: Float64Array]>): string {
  const equity = Object.fromEntries(runs.map(([name, pos]) => [name, windowEquity(ctx.bars.close, pos, window, ctx.config.costs)]));
  writeValidationEquity(ctx.paths.validationEquity, {
    meta: { kind: 'regimen.validation_equity', classifier, split, start: window.start, runs: runs.map(([name]) => name) },
    time: ctx.bars.time.subarray(window.start, window.end),
    equity,
  });
  return ctx.paths.validationEquity;
}
