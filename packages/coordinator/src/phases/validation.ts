import {
  EnsembleWeightsSchema,
  otherClassifierRun,
  readJsonFile,
  RegimeOptimalParamsSchema,
  regimenError,
  TrialPerformanceSchema,
  TrialsFileSchema,
  writeJsonAtomic,
  type EnsembleWeights,
  type RegimeOptimalParams,
  type RegimeTrack,
  type ScoreWindow,
  type ValidationResults,
} from '@regimen/core';
import { readRegimeLabels, isoTime } from '@regimen/data';
import type { AdaptiveInput } from '@regimen/backtester';
import { compileObjective } from '@regimen/optimizer';
import { classifierOf, liveTrack, readModel, runStageTask, taskSource } from '../classifiers.js';
import { addStage, type PhaseOutput, type RunContext } from '../context.js';
import type { ValidateTask } from '../stage-worker.js';
import { baselinesOf, computeValidation, type ValidationInput, type ValidationOutput } from './validation-core.js';
import { writeValidationEquityFile } from './validation-equity.js';

/**
 * Phase 4: the adaptive strategy on held-out data. Regimes are labelled live from the saved model
 * (and must equal the labels phase 1 wrote); parameters and weights switch when the live regime
 * changes. Baselines run on the same window: the best static trial, equal weights, buy-and-hold.
 */
export async function validation(ctx: RunContext): Promise<PhaseOutput> {
  const cfg = ctx.config.validation;
  delete ctx.validationRuns;
  const optimal = readJsonFile(ctx.paths.regimeOptimalParams, RegimeOptimalParamsSchema);
  const { source, weights } = validationWeights(ctx, optimal);
  const n = ctx.bars.close.length;
  const window: ScoreWindow =
    cfg.data_split === 'test' ? { start: ctx.split.testStart, end: n } : cfg.data_split === 'train' ? { start: 0, end: ctx.split.trainEnd } : { start: 0, end: n };
  if (window.end - window.start < 2) throw regimenError({ code: 'data', file: ctx.config.data.path, field: 'workflow.data.split', message: 'the validation split has fewer than 2 bars' });

  const strategies = ctx.config.strategies.map((s) => ({ name: s.name, type: s.type }));
  const { best, bestPerStrategy } = rankTrials(ctx, strategies);
  const input: ValidationInput = {
    bars: ctx.bars, window, costs: ctx.config.costs, barsPerYear: ctx.barsPerYear, seed: ctx.config.seed, exhaustive: ctx.exhaustive ?? false,
    verifyTransitions: cfg.verify_transitions, strategies, optimal, weights, classifiers: ctx.config.classifiers.map((c) => c.name), driving: cfg.classifier,
    best: { trial_id: best.trial_id, strategy: best.strategy, type: best.type, params: best.params },
    bestPerStrategy: Object.fromEntries(Object.entries(bestPerStrategy).map(([s, p]) => [s, { trial_id: p.trial_id, params: p.params }])),
    files: { optimal: ctx.paths.regimeOptimalParams, weights: ctx.paths.ensembleWeights },
  };
  const out = await validateOnExecutor(ctx, input);
  for (const [stage, seconds] of Object.entries(out.stages)) addStage(ctx, stage, seconds);
  for (const t of out.tracks) assertSameAsPhase1(ctx, t);
  const c = cfg.classifier;

  const results: ValidationResults = {
    classifier: c,
    split: cfg.data_split,
    bars: window.end - window.start,
    first: isoTime(ctx.bars.time[window.start]!),
    last: isoTime(ctx.bars.time[window.end - 1]!),
    adaptive: { metrics: out.adaptive.metrics, regimes: out.adaptive.regimes },
    baselines: {
      best_static: { trial_id: best.trial_id, strategy: best.strategy, params: best.params, metrics: out.bestRow.metrics, regimes: out.bestRow.regimes },
      equal_weights: { weights: out.equal, metrics: out.equalRun.metrics, regimes: out.equalRun.regimes },
      buy_and_hold: { metrics: out.bh.metrics, regimes: out.bh.regimes },
    },
    transitions: out.transitions,
    checks: {
      transitions_verified: out.verified ? out.verified.ok : null,
      transitions_checked: out.verified ? out.verified.checked : 0,
      look_ahead: { passed: out.lookAhead.ok, cuts: out.lookAhead.cuts },
    },
    other_classifiers: out.others,
    weights: { source, by_regime: out.weightsByRegime },
  };
  const t2 = performance.now();
  const equityPath = writeValidationEquityFile(ctx, window, c, cfg.data_split, [
    ['adaptive', out.adaptive.positions],
    ['best_static', out.positions.best_static],
    ['equal_weights', out.positions.equal_weights],
    ['buy_and_hold', out.positions.buy_and_hold],
    ...out.otherPositions.map(([name, p]): [string, Float64Array] => [otherClassifierRun(name), p]),
  ]);
  writeJsonAtomic(ctx.paths.validationResults, results);
  writeJsonAtomic(ctx.paths.validationTrades, { classifier: c, trades: out.trades });
  addStage(ctx, 'files', (performance.now() - t2) / 1000);
  const { verified, lookAhead } = out;
  if (verified && !verified.ok) throw regimenError({ code: 'internal', file: ctx.paths.validationResults, field: 'checks.transitions_verified', message: `parameters/weights did not switch as the regime changed at bar ${verified.firstFailure}` });
  if (!lookAhead.ok) throw regimenError({ code: 'internal', file: ctx.paths.validationResults, field: 'checks.look_ahead', message: `look-ahead detected: decisions at bar ${lookAhead.firstFailure} change when later data is removed` });
  if (ctx.config.validation.method === 'walk_forward') {
    // for the stitching after the last fold (walk-forward/results.ts)
    const driving = out.tracks.find((t) => t.classifier === c)!;
    const runs = { adaptive: out.adaptive.positions, ...out.positions };
    ctx.validationRuns = { window, track: driving, positions: Object.fromEntries(Object.entries(runs).map(([name, p]) => [name, p.slice(window.start, window.end)])) };
  }
  return { outputs: [ctx.paths.validationResults, ctx.paths.validationTrades, equityPath], counts: { bars: results.bars, trades: out.trades.length, transitions: out.transitions.length } };
}

