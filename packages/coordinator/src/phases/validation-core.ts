import {
  createRng,
  NO_REGIME,
  regimenError,
  sliceBars,
  type BarColumns,
  type Costs,
  type EnsembleWeights,
  type Engine,
  type Metrics,
  type RegimeBreakdown,
  type RegimeOptimalParams,
  type RegimeTrack,
  type ScoreWindow,
  type TrialSpec,
  type ValidationResults,
  type ValidationTrade,
} from '@regimen/core';
import { isoTime } from '@regimen/data';
import { regimeSetting, runAdaptive, type AdaptiveInput } from '@regimen/backtester';
import { evaluatePositions, positionsFromEvents } from '@regimen/kernel';
import { lookAheadCheck, verifyTransitions } from '../no-look-ahead.js';

/**
 * The computing of phase 4 — live labels, the adaptive backtest, its baselines, transitions and
 * trades, both proofs — on data alone: no file, no context. validation.ts reads its inputs from
 * the workspace and writes what this returns; this runs on the coordinator's thread, or as a task
 * on a pool thread or a Redis worker (stage-worker.ts), with the same result wherever it runs.
 */
export interface ValidationInput {
  bars: BarColumns;
  window: ScoreWindow;
  costs: Costs;
  barsPerYear: number;
  /** the workflow's seed: the look-ahead check's cuts are drawn from its fork `look-ahead` */
  seed: number;
  exhaustive: boolean;
  verifyTransitions: boolean;
  strategies: Array<{ name: string; type: string }>;
  optimal: RegimeOptimalParams;
  weights: EnsembleWeights;
  /** the configured classifiers in order, and the one that drives the adaptive strategy */
  classifiers: string[];
  driving: string;
  /** the best static trial, and each strategy's best (by the phase-1 objective) */
  best: TrialSpec;
  bestPerStrategy: Record<string, { trial_id: string; params: TrialSpec['params'] }>;
  /** where errors point (the workspace's files) */
  files: { optimal: string; weights: string };
}

type Scored = { metrics: Metrics; regimes: RegimeBreakdown[string] };

export interface ValidationOutput {
  tracks: RegimeTrack[];
  adaptive: Scored & { positions: Float64Array };
  bestRow: Scored;
  equal: Record<string, number>;
  equalRun: Scored;
  bh: Scored;
  positions: { best_static: Float64Array; equal_weights: Float64Array; buy_and_hold: Float64Array };
  transitions: ValidationResults['transitions'];
  trades: ValidationTrade[];
  verified: { ok: boolean; checked: number; firstFailure?: number } | null;
  lookAhead: { ok: boolean; cuts: number[]; firstFailure?: number };
  others: Record<string, Scored>;
  otherPositions: Array<[string, Float64Array]>;
  /** the driving classifier's weights by regime, as traded */
  weightsByRegime: AdaptiveInput['weights'];
  /** seconds per stage, for the phase's checkpoint */
  stages: Record<string, number>;
}

/** Phase 4's runs without its proofs: what the proofs' parts check, when they run elsewhere (validation-proofs.ts). */
export type ValidationWithoutProofs = Omit<ValidationOutput, 'verified' | 'lookAhead'>;

/**
 * `label(name, bars)`: the live labels of a configured classifier on `bars`, from its saved model.
 * `proofs: false` leaves both proofs to the caller, who checks them in parts (validation.ts).
 */
