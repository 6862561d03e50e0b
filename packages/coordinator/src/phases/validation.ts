import {
  EnsembleWeightsSchema,
  otherClassifierRun,
  readJsonFile,
  RegimeOptimalParamsSchema,
  createRng,
  regimenError,
  writeJsonAtomic,
  type BarColumns,
  type EnsembleWeights,
  type RegimeOptimalParams,
  type RegimeTrack,
  type ScoreWindow,
  type ValidationResults,
} from '@regimen/core';
import { readRegimeLabels, isoTime } from '@regimen/data';
import { shareBars, shareRegimes, sharedCopy, type AdaptiveInput } from '@regimen/backtester';
import { isStrategyType } from '@regimen/kernel';
import { compileObjective } from '@regimen/optimizer';
import { classifierOf, liveTrack, readModel, runStageTask, taskSource } from '../classifiers.js';
import { addStage, type PhaseOutput, type RunContext } from '../context.js';
import { lookAheadCuts, transitionPoints } from '../no-look-ahead.js';
import type { TaskClassifier, ValidateTask } from '../stage-worker.js';
import { baselinesOf, computeValidation, type ValidationInput, type ValidationOutput, type ValidationWithoutProofs } from './validation-core.js';
import { combineParts, proofParts, type ProofData, type ProofPart, type ProofPartResult } from './validation-proofs.js';
import { writeValidationEquityFile } from './validation-equity.js';
import { trialPerformances } from '../trial-performances.js';

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
 * Its two proofs — most of its work: each cut and switching point is a recomputation from bar 0 —
 * are cut into parts checked side by side as tasks when the series is long and the executor has
 * workers that can (validation-proofs.ts), also for a single series, whose pool is idle in phase 4;
 * else they run with the rest.
 */
async function validateOnExecutor(ctx: RunContext, input: ValidationInput): Promise<ValidationOutput> {
  const driving = proofTaskClassifier(ctx, input);
  const classifiers = ctx.stageTasks ? ctx.config.classifiers.map((c) => taskClassifier(ctx, c.name)) : [];
  const shared = driving || classifiers.length > 0 ? { ...input, bars: shareBars(input.bars) } : input;
  let runs: ValidationWithoutProofs | ValidationOutput;
  if (classifiers.length > 0 && classifiers.every((c) => c !== undefined)) {
    const task: ValidateTask = { kind: 'validate', engine: ctx.executor.engine, input: shared, classifiers, proofs: !driving };
    runs = await runStageTask<ValidationWithoutProofs | ValidationOutput>(ctx, task);
  } else {
    const label = (name: string, bars: BarColumns) => liveTrack(ctx, name, bars);
    runs = driving ? computeValidation(input, ctx.engine, label, false) : computeValidation(input, ctx.engine, label);
  }
  return driving ? { ...runs, ...(await proofsOnExecutor(ctx, shared, runs, driving)) } : (runs as ValidationOutput);
}

/** A configured classifier as a stage task names it, when a worker can import its plugin. */
function taskClassifier(ctx: RunContext, name: string): TaskClassifier | undefined {
  const c = ctx.config.classifiers.find((x) => x.name === name)!;
  const { plugin } = classifierOf(ctx, name);
  const source = taskSource(ctx, plugin);
  return source ? { name, source, plugin: plugin.name, options: c.options, model: readModel(ctx, name).model, where: `workflow.classifiers.${name}.options` } : undefined;
}

/**
 * Series shorter than this check their proofs with the rest of phase 4: a pool thread's first
 * proof task imports the stage worker and the classifier and compiles their WebAssembly (tenths
 * of a second), about what the proofs of a series this long cost in all.
 */
const PROOF_TASKS_FROM_BARS = 200_000;

/**
 * The driving classifier for the proofs' tasks, when they are worth tasks — a long series, or
 * every bar checked (--exhaustive) — and can run as tasks: the executor has task workers, the
 * classifier is Regimen's, and every strategy is one of the kernel's (a strategy plugin's package
 * is imported by a worker for trial batches, not for stage tasks).
 */
function proofTaskClassifier(ctx: RunContext, input: ValidationInput): TaskClassifier | undefined {
  if (!input.exhaustive && input.bars.close.length < PROOF_TASKS_FROM_BARS) return undefined;
  if (!input.strategies.every((s) => isStrategyType(s.type))) return undefined;
  return taskClassifier(ctx, input.driving);
}

/** Both proofs in parts, side by side on the executor; the answers of the whole checks. */
async function proofsOnExecutor(ctx: RunContext, v: ValidationInput, runs: ValidationWithoutProofs, classifier: TaskClassifier): Promise<Pick<ValidationOutput, 'verified' | 'lookAhead'>> {
  const c = v.driving;
  const data: ProofData = {
    bars: v.bars, window: v.window, regime: shareRegimes([runs.tracks.find((t) => t.classifier === c)!])[0]!, strategies: v.strategies,
    winners: v.optimal[c]!, weights: runs.weightsByRegime, costs: v.costs, barsPerYear: v.barsPerYear, positions: sharedCopy(runs.adaptive.positions),
  };
  // twice as many parts as workers, so that a part that ends early leaves no thread idle for long
  const parts = 2 * Math.max(1, ctx.executor.taskWorkers ?? ctx.executor.workers);
  const cuts = lookAheadCuts(createRng(v.seed), v.window, runs.adaptive.positions, v.exhaustive ? 'all' : undefined);
  const points = v.verifyTransitions ? transitionPoints(runs.transitions.map((x) => x.bar), runs.trades.map((x) => x.bar), v.exhaustive) : null;
  const asked: ProofPart[] = [
    ...proofParts(cuts, parts).map((x): ProofPart => ({ kind: 'look_ahead', cuts: x })),
    ...(points ? proofParts(points, parts).map((x): ProofPart => ({ kind: 'transitions', points: x })) : []),
  ];
  const results = await Promise.all(asked.map((part) => runStageTask<ProofPartResult>(ctx, { kind: 'proof', engine: ctx.executor.engine, data, part, classifier })));
  const of = (kind: ProofPart['kind']) => results.filter((_, i) => asked[i]!.kind === kind);
  // the parts' own seconds, summed: the proofs' work, not the wall time they took side by side
  addStage(ctx, 'proof_look_ahead', of('look_ahead').reduce((s, r) => s + r.seconds, 0));
  if (points) addStage(ctx, 'proof_transitions', of('transitions').reduce((s, r) => s + r.seconds, 0));
  return {
    verified: points ? { ...combineParts(of('transitions')), checked: points.length } : null,
    lookAhead: { ...combineParts(of('look_ahead')), cuts },
  };
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
  const perfs = trialPerformances(ctx);
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