/**
 * Phase 4's computing (validation-core.ts): as a task on the executor when several series or
 * folds are in flight and every classifier is one of Regimen's (a worker imports it by package),
 * else on this thread. The labels it made are checked against phase 1's by the caller either way.
 */
async function validateOnExecutor(ctx: RunContext, input: ValidationInput) {
  const classifiers = ctx.config.classifiers.map((c) => ({ c, source: ctx.stageTasks ? taskSource(ctx, classifierOf(ctx, c.name).plugin) : undefined }));
  if (classifiers.every((x) => x.source)) {
    const task: ValidateTask = {
      kind: 'validate', engine: ctx.executor.engine, input,
      classifiers: classifiers.map(({ c, source }) => ({ name: c.name, source: source!, plugin: classifierOf(ctx, c.name).plugin.name, options: c.options, model: readModel(ctx, c.name).model, where: `workflow.classifiers.${c.name}.options` })),
    };
    return runStageTask<ValidationOutput>(ctx, task);
  }
  return computeValidation(input, ctx.engine, (name, bars) => liveTrack(ctx, name, bars));
}

/**
 * The baselines of the adaptive strategy on `base.window` (validation-core.ts baselinesOf) for the
 * trials of this workspace: the walk-forward's stitching recomputes them per fold.
 */
export function baselineRuns(ctx: RunContext, base: Omit<AdaptiveInput, 'regime' | 'winners' | 'weights'>, c: string) {
  const { best, bestPerStrategy } = rankTrials(ctx, base.strategies);
  return { best, ...baselinesOf(ctx.engine, base, c, best, bestPerStrategy) };
}

/** The best static trial by the phase-1 objective, and each strategy's best. */
function rankTrials(ctx: RunContext, strategies: Array<{ name: string }>) {
  const { trials } = readJsonFile(ctx.paths.trials, TrialsFileSchema);
  const perfs = trials.map((t) => readJsonFile(ctx.paths.trialPerformance(t.trial_id), TrialPerformanceSchema));
  const objective = compileObjective(ctx.config.parameter_discovery.objective);
  const rank = [...perfs].sort((a, b) => objective.score(b.metrics) - objective.score(a.metrics) || (a.trial_id < b.trial_id ? -1 : 1));
  const best = rank[0]!;
  const bestPerStrategy = Object.fromEntries(strategies.map((s) => [s.name, rank.find((p) => p.strategy === s.name)!]));
  return { best, bestPerStrategy };
}

/** The live labels of validation must be the labels phase 1 saved for the test split. */
function assertSameAsPhase1(ctx: RunContext, t: RegimeTrack): void {
  const saved = readRegimeLabels(ctx.paths.regimeLabels(t.classifier, 'test'));
  const live = t.labels.subarray(ctx.split.testStart);
  const same = saved.labels.length === live.length && saved.labels.every((v, i) => v === live[i]);
  if (!same) throw regimenError({ code: 'workspace', file: ctx.paths.regimeLabels(t.classifier, 'test'), message: 'differs from the labels of the saved model: the model or the labels were edited' });
}

export function validationInputs(ctx: RunContext): string[] {
  const weights = ctx.config.phases.includes('ensemble_optimization') ? [ctx.paths.ensembleWeights] : [];
  return [ctx.paths.regimeOptimalParams, ...weights, ...ctx.config.classifiers.map((c) => ctx.paths.classifierModel(c.name))];
}

/**
 * The weights validation trades with: phase 3's, or — in a workflow without an
 * `ensemble_optimization` phase — each strategy's per-regime winner at equal weight: in every
 * regime, 1/k for each of the k strategies that have a winner there (a strategy without one has
 * no parameters to trade with in that regime). Decided by the phase list, never by whether a
 * file happens to exist, so the same config always validates the same way.
 */
export function validationWeights(ctx: RunContext, optimal: RegimeOptimalParams): { source: WeightsSource; weights: EnsembleWeights } {
  if (ctx.config.phases.includes('ensemble_optimization')) {
    return { source: 'ensemble_optimization', weights: readJsonFile(ctx.paths.ensembleWeights, EnsembleWeightsSchema) };
  }
  const weights: EnsembleWeights = {};
  for (const [c, byRegime] of Object.entries(optimal)) {
    weights[c] = Object.fromEntries(Object.entries(byRegime).map(([regime, winners]) => {
      const names = Object.keys(winners);
      return [regime, Object.fromEntries(names.map((s) => [s, 1 / names.length]))];
    }));
  }
  return { source: 'equal_regime_winners', weights };
}

type WeightsSource = NonNullable<ValidationResults['weights']>['source'];