export function computeValidation(v: ValidationInput, engine: Engine, label: (classifier: string, bars: BarColumns) => RegimeTrack): ValidationOutput;
export function computeValidation(v: ValidationInput, engine: Engine, label: (classifier: string, bars: BarColumns) => RegimeTrack, proofs: false): ValidationWithoutProofs;
export function computeValidation(v: ValidationInput, engine: Engine, label: (classifier: string, bars: BarColumns) => RegimeTrack, proofs = true): ValidationWithoutProofs | ValidationOutput {
  const stages: Record<string, number> = {};
  const timed = <T>(stage: string, work: () => T): T => {
    const t0 = performance.now();
    try {
      return work();
    } finally {
      stages[stage] = (stages[stage] ?? 0) + (performance.now() - t0) / 1000;
    }
  };
  const { bars, window } = v;
  const tracks = timed('label', () => v.classifiers.map((c) => label(c, bars)));
  const base = { bars, window, breakdown: tracks, strategies: v.strategies, costs: v.costs, barsPerYear: v.barsPerYear };
  const inputFor = (t: RegimeTrack): AdaptiveInput => {
    const winners = v.optimal[t.classifier];
    const w = v.weights[t.classifier];
    if (!winners || !w) throw regimenError({ code: 'workspace', file: !winners ? v.files.optimal : v.files.weights, field: t.classifier, message: 'no entry for this classifier' });
    return { ...base, regime: t, winners, weights: w };
  };
  const driving = tracks.find((t) => t.classifier === v.driving)!;
  const input = inputFor(driving);
  const adaptive = timed('adaptive', () => runAdaptive(input, engine));
  const c = driving.classifier;

  // ---- baselines on the same window
  const { bestRow, equal, equalRun, bh, positions } = timed('baselines', () => baselinesOf(engine, base, c, v.best, v.bestPerStrategy));

  // ---- transitions and trades
  const nameAt = (t: number) => (driving.labels[t] === NO_REGIME ? null : driving.names[driving.labels[t]!]!);
  const t1 = performance.now();
  const transitions: ValidationResults['transitions'] = [];
  for (let t = window.start + 1; t < window.end; t++) {
    if (driving.labels[t] !== driving.labels[t - 1]) transitions.push({ bar: t, time: isoTime(bars.time[t]!), from: nameAt(t - 1), to: nameAt(t) });
  }
  const trades: ValidationTrade[] = [];
  for (let t = window.start; t < window.end; t++) {
    const prev = t === window.start ? 0 : adaptive.positions[t - 1]!;
    const cur = adaptive.positions[t]!;
    if (cur !== prev) {
      const setting = regimeSetting(input, nameAt(t));
      trades.push({ bar: t, time: isoTime(bars.time[t]!), regime: nameAt(t), from_position: prev, to_position: cur, price: bars.close[t]!, params: setting.params, weights: setting.weights });
    }
  }
  stages.transitions = (performance.now() - t1) / 1000;

  const otherPositions: Array<[string, Float64Array]> = [];
  const others = Object.fromEntries(
    tracks.filter((t) => t !== driving).map((t) => {
      const r = timed('adaptive', () => runAdaptive(inputFor(t), engine));
      otherPositions.push([t.classifier, r.positions]);
      return [t.classifier, { metrics: r.metrics, regimes: r.regimes[t.classifier] ?? {} }];
    }),
  );
  const runs: ValidationWithoutProofs = {
    tracks,
    adaptive: { metrics: adaptive.metrics, regimes: adaptive.regimes[c] ?? {}, positions: adaptive.positions },
    bestRow: { metrics: bestRow.metrics, regimes: bestRow.regimes[c] ?? {} },
    equal,
    equalRun: { metrics: equalRun.metrics, regimes: equalRun.regimes[c] ?? {} },
    bh: { metrics: bh.metrics, regimes: bh.regimes[c] ?? {} },
    positions,
    transitions,
    trades,
    others,
    otherPositions,
    weightsByRegime: input.weights,
    stages,
  };
  if (!proofs) return runs;

  // ---- proofs: switching at the right bar, and no look-ahead
  const verified = v.verifyTransitions
    ? timed('proof_transitions', () => verifyTransitions(input, adaptive.positions, transitions.map((x) => x.bar), trades.map((x) => x.bar), engine, v.exhaustive))
    : null;
  // only the driving classifier's labels decide positions; the others would only break down metrics
  const rng = createRng(v.seed);
  const lookAhead = timed('proof_look_ahead', () => lookAheadCheck({ rng, engine }, input, adaptive.positions, (cut) => [label(c, sliceBars(bars, cut))], v.exhaustive ? 'all' : undefined));
  return { ...runs, verified, lookAhead };
}

/**
 * The baselines of the adaptive strategy on `base.window`: the best static trial, the best trial of
 * each strategy with equal weights, and buy-and-hold — with each one's positions (0 outside the
 * window).
 */
export function baselinesOf(
  engine: Engine,
  base: Omit<AdaptiveInput, 'regime' | 'winners' | 'weights'>,
  c: string,
  best: TrialSpec,
  bestPerStrategy: Record<string, { trial_id: string; params: TrialSpec['params'] }>,
) {
  const n = base.bars.close.length;
  const [bestRow] = engine.runTrials({ ...base, regimes: base.breakdown, trials: [{ trial_id: best.trial_id, strategy: best.strategy, type: best.type, params: best.params }], captureSignals: true });
  const single: RegimeTrack = { classifier: c, names: ['all'], labels: new Uint8Array(n) };
  const equal = Object.fromEntries(base.strategies.map((s) => [s.name, 1 / base.strategies.length]));
  const equalRun = runAdaptive({ ...base, regime: single, winners: { all: Object.fromEntries(base.strategies.map((s) => [s.name, { params: bestPerStrategy[s.name]!.params, trial_id: bestPerStrategy[s.name]!.trial_id, metric: 'static', score: 0 }])) }, weights: { all: equal } }, engine);
  const hold = new Float64Array(n).fill(1);
  const bh = evaluatePositions(base.bars.close, hold, base.window, base.costs, base.barsPerYear, base.breakdown);
  const positions = { best_static: positionsFromEvents(bestRow!.signals!, n, base.window), equal_weights: equalRun.positions, buy_and_hold: hold };
  return { bestRow: bestRow!, equal, equalRun, bh, positions };
}
