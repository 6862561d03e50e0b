import { join } from 'node:path';
import {
  EnsembleWeightsSchema,
  readJsonFile,
  RegimeOptimalParamsSchema,
  ValidationResultsSchema,
  writeJsonAtomic,
  type Metrics,
  type Params,
  type WalkForwardFold,
  type WalkForwardOverfitting,
  type WalkForwardResults,
} from '@regimen/core';
import { runAdaptive } from '@regimen/backtester';
import { readValidationEquity, writeValidationEquity } from '@regimen/data';
import { metricsOfReturns } from '@regimen/kernel';
import { buildSearchSpace, OverfittingSchema, parameterStability } from '@regimen/optimizer';
import { liveTrack, readModel } from '../classifiers.js';
import type { RunContext } from '../context.js';
import { describeFolds, type Fold } from './fold-plan.js';

const RUNS = ['adaptive', 'best_static', 'equal_weights', 'buy_and_hold'] as const;

/**
 * The evidence of a walk-forward, written once every fold has been validated:
 * performance/walk_forward_results.json (each fold's windows, winners, weights and out-of-sample
 * metrics; the folds stitched into one out-of-sample equity, in performance/walk_forward_equity.arrow,
 * with its metrics; walk-forward efficiency; parameter stability) and analysis/overfitting.json
 * (each fold's PBO and their means). Everything is read from the folds' files, except the
 * adaptive strategy's in-sample metrics, which take one adaptive backtest per fold on its window.
 */
export async function writeWalkForwardResults(ctx: RunContext, folds: RunContext[], plan: Fold[]): Promise<void> {
  const c = ctx.config.validation.classifier;
  const spans = describeFolds(plan, ctx.bars.time);
  const entries: WalkForwardFold[] = [];
  const returns: Record<string, number[]> = Object.fromEntries(RUNS.map((r) => [r, []]));
  const time: number[] = [];
  const counts = Object.fromEntries(RUNS.map((r) => [r, { trades: 0, exposed: 0 }]));
  const curves = folds.map((f) => readValidationEquity(f.paths.validationEquity));
  for (const [k, f] of folds.entries()) {
    const v = readJsonFile(f.paths.validationResults, ValidationResultsSchema);
    const optimal = readJsonFile(f.paths.regimeOptimalParams, RegimeOptimalParamsSchema)[c] ?? {};
    const weights = readJsonFile(f.paths.ensembleWeights, EnsembleWeightsSchema)[c] ?? {};
    const metrics = { adaptive: v.adaptive.metrics, best_static: v.baselines.best_static.metrics, equal_weights: v.baselines.equal_weights.metrics, buy_and_hold: v.baselines.buy_and_hold.metrics };
    const inSample = inSampleAdaptive(f, optimal, weights);
    entries.push({
      ...spans[k]!,
      best_params: Object.fromEntries(Object.entries(optimal).map(([regime, byS]) => [regime, Object.fromEntries(Object.entries(byS).map(([s, e]) => [s, e.params]))])),
      weights,
      in_sample: { ...spans[k]!.in_sample, adaptive: inSample },
      out_of_sample: { ...spans[k]!.out_of_sample, ...metrics },
      walk_forward_efficiency: efficiency(v.adaptive.metrics.cagr, inSample.cagr),
      proofs: { look_ahead: v.checks.look_ahead?.passed ?? null, transitions_verified: v.checks.transitions_verified },
    });
    // the fold's returns, from its equity: bar t earns E_t / E_(t−1) − 1
    const eq = curves[k]!;
    for (const r of RUNS) {
      const e = eq.equity[r]!;
      for (let t = 1; t < e.length; t++) returns[r]!.push(e[t]! / e[t - 1]! - 1);
      const n = e.length - 1;
      counts[r]!.trades += metrics[r].trades;
      counts[r]!.exposed += Math.round(metrics[r].exposure * n);
    }
    time.push(...eq.time);
  }

  // the stitched equity: each fold's curve continues from where the previous one ended
  const equity: Record<string, Float64Array> = {};
  for (const r of RUNS) {
    const e = new Float64Array(time.length);
    let level = 1;
    let i = 0;
    for (const curve of curves) {
      const own = curve.equity[r]!;
      for (let t = 0; t < own.length; t++) e[i++] = level * own[t]!;
      level = e[i - 1]!;
    }
    equity[r] = e;
  }
  const equityFile = join(ctx.paths.performance, 'walk_forward_equity.arrow');
  writeValidationEquity(equityFile, { meta: { kind: 'regimen.validation_equity', classifier: c, split: 'test', start: plan[0]!.test.start, runs: [...RUNS] }, time: Float64Array.from(time), equity });
  const stitched = Object.fromEntries(RUNS.map((r) => [r, metricsOfReturns(Float64Array.from(returns[r]!), ctx.barsPerYear, counts[r]!.trades, counts[r]!.exposed)])) as Record<(typeof RUNS)[number], Metrics>;
  const meanInSample = entries.reduce((s, e) => s + e.in_sample.adaptive.cagr, 0) / entries.length;

  const results: WalkForwardResults = {
    classifier: c,
    scheme: ctx.config.validation.walk_forward!.scheme,
    gap: ctx.config.validation.walk_forward!.gap,
    folds: entries,
    stitched: {
      first: entries[0]!.out_of_sample.first,
      last: entries[entries.length - 1]!.out_of_sample.last,
      bars: time.length,
      metrics: stitched,
      equity_file: 'performance/walk_forward_equity.arrow',
    },
    walk_forward_efficiency: efficiency(stitched.adaptive.cagr, meanInSample),
    parameter_stability: stability(ctx, folds),
  };
  writeJsonAtomic(ctx.paths.walkForwardResults, results);
  writeJsonAtomic(ctx.paths.overfitting, overfittingOverFolds(folds));
}

