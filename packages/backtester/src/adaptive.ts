import {
  type BarColumns,
  type Costs,
  type Engine,
  type Metrics,
  type Params,
  type RegimeBreakdown,
  type RegimeTrack,
  type ReplayBatch,
  type ScoreWindow,
  type SignalEvents,
  type TrialSpec,
} from '@regimen/core';
import { positionsAtCutsByRuns } from '@regimen/kernel';
import { combinedPositions } from './combined-positions.js';
import { buildLegs, replayBatch, type RegimeWeights, type RegimeWinners } from './replay.js';

/**
 * Mode `adaptive` (phase 4): a full backtest on market data in which, at the close of every bar,
 * the live regime (causal label of that bar) selects each strategy's parameters and the ensemble
 * weights. Every parameter set in use is computed from market data over the whole history (so a
 * switch lands on a warmed-up indicator), then the positions are combined exactly as in replay.
 */
export interface AdaptiveInput {
  bars: BarColumns;
  window: ScoreWindow;
  regime: RegimeTrack;
  breakdown: RegimeTrack[];
  strategies: Array<{ name: string; type: string }>;
  winners: RegimeWinners;
  weights: RegimeWeights;
  costs: Costs;
  barsPerYear: number;
}

export interface AdaptiveResult {
  metrics: Metrics;
  regimes: RegimeBreakdown;
  /** combined target position per bar (0 outside the window) */
  positions: Float64Array;
  /** the position each strategy would take under each regime's parameters, per bar */
  legs: ReturnType<typeof buildLegs>;
}

export function adaptiveTrials(input: Pick<AdaptiveInput, 'strategies' | 'winners'>): TrialSpec[] {
  const seen = new Map<string, TrialSpec>();
  for (const byStrategy of Object.values(input.winners)) {
    for (const s of input.strategies) {
      const e = byStrategy[s.name];
      if (e && !seen.has(e.trial_id)) seen.set(e.trial_id, { trial_id: e.trial_id, strategy: s.name, type: s.type, params: e.params });
    }
  }
  return [...seen.values()].sort((a, b) => (a.trial_id < b.trial_id ? -1 : a.trial_id > b.trial_id ? 1 : 0));
}

/**
 * The adaptive strategy's combined positions only (no scoring): what the no-look-ahead proof
 * recomputes on cut data. `batch` is the replay batch that scores them.
 */
export function adaptivePositions(input: AdaptiveInput, engine: Engine): { positions: Float64Array; legs: AdaptiveResult['legs']; batch: ReplayBatch } {
  const trials = adaptiveTrials(input);
  const rows = engine.runTrials({
    bars: input.bars,
    window: input.window,
    trials,
    regimes: [],
    costs: input.costs,
    barsPerYear: input.barsPerYear,
    captureSignals: true,
  });
  const events = new Map<string, SignalEvents>(trials.map((t, i) => [t.trial_id, rows[i]!.signals!]));
  const names = input.strategies.map((s) => s.name);
  const legs = buildLegs(input.regime, names, input.winners, (id) => events.get(id)!);
  const replayInput = { close: input.bars.close, window: input.window, regime: input.regime, breakdown: input.breakdown, strategies: names, winners: input.winners, costs: input.costs, barsPerYear: input.barsPerYear };
  const batch = replayBatch(replayInput, legs, [input.weights]);
  // the combined positions themselves, for the trade list and the no-look-ahead proofs
  const positions = combinedPositions(batch, batch.weightSets[0]!);
  return { positions, legs, batch };
}

export function runAdaptive(input: AdaptiveInput, engine: Engine): AdaptiveResult {
  const { positions, legs, batch } = adaptivePositions(input, engine);
  const [row] = engine.replay(batch);
  return { metrics: row!.metrics, regimes: row!.regimes, positions, legs };
}

/**
 * Trial i's position at each bar c of cuts[i], computed from scratch on the bars 0..c only (the
 * no-look-ahead proof's question). The engine's own fast path when it has one; otherwise a
 * backtest of the trial on the cut bars, read at c.
 */
export function cutPositions(engine: Engine, bars: BarColumns, trials: TrialSpec[], cuts: number[][]): Float64Array[] {
  return engine.positionsAtCuts ? engine.positionsAtCuts(bars, trials, cuts) : positionsAtCutsByRuns(engine, bars, trials, cuts);
}

/** Parameters and weights in force at a bar: what a trade record shows. */
export function regimeSetting(input: AdaptiveInput, regimeName: string | null): { params: Record<string, Params>; weights: Record<string, number> } {
  const params: Record<string, Params> = {};
  const weights: Record<string, number> = {};
  for (const s of input.strategies) {
    const e = regimeName ? input.winners[regimeName]?.[s.name] : undefined;
    if (e) params[s.name] = e.params;
    weights[s.name] = regimeName ? (input.weights[regimeName]?.[s.name] ?? 0) : 0;
  }
  return { params, weights };
}
