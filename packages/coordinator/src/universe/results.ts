import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  readJsonFile,
  UNIVERSE_RUNS,
  ValidationResultsSchema,
  WalkForwardResultsSchema,
  workspacePaths,
  writeJsonAtomic,
  type Metrics,
  type PortfolioMetrics,
  type UniverseResults,
  type UniverseRun,
  type UniverseSeriesResult,
  type WorkspacePaths,
} from '@regimen/core';
import { inferBarsPerYear, isoTime, readValidationEquity, writeValidationEquity, type ValidationEquityFile } from '@regimen/data';
import { metricsOfReturns } from '@regimen/kernel';
import { compileObjective, signTest } from '@regimen/optimizer';
import type { PreparedSeries } from '../prepare.js';
import { sharedTimes } from './prepare-universe.js';

type PerRun<T> = Record<UniverseRun, T>;
const perRun = <T>(f: (r: UniverseRun) => T) => Object.fromEntries(UNIVERSE_RUNS.map((r) => [r, f(r)])) as PerRun<T>;

/** Whether a series has finished validating (every fold of a walk-forward, and its results written). */
export function seriesComplete(s: PreparedSeries): boolean {
  if (!s.config.phases.includes('validation')) return false;
  const p = s.paths;
  if (s.config.validation.method !== 'walk_forward') return existsSync(p.checkpoint('validation')) && existsSync(p.validationResults);
  return s.folds.every((f) => existsSync(workspacePaths(p.fold(f.index)).checkpoint('validation'))) && existsSync(p.walkForwardResults);
}

/** A series' out-of-sample results and equity: its test split, or its walk-forward's folds stitched. */
function outOfSample(s: PreparedSeries): { first: string; last: string; bars: number; metrics: PerRun<Metrics>; equity: ValidationEquityFile } {
  const p = s.paths;
  if (s.config.validation.method === 'walk_forward') {
    const wf = readJsonFile(p.walkForwardResults, WalkForwardResultsSchema);
    return { first: wf.stitched.first, last: wf.stitched.last, bars: wf.stitched.bars, metrics: wf.stitched.metrics, equity: readValidationEquity(join(p.base, wf.stitched.equity_file)) };
  }
  const v = readJsonFile(p.validationResults, ValidationResultsSchema);
  const metrics = { adaptive: v.adaptive.metrics, best_static: v.baselines.best_static.metrics, equal_weights: v.baselines.equal_weights.metrics, buy_and_hold: v.baselines.buy_and_hold.metrics };
  return { first: v.first, last: v.last, bars: v.bars, metrics, equity: readValidationEquity(p.validationEquity) };
}

/**
 * performance/universe_results.json and universe_equity.arrow, once every series has validated:
 * each series out of sample (read from its own files), how often the adaptive strategy beats each
 * baseline by the objective (with the sign test), and the equal-weight portfolios over the bars
 * all series share. Read from the series' files only, so the same series give the same bytes.
 */
export function writeUniverseResults(top: WorkspacePaths, series: PreparedSeries[]): UniverseResults {
  const config = series[0]!.config;
  const objective = compileObjective(config.regime_analysis.objective);
  const each = series.map(outOfSample);
  const rows: UniverseSeriesResult[] = series.map((s, i) => ({
    name: s.series!.name,
    workspace: relative(top.base, s.paths.base),
    source: s.fingerprint.source,
    column: s.config.data.column,
    first: each[i]!.first,
    last: each[i]!.last,
    bars: each[i]!.bars,
    metrics: each[i]!.metrics,
    scores: perRun((r) => objective.score(each[i]!.metrics[r])),
  }));
  const versus = (b: Exclude<UniverseRun, 'adaptive'>) => {
    const wins = rows.filter((r) => r.scores.adaptive > r.scores[b]).length;
    const losses = rows.filter((r) => r.scores.adaptive < r.scores[b]).length;
    return signTest(wins, losses, rows.length - wins - losses);
  };
  const results: UniverseResults = {
    method: config.validation.method,
    classifier: config.validation.classifier,
    objective: config.regime_analysis.objective,
    series: rows,
    comparisons: { best_static: versus('best_static'), equal_weights: versus('equal_weights'), buy_and_hold: versus('buy_and_hold') },
    portfolio: portfolio(top, each.map((e) => e.equity), config.data.bars_per_year, config.validation.classifier),
  };
  writeJsonAtomic(top.universeResults, results);
  return results;
}

/**
 * Equal-weight portfolios, one per run, rebalanced at every shared bar: between two bars every
 * series has, each series earns its equity's growth (any bars of its own in between compound into
 * it), and the portfolio earns their mean. Its equity is written beside the results.
 */
function portfolio(top: WorkspacePaths, curves: ValidationEquityFile[], barsPerYear: number | null, classifier: string): UniverseResults['portfolio'] {
  const time = sharedTimes(curves.map((c) => c.time));
  if (time.length < 2) return null;
  // each series' row at every shared bar (both lists increase)
  const rowsAt = curves.map((c) => {
    const at = new Int32Array(time.length);
    for (let i = 0, j = 0; j < time.length; i++) if (c.time[i] === time[j]) at[j++] = i;
    return at;
  });
  const bpy = barsPerYear ?? inferBarsPerYear(time);
  const equity: Record<string, Float64Array> = {};
  const metrics = perRun((run): PortfolioMetrics => {
    const returns = new Float64Array(time.length - 1);
    const e = new Float64Array(time.length);
    e[0] = 1;
    for (let j = 1; j < time.length; j++) {
      let sum = 0;
      curves.forEach((c, s) => {
        const own = c.equity[run]!;
        sum += own[rowsAt[s]![j]!]! / own[rowsAt[s]![j - 1]!]! - 1;
      });
      returns[j - 1] = sum / curves.length;
      e[j] = e[j - 1]! * (1 + returns[j - 1]!);
    }
    equity[run] = e;
    const { trades: _t, exposure: _e, ...m } = metricsOfReturns(returns, bpy, 0, 0);
    return m;
  });
  writeValidationEquity(top.universeEquity, { meta: { kind: 'regimen.validation_equity', classifier, split: 'test', start: 0, runs: [...UNIVERSE_RUNS] }, time, equity });
  return {
    first: isoTime(time[0]!),
    last: isoTime(time[time.length - 1]!),
    bars: time.length,
    bars_per_year: bpy,
    metrics,
    equity_file: relative(top.base, top.universeEquity),
  };
}
