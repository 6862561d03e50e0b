import type { ScoreWindow, SplitName } from '@regimen/core';
import { writeValidationEquity } from '@regimen/data';
import { windowEquity } from '@regimen/kernel';
import type { RunContext } from '../context.js';

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
