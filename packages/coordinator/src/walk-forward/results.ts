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
import { writeValidationEquity } from '@regimen/data';
import { buildSearchSpace, OverfittingSchema, parameterStability } from '@regimen/optimizer';
import { liveTrack, readModel } from '../classifiers.js';
import type { RunContext } from '../context.js';
import { baselineRuns } from '../phases/validation.js';
import { describeFolds, type Fold } from './fold-plan.js';
import { pooledCagr, stitchFolds, walkForwardEfficiency, type StitchFold } from './stitch.js';

const RUNS = ['adaptive', 'best_static', 'equal_weights', 'buy_and_hold'] as const;

/**
 * The evidence of a walk-forward, written once every fold has been validated:
 * performance/walk_forward_results.json (each fold's windows, winners, weights and out-of-sample
 * metrics; the folds stitched into one out-of-sample series (stitch.ts), its equity in
 * performance/walk_forward_equity.arrow, with its metrics; walk-forward efficiency; parameter
 * stability) and analysis/overfitting.json (each fold's PBO and their means). The folds' metrics
 * are read from their files; the stitching needs each fold's positions, which a workspace does
 * not keep, so each fold's runs are recomputed (one adaptive backtest per fold on its training
 * window for its in-sample metrics, and the validation runs on its out-of-sample window).
 */
export async function writeWalkForwardResults(ctx: RunContext, folds: RunContext[], plan: Fold[]): Promise<void> {
  const c = ctx.config.validation.classifier;
  const spans = describeFolds(plan, ctx.bars.time);
  const entries: WalkForwardFold[] = [];
  const toStitch: StitchFold[] = [];
  const inSampleRuns: Array<{ returns: number; total_return: number }> = [];
  for (const [k, f] of folds.entries()) {
    const v = readJsonFile(f.paths.validationResults, ValidationResultsSchema);
    const optimal = readJsonFile(f.paths.regimeOptimalParams, RegimeOptimalParamsSchema)[c] ?? {};
    // the weights validation used (phase 3's, or equal over the regimes' winners without it)
    const weights = v.weights?.by_regime ?? readJsonFile(f.paths.ensembleWeights, EnsembleWeightsSchema)[c] ?? {};
    const metrics = { adaptive: v.adaptive.metrics, best_static: v.baselines.best_static.metrics, equal_weights: v.baselines.equal_weights.metrics, buy_and_hold: v.baselines.buy_and_hold.metrics };
    const runs = foldRuns(f, c, optimal, weights);
    entries.push({
      ...spans[k]!,
      best_params: Object.fromEntries(Object.entries(optimal).map(([regime, byS]) => [regime, Object.fromEntries(Object.entries(byS).map(([s, e]) => [s, e.params]))])),
      weights,
      in_sample: { ...spans[k]!.in_sample, adaptive: runs.inSample },
      out_of_sample: { ...spans[k]!.out_of_sample, ...metrics },
      walk_forward_efficiency: walkForwardEfficiency(v.adaptive.metrics.cagr, runs.inSample.cagr),
      proofs: { look_ahead: v.checks.look_ahead?.passed ?? null, transitions_verified: v.checks.transitions_verified },
    });
    toStitch.push({ test: plan[k]!.test, positions: runs.outOfSample });
    inSampleRuns.push({ returns: plan[k]!.train.end - plan[k]!.train.start - 1, total_return: runs.inSample.total_return });
  }

  const stitched = stitchFolds(ctx.bars.close, toStitch, RUNS, ctx.config.costs, ctx.barsPerYear);
  const { start, end } = stitched.window;
  const equityFile = join(ctx.paths.performance, 'walk_forward_equity.arrow');
  writeValidationEquity(equityFile, { meta: { kind: 'regimen.validation_equity', classifier: c, split: 'test', start, runs: [...RUNS] }, time: ctx.bars.time.slice(start, end), equity: stitched.equity });
  const inSampleCagr = pooledCagr(inSampleRuns, ctx.barsPerYear);

  const results: WalkForwardResults = {
    classifier: c,
    scheme: ctx.config.validation.walk_forward!.scheme,
    gap: ctx.config.validation.walk_forward!.gap,
    folds: entries,
    stitched: {
      first: entries[0]!.out_of_sample.first,
      last: entries[entries.length - 1]!.out_of_sample.last,
      bars: end - start,
      returns: end - start - 1,
      metrics: stitched.metrics as Record<(typeof RUNS)[number], Metrics>,
      equity_file: 'performance/walk_forward_equity.arrow',
    },
    in_sample_cagr: inSampleCagr,
    walk_forward_efficiency: walkForwardEfficiency(stitched.metrics.adaptive!.cagr, inSampleCagr),
    parameter_stability: stability(ctx, folds),
  };
  writeJsonAtomic(ctx.paths.walkForwardResults, results);
  writeJsonAtomic(ctx.paths.overfitting, overfittingOverFolds(folds));
}

type Winners = Record<string, Record<string, { params: Params; trial_id: string; metric: string; score: number }>>;

/**
 * A fold's adaptive strategy on its own training window (its in-sample metrics), and the
 * positions of every run on its out-of-sample window — the same runs as its validation, recomputed
 * because a workspace keeps equity, not positions. Regimes are labelled live by the fold's model.
 */
function foldRuns(f: RunContext, c: string, winners: Winners, weights: Record<string, Record<string, number>>): { inSample: Metrics; outOfSample: Record<string, Float64Array> } {
  const window = { start: f.split.testStart, end: f.bars.close.length };
  // the fold's validation ran in this process on this window: its track and positions are the
  // ones recomputing would give (same model, bars, winners and weights; a run's positions do not
  // depend on the breakdown tracks), so they are taken as they are
  const kept = f.validationRuns;
  const reuse = kept !== undefined && kept.track.classifier === c && kept.window.start === window.start && kept.window.end === window.end;
  const regime = reuse ? kept.track : liveTrack(f, c);
  const strategies = f.config.strategies.map((s) => ({ name: s.name, type: s.type }));
  const base = { bars: f.bars, breakdown: [], strategies, costs: f.config.costs, barsPerYear: f.barsPerYear };
  const inSample = runAdaptive({ ...base, window: { start: f.split.trainStart, end: f.split.trainEnd }, regime, winners, weights }, f.engine).metrics;
  if (reuse) {
    const outOfSample = Object.fromEntries(Object.entries(kept.positions).map(([run, p]) => {
      const at = new Float64Array(window.end);
      at.set(p, window.start);
      return [run, at];
    }));
    return { inSample, outOfSample };
  }
  const test = { ...base, window };
  const adaptive = runAdaptive({ ...test, regime, winners, weights }, f.engine);
  return { inSample, outOfSample: { adaptive: adaptive.positions, ...baselineRuns(f, test, c).positions } };
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
