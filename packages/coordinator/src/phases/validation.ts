import {
  EnsembleWeightsSchema,
  otherClassifierRun,
  NO_REGIME,
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
  type ValidationTrade,
} from '@regimen/core';
import { readRegimeLabels, isoTime } from '@regimen/data';
import { regimeSetting, runAdaptive, type AdaptiveInput } from '@regimen/backtester';
import { evaluatePositions, positionsFromEvents } from '@regimen/kernel';
import { compileObjective } from '@regimen/optimizer';
import { liveTrack } from '../classifiers.js';
import { addStage, sliceBars, timed, type PhaseOutput, type RunContext } from '../context.js';
import { lookAheadCheck, verifyTransitions } from '../no-look-ahead.js';
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

  const tracks = timed(ctx, 'label', () => {
    const live = ctx.config.classifiers.map((c) => liveTrack(ctx, c.name));
    for (const t of live) assertSameAsPhase1(ctx, t);
    return live;
  });
  const strategies = ctx.config.strategies.map((s) => ({ name: s.name, type: s.type }));
  const base = { bars: ctx.bars, window, breakdown: tracks, strategies, costs: ctx.config.costs, barsPerYear: ctx.barsPerYear };
  const inputFor = (t: RegimeTrack): AdaptiveInput => {
    const winners = optimal[t.classifier];
    const w = weights[t.classifier];
    if (!winners || !w) throw regimenError({ code: 'workspace', file: !winners ? ctx.paths.regimeOptimalParams : ctx.paths.ensembleWeights, field: t.classifier, message: 'no entry for this classifier' });
    return { ...base, regime: t, winners, weights: w };
  };

  const driving = tracks.find((t) => t.classifier === cfg.classifier)!;
  const input = inputFor(driving);
  const adaptive = timed(ctx, 'adaptive', () => runAdaptive(input, ctx.engine));
  const c = driving.classifier;

  // ---- baselines on the same window
  const t0 = performance.now();
  const { best, bestRow, equal, equalRun, bh, positions } = baselineRuns(ctx, base, c);
  addStage(ctx, 'baselines', (performance.now() - t0) / 1000);

  // ---- transitions and trades
  const nameAt = (t: number) => (driving.labels[t] === NO_REGIME ? null : driving.names[driving.labels[t]!]!);
  const t1 = performance.now();
  const transitions: ValidationResults['transitions'] = [];
  for (let t = window.start + 1; t < window.end; t++) {
    if (driving.labels[t] !== driving.labels[t - 1]) transitions.push({ bar: t, time: isoTime(ctx.bars.time[t]!), from: nameAt(t - 1), to: nameAt(t) });
  }
  const trades: ValidationTrade[] = [];
  for (let t = window.start; t < window.end; t++) {
    const prev = t === window.start ? 0 : adaptive.positions[t - 1]!;
    const cur = adaptive.positions[t]!;
    if (cur !== prev) {
      const setting = regimeSetting(input, nameAt(t));
      trades.push({ bar: t, time: isoTime(ctx.bars.time[t]!), regime: nameAt(t), from_position: prev, to_position: cur, price: ctx.bars.close[t]!, params: setting.params, weights: setting.weights });
    }
  }

  addStage(ctx, 'transitions', (performance.now() - t1) / 1000);

  // ---- proofs: switching at the right bar, and no look-ahead
  const verified = cfg.verify_transitions
    ? timed(ctx, 'proof_transitions', () => verifyTransitions(input, adaptive.positions, transitions.map((x) => x.bar), trades.map((x) => x.bar), ctx.engine, ctx.exhaustive))
    : null;
  // only the driving classifier's labels decide positions; the others would only break down metrics
  const lookAhead = timed(ctx, 'proof_look_ahead', () => lookAheadCheck(ctx, input, adaptive.positions, (cut) => [liveTrack(ctx, c, sliceBars(ctx.bars, cut))], ctx.exhaustive ? 'all' : undefined));

  const otherPositions: Array<[string, Float64Array]> = [];
  const others = Object.fromEntries(
    tracks.filter((t) => t !== driving).map((t) => {
      const r = timed(ctx, 'adaptive', () => runAdaptive(inputFor(t), ctx.engine));
      otherPositions.push([otherClassifierRun(t.classifier), r.positions]);
      return [t.classifier, { metrics: r.metrics, regimes: r.regimes[t.classifier] ?? {} }];
    }),
  );

  const results: ValidationResults = {
    classifier: c,
    split: cfg.data_split,
    bars: window.end - window.start,
    first: isoTime(ctx.bars.time[window.start]!),
    last: isoTime(ctx.bars.time[window.end - 1]!),
    adaptive: { metrics: adaptive.metrics, regimes: adaptive.regimes[c] ?? {} },
    baselines: {
      best_static: { trial_id: best.trial_id, strategy: best.strategy, params: best.params, metrics: bestRow.metrics, regimes: bestRow.regimes[c] ?? {} },
      equal_weights: { weights: equal, metrics: equalRun.metrics, regimes: equalRun.regimes[c] ?? {} },
      buy_and_hold: { metrics: bh.metrics, regimes: bh.regimes[c] ?? {} },
    },
    transitions,
    checks: {
      transitions_verified: verified ? verified.ok : null,
      transitions_checked: verified ? verified.checked : 0,
      look_ahead: { passed: lookAhead.ok, cuts: lookAhead.cuts },
    },
    other_classifiers: others,
    weights: { source, by_regime: input.weights },
  };
  const t2 = performance.now();
  const equityPath = writeValidationEquityFile(ctx, window, c, cfg.data_split, [
    ['adaptive', adaptive.positions],
    ['best_static', positions.best_static],
    ['equal_weights', positions.equal_weights],
    ['buy_and_hold', positions.buy_and_hold],
    ...otherPositions,
  ]);
  writeJsonAtomic(ctx.paths.validationResults, results);
  writeJsonAtomic(ctx.paths.validationTrades, { classifier: c, trades });
  addStage(ctx, 'files', (performance.now() - t2) / 1000);
  if (verified && !verified.ok) throw regimenError({ code: 'internal', file: ctx.paths.validationResults, field: 'checks.transitions_verified', message: `parameters/weights did not switch as the regime changed at bar ${verified.firstFailure}` });
  if (!lookAhead.ok) throw regimenError({ code: 'internal', file: ctx.paths.validationResults, field: 'checks.look_ahead', message: `look-ahead detected: decisions at bar ${lookAhead.firstFailure} change when later data is removed` });
  if (ctx.config.validation.method === 'walk_forward') {
    // for the stitching after the last fold (walk-forward/results.ts)
    const runs = { adaptive: adaptive.positions, ...positions };
    ctx.validationRuns = { window, track: driving, positions: Object.fromEntries(Object.entries(runs).map(([name, p]) => [name, p.slice(window.start, window.end)])) };
  }
  return { outputs: [ctx.paths.validationResults, ctx.paths.validationTrades, equityPath], counts: { bars: results.bars, trades: trades.length, transitions: transitions.length } };
}