/** Pardo's walk-forward efficiency: annualised out-of-sample return over annualised in-sample return. */
function efficiency(outOfSample: number, inSample: number): number | null {
  return inSample > 0 ? outOfSample / inSample : null;
}

/** The adaptive strategy of a fold on its own training window, regimes labelled live by its model. */
function inSampleAdaptive(f: RunContext, winners: Record<string, Record<string, { params: Params; trial_id: string; metric: string; score: number }>>, weights: Record<string, Record<string, number>>): Metrics {
  const regime = liveTrack(f, f.config.validation.classifier);
  const strategies = f.config.strategies.map((s) => ({ name: s.name, type: s.type }));
  const window = { start: f.split.trainStart, end: f.split.trainEnd };
  return runAdaptive({ bars: f.bars, window, regime, breakdown: [], strategies, winners, weights, costs: f.config.costs, barsPerYear: f.barsPerYear }, f.engine).metrics;
}

/** Per classifier, regime and strategy: how the winning parameters moved across the folds. */
function stability(ctx: RunContext, folds: RunContext[]): WalkForwardResults['parameter_stability'] {
  const optimal = folds.map((f) => readJsonFile(f.paths.regimeOptimalParams, RegimeOptimalParamsSchema));
  const spaces = new Map(ctx.config.strategies.map((s) => [s.name, buildSearchSpace(s.parameter_space, { constraints: s.constraints, where: `workflow.strategies.${s.name}` }).dimensions]));
  const out: WalkForwardResults['parameter_stability'] = {};
  for (const cl of ctx.config.classifiers) {
    // the regimes any fold's model has (a classifier's names need not be the same in every fold)
    const regimes = [...new Set(folds.flatMap((f) => readModel(f, cl.name).regimes))];
    out[cl.name] = Object.fromEntries(regimes.map((regime) => [regime, Object.fromEntries(ctx.config.strategies.map((s) => {
      const winners = optimal.map((o) => o[cl.name]?.[regime]?.[s.name]?.params ?? null);
      return [s.name, parameterStability(winners, spaces.get(s.name)!)];
    }))]));
  }
  return out;
}

/** The top-level analysis/overfitting.json of a walk-forward: every fold's, and each entry's mean PBO over the folds that have one. */
function overfittingOverFolds(folds: RunContext[]): WalkForwardOverfitting {
  const each = folds.map((f) => readJsonFile(f.paths.overfitting, OverfittingSchema));
  const keys = [...new Set(each.flatMap((o) => o.entries.map((e) => e.key)))];
  const mean = (key: string) => {
    const ok = each.flatMap((o) => o.entries.filter((e) => e.key === key && e.result).map((e) => e.result!.pbo));
    return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
  };
  return { folds: each, mean_pbo: Object.fromEntries(keys.map((k) => [k, mean(k)])) };
}
