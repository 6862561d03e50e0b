import type { Metrics, RegimeBreakdown } from './schemas/metrics.js';
import type { BarColumns, Costs, RegimeTrack, SignalEvents, TrialSpec } from './types.js';

/**
 * The narrow engine interface: columns in, result rows out. The TypeScript reference engine and
 * the WebAssembly kernel both implement it, so the backtester never knows which one runs.
 *
 * Window semantics (DESIGN §5): positions are computed over the whole series (earlier bars are
 * history for indicator warm-up, which is causal), and scored over bars [start, end): the returns
 * t = start+1 .. end−1, n = end − start − 1, as if the window were a series of its own; the
 * position before `start` counts as flat. Bar return t belongs to the regime of bar t−1, where the
 * position it earns was taken; so does a position change at t (its cost is in that return).
 */
export interface ScoreWindow {
  start: number;
  end: number;
}

/** A window scored with regime tracks of its own: a fold of a walk-forward. */
export interface FoldWindow {
  window: ScoreWindow;
  regimes: RegimeTrack[];
}

export interface TrialBatch {
  bars: BarColumns;
  window: ScoreWindow;
  trials: TrialSpec[];
  regimes: RegimeTrack[];
  costs: Costs;
  barsPerYear: number;
  /** return each trial's position change events */
  captureSignals: boolean;
  /**
   * Score every trial over several windows from one computation of its positions (the folds of a
   * walk-forward: each fold its own window and its own classifiers' tracks). Then `window` only
   * bounds the signals captured — it must cover every fold — `regimes` is not used, and a row's
   * `folds[i]` is the evaluation of folds[i] (its `metrics` and `regimes` are those of folds[0]).
   */
  folds?: FoldWindow[];
}

export interface Evaluation {
  metrics: Metrics;
  regimes: RegimeBreakdown;
}

export interface TrialRow extends Evaluation {
  trial_id: string;
  /** absolute bar indices within [start, end) */
  signals?: SignalEvents;
  /** with TrialBatch.folds: the evaluation of each fold's window */
  folds?: Evaluation[];
}

/** Combination of captured signals, DESIGN §5 "signal replay". */
export interface ReplayBatch {
  close: Float64Array;
  window: ScoreWindow;
  /** the classifier whose regimes select trials and weights */
  regime: RegimeTrack;
  /** other classifiers for the per-regime breakdown of the result */
  breakdown: RegimeTrack[];
  /** per strategy, per regime index: the signal events of the trial chosen for that regime (null → flat) */
  legs: Array<{ strategy: string; byRegime: Array<SignalEvents | null> }>;
  /** weight sets to score; each maps regime index → per-strategy weight (same order as legs) */
  weightSets: Array<Float64Array[]>;
  costs: Costs;
  barsPerYear: number;
}

export interface ReplayRow {
  metrics: Metrics;
  regimes: RegimeBreakdown;
}

export interface Engine {
  readonly name: 'js' | 'wasm';
  runTrials(batch: TrialBatch): TrialRow[];
  replay(batch: ReplayBatch): ReplayRow[];
  /**
   * Optional fast path of the no-look-ahead proof (the backtester's `cutPositions` falls back to
   * runTrials on cut bars without it): `cuts[i]` lists bars c at which trial i is wanted, and the
   * answer is, per trial, its position at each such c computed from scratch on bars 0..c only —
   * the data cut just after c, so no later bar can reach the decision.
   */
  positionsAtCuts?(bars: BarColumns, trials: TrialSpec[], cuts: number[][]): Float64Array[];
}