/**
 * The baselines of the adaptive strategy on `base.window`: the best static trial by the phase-1
 * objective, the best trial of each strategy with equal weights, and buy-and-hold — with each
 * one's positions (0 outside the window). The walk-forward's stitching recomputes them per fold.
 */
export function baselineRuns(ctx: RunContext, base: Omit<AdaptiveInput, 'regime' | 'winners' | 'weights'>, c: string) {
  const n = ctx.bars.close.length;
  const { trials } = readJsonFile(ctx.paths.trials, TrialsFileSchema);
  const perfs = trials.map((t) => readJsonFile(ctx.paths.trialPerformance(t.trial_id), TrialPerformanceSchema));
  const objective = compileObjective(ctx.config.parameter_discovery.objective);
  const rank = [...perfs].sort((a, b) => objective.score(b.metrics) - objective.score(a.metrics) || (a.trial_id < b.trial_id ? -1 : 1));
  const best = rank[0]!;
  const bestPerStrategy = Object.fromEntries(base.strategies.map((s) => [s.name, rank.find((p) => p.strategy === s.name)!]));
  const [bestRow] = ctx.engine.runTrials({ ...base, regimes: base.breakdown, trials: [{ trial_id: best.trial_id, strategy: best.strategy, type: best.type, params: best.params }], captureSignals: true });
  const single: RegimeTrack = { classifier: c, names: ['all'], labels: new Uint8Array(n) };
  const equal = Object.fromEntries(base.strategies.map((s) => [s.name, 1 / base.strategies.length]));
  const equalRun = runAdaptive({ ...base, regime: single, winners: { all: Object.fromEntries(base.strategies.map((s) => [s.name, { params: bestPerStrategy[s.name]!.params, trial_id: bestPerStrategy[s.name]!.trial_id, metric: 'static', score: 0 }])) }, weights: { all: equal } }, ctx.engine);
  const hold = new Float64Array(n).fill(1);
  const bh = evaluatePositions(ctx.bars.close, hold, base.window, ctx.config.costs, ctx.barsPerYear, base.breakdown);
  const positions = { best_static: positionsFromEvents(bestRow!.signals!, n, base.window), equal_weights: equalRun.positions, buy_and_hold: hold };
  return { best, bestRow: bestRow!, equal, equalRun, bh, positions };
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
