/**
 * The data a report page carries: one entry per section, each built from a workspace's files by
 * its module in src/sections/ and drawn by its module in browser/sections/. Plain JSON only —
 * this file is shared by the Node side and the browser bundle, so it imports nothing.
 */

export type Scalar = number | string | boolean;
export type Params = Record<string, Scalar>;

export interface MetricsView {
  sharpe: number;
  sortino: number;
  max_drawdown: number;
  total_return: number;
  cagr: number;
  volatility: number;
  trades: number;
  exposure: number;
  bars?: number;
}

export interface Warning {
  /**
   * no_trades: every trial of a strategy made no trade; flicker: a classifier's regimes last a few
   * bars; overfit: a PBO above one half; adaptive_trails: folds of a walk-forward where the adaptive
   * strategy did worse out of sample than a baseline
   */
  code: 'no_trades' | 'flicker' | 'overfit' | 'adaptive_trails';
  /** what it is about: a strategy, or a classifier and split */
  subject: string;
  message: string;
  /** at the top of a walk-forward: the folds where it was found */
  folds?: number[];
  /** at the top of a universe: the series where it was found */
  series?: string[];
}

/** Bars [start, end) of the whole series, with the dates of the first and last. */
export interface WindowView {
  start: number;
  end: number;
  first: string;
  last: string;
}

export interface FoldProofs {
  look_ahead: boolean | null;
  transitions_verified: boolean | null;
}

export interface HeaderSection {
  kind: 'header';
  workflow_id: string;
  created_at: string;
  regimen_version: string;
  config_path: string;
  seed: number;
  data: { source: string; column: string; bars: number; first: string; last: string; train_bars: number; test_bars: number; test_start: string; bars_per_year: number };
  costs: { fee: number; slippage: number };
  strategies: Array<{ name: string; type: string; side: string }>;
  classifiers: Array<{ name: string; plugin: string; regimes: string[]; summary: Record<string, Scalar> }>;
  phases: Array<{ phase: string; configured: boolean; complete: boolean; seconds: number | null; completed_at: string | null; counts: Record<string, number>; /** a walk-forward's: how many folds completed the phase */ folds?: { done: number; of: number } }>;
  /** null until validation ran */
  proofs: { transitions_verified: boolean | null; transitions_checked: number; look_ahead: { passed: boolean; cuts: number; /** a cut after every bar (--exhaustive), not a sample */ every_bar: boolean } | null; transitions: number } | null;
  /** a fold of a walk-forward: which, its windows, and the walk-forward's page (a relative link; null when it is not written) */
  fold?: { index: number; of: number; in_sample: WindowView; out_of_sample: WindowView; gap: number; top_report: string | null };
  /**
   * the top of a walk-forward: the fold plan with each fold's proofs (null until it is validated)
   * and page; phases then sum the folds' seconds (phase 1, one pass for every fold, counts once)
   */
  walk_forward?: {
    scheme: string;
    gap: number;
    classifier: string;
    folds: Array<{ index: number; in_sample: WindowView; out_of_sample: WindowView; proofs: FoldProofs | null; report: string | null }>;
  };
}

export interface WarningsSection {
  kind: 'warnings';
  warnings: Warning[];
}

/** Per-bar series reduced to at most 2 points per column: each column keeps its min and max in time order. */
export interface ReducedSeries {
  /** epoch ms */
  x: number[];
  ys: number[][];
  /** bars before reduction */
  bars: number;
  /** true when columns were merged (false: every bar is a point) */
  reduced: boolean;
}

/** Coloured spans of one classifier's regimes over the validation window. */
export interface RegimeBands {
  classifier: string;
  names: string[];
  /** epoch ms of each span's start and end; label index into names, −1 for bars without a regime */
  start: number[];
  end: number[];
  label: number[];
  /** true when spans shorter than a column were merged into the column's most frequent regime */
  merged: boolean;
  /** regime runs before merging */
  runs: number;
}

export interface ValidationRunView {
  /** column of validation_equity.arrow: adaptive, best_static, equal_weights, buy_and_hold, adaptive:<classifier> */
  key: string;
  label: string;
  metrics: MetricsView;
  regimes: Record<string, MetricsView>;
}

export interface ValidationSection {
  kind: 'validation';
  classifier: string;
  split: string;
  bars: number;
  first: string;
  last: string;
  runs: ValidationRunView[];
  /** regime names of the driving classifier, in label order, for the per-regime table */
  regimes: string[];
  /** null when the workspace has no validation_equity.arrow (written since this report exists) */
  equity: ReducedSeries | null;
  drawdown: ReducedSeries | null;
  bands: RegimeBands[];
}

export interface RankedView {
  trial_id: string;
  params: Params;
  score: number;
}

export interface WinnerView {
  strategy: string;
  trial_id: string;
  params: Params;
  score: number;
  basis: 'regime' | 'overall';
  bars: number | null;
  metrics: Record<string, number | null>;
  runners_up: RankedView[];
  spread: number | null;
  considered: number;
  trials: number;
  skipped: string | null;
  dsr: { dsr: number; sr0: number; trials: number; bars: number; assumed_normal: boolean } | null;
}

export interface WinnersSection {
  kind: 'winners';
  objective: string;
  metrics: string[];
  min_bars: number;
  min_trades: number;
  classifiers: Array<{ classifier: string; regimes: Array<{ regime: string; winners: WinnerView[] }> }>;
}

/** One way of scoring every trial of a strategy: on its overall metrics, or on one regime's. */
export interface SurfaceView {
  id: string;
  label: string;
  classifier: string | null;
  regime: string | null;
  /** per trial (same order as SurfaceStrategy.trials), the objective; null when not ranked (too few bars or trades, non-finite) */
  scores: Array<number | null>;
  /** index into trials of the winner of this view, or −1 */
  winner: number;
}

export interface SurfaceStrategy {
  strategy: string;
  type: string;
  /** parameters that take more than one value among the trials, in the order of the params objects */
  dimensions: Array<{ name: string; values: Scalar[] }>;
  /** per trial: its id and, per dimension, the index of its value */
  trials: Array<{ trial_id: string; at: number[] }>;
  /** parameters with one value, shown beside the chart */
  fixed: Params;
  views: SurfaceView[];
}

/** Several objectives: each regime's Pareto front per strategy (analysis/pareto_fronts.json). */
export interface ParetoSection {
  kind: 'pareto';
  objectives: string[];
  select: string;
  weights: number[] | null;
  classifiers: Array<{
    classifier: string;
    regimes: Array<{
      regime: string;
      strategies: Array<{
        strategy: string;
        /** trials ranked in the regime */
        considered: number;
        /** the picked member, the regime's winner; null when none was ranked */
        winner: string | null;
        /** the front, best first objective first; scores in the order of `objectives` */
        points: Array<{ trial_id: string; params: Params; scores: number[] }>;
      }>;
    }>;
  }>;
}

export interface SurfaceSection {
  kind: 'surface';
  objective: string;
  strategies: SurfaceStrategy[];
}

export interface EnsembleClassifierView {
  classifier: string;
  strategies: string[];
  regimes: Array<{
    regime: string;
    weights: number[];
    score: number | null;
    fallback: string | null;
    /** best score so far after each improvement: [evaluations so far, score]; null when the order was not recorded */
    convergence: Array<[number, number]> | null;
  }>;
  weight_sets: number;
}

export interface EnsembleSection {
  kind: 'ensemble';
  objective: string;
  classifiers: EnsembleClassifierView[];
}

export interface RegimeStatsView {
  classifier: string;
  split: string;
  names: string[];
  bars: number;
  /** bars without a regime (warm-up) */
  unlabelled: number;
  /** per regime (label order) */
  count: number[];
  share: number[];
  runs: number[];
  mean_duration: number[];
  median_duration: number[];
  /** all regimes together */
  all_runs: number;
  all_median_duration: number;
  transitions: number;
  /** counts[i][j]: consecutive labelled bars going from regime i to regime j (i = j: staying) */
  matrix: number[][];
}

export interface RegimesSection {
  kind: 'regimes';
  stats: RegimeStatsView[];
}

/**
 * Long columns in the cheapest form to parse: times as one string joined by newlines (split on
 * demand; JSON.parse of one long string is far cheaper than of 100,000 short ones), regime names
 * as indices into `regimes` (−1 for none).
 */
export interface TradesSection {
  kind: 'trades';
  classifier: string;
  regimes: string[];
  /** columnar, in the file's order */
  trades: {
    bar: number[];
    /** the file's time strings joined by '\n' */
    time: string;
    regime: number[];
    from_position: number[];
    to_position: number[];
    price: number[];
    /** index into settings: the parameters and weights in force */
    setting: number[];
  };
  settings: Array<{ params: Record<string, Params>; weights: Record<string, number> }>;
  /** trades in the file; more than shown when the file exceeds the page's cap */
  total_trades: number;
  transitions: { bar: number[]; time: string; from: number[]; to: number[] };
  total_transitions: number;
}

/** One PBO result of analysis/overfitting.json, as drawn. */
export interface PboView {
  pbo: number;
  candidates: number;
  blocks: number;
  bars_per_block: number;
  splits: number;
  /** splits where the filters left a selection to make (the PBO's denominator) */
  splits_used: number;
  /** used splits with λ = 0, each counted one half */
  at_median: number;
  probability_of_loss: number;
  logit_mean: number;
  /** 5 %, 25 %, 50 %, 75 %, 95 % */
  logit_quantiles: number[];
  /** histogram of the splits' logits λ: bins [edges[i], edges[i+1]) */
  edges: number[];
  counts: number[];
  /** the statistic out of sample ≈ intercept + slope · in sample, of the in-sample winner over the splits */
  slope: number;
  intercept: number;
  in_sample_mean: number;
  out_of_sample_mean: number;
  /** [in-sample, out-of-sample] at evenly spaced splits */
  sample: Array<[number, number]>;
}

export interface OverfittingSubject {
  /** the entry's key: selection/<classifier>/<regime>/<strategy>, ensemble/<classifier>/<regime>, strategy/<name>, all_trials */
  key: string;
  /** selection: phase 2's per-regime winner; ensemble: phase 3's regime weights; strategy, all_trials: secondary (Sharpe over the whole window) */
  kind: 'selection' | 'ensemble' | 'strategy' | 'all_trials';
  classifier: string | null;
  regime: string | null;
  strategy: string | null;
  label: string;
  /** what was ranked, by which statistic, over which bars (the file's words) */
  ranked: string;
  statistic: string;
  bars: string;
  /** null: see reason */
  pbo: PboView | null;
  reason: string | null;
  /** the Deflated Sharpe Ratios of the regime winners this PBO is about (phase 2's), for reading the two side by side */
  dsr: { min: number; median: number; max: number; winners: number } | null;
}

export interface OverfittingSection {
  kind: 'overfitting';
  /** the training window's bars the returns were taken over */
  window: { start: number; end: number };
  blocks: number | null;
  subjects: OverfittingSubject[];
}

/** A PBO above this is warned about and drawn in red: picking the in-sample best did worse than chance out of sample. */
export const OVERFIT_PBO = 0.5;

export const WALK_FORWARD_RUNS = ['adaptive', 'best_static', 'equal_weights', 'buy_and_hold'] as const;
export type WalkForwardRun = (typeof WALK_FORWARD_RUNS)[number];

export interface WalkForwardFoldView {
  index: number;
  in_sample: WindowView;
  out_of_sample: WindowView;
  /** out-of-sample metrics per run */
  metrics: Record<WalkForwardRun, MetricsView>;
  /** the adaptive strategy on its own in-sample window */
  in_sample_adaptive: MetricsView;
  efficiency: number | null;
  /** the fold's PBO over all its trials and over its ensemble grid of the driving classifier; null when not computed */
  pbo: { trials: number | null; weights: number | null };
  proofs: FoldProofs;
  /** the fold's page, relative to this one; null when not written */
  report: string | null;
}

export interface WalkForwardSection {
  kind: 'walk_forward';
  classifier: string;
  scheme: string;
  gap: number;
  runs: Array<{ key: WalkForwardRun; label: string }>;
  folds: WalkForwardFoldView[];
  stitched: { first: string; last: string; bars: number; metrics: Record<WalkForwardRun, MetricsView>; efficiency: number | null; in_sample_cagr: number };
  /** the mean PBO over the folds (analysis/overfitting.json's mean_pbo), as the folds' pbo */
  mean_pbo: { trials: number | null; weights: number | null };
  /** ys in the order of runs; null when the workspace has no stitched equity file */
  equity: ReducedSeries | null;
  drawdown: ReducedSeries | null;
  /** epoch ms of each fold's first out-of-sample bar */
  boundaries: Array<{ index: number; time: number }>;
}

export interface StabilitySection {
  kind: 'stability';
  folds: number;
  classifiers: Array<{
    classifier: string;
    rows: Array<{ regime: string; strategy: string; /** folds with a winner */ folds: number; modal_share: number; modal_params: Params | null; repeat_rate: number | null; mean_step: number | null; winners: Array<Params | null> }>;
  }>;
}

export interface FoldPboSection {
  kind: 'fold_pbo';
  /** the columns: strategies, all trials, each classifier's ensemble grid */
  subjects: Array<{ key: string; label: string }>;
  folds: Array<{ index: number; pbo: Array<number | null>; trials: Array<number | null>; report: string | null }>;
  /** per subject, the mean over the folds that have one (the file's mean_pbo) */
  mean: Array<number | null>;
}

/**
 * The paper run of `regimen paper` (live/paper.jsonl) after the validation split: the adaptive
 * strategy's validation equity continued by the paper ledger, buy-and-hold continued by the
 * prices, the driving classifier's regimes behind both spans, and the ledger's bars.
 */
export interface PaperSection {
  kind: 'paper';
  classifier: string;
  /** the opening bar (the validation's last bar) and the last bar booked */
  open: string;
  last: string;
  bars: number;
  /** epoch ms of the opening bar: where the paper segment begins */
  split: number;
  labels: string[];
  /** validation bars then paper bars, each curve continuing the other (ys[0]: adaptive → paper, ys[1]: buy and hold) */
  equity: ReducedSeries;
  drawdown: ReducedSeries;
  bands: RegimeBands | null;
  /** over the paper bars only, equity 1 at the opening bar */
  summary: Array<{ key: 'paper' | 'buy_and_hold'; label: string; total_return: number; max_drawdown: number; trades: number; exposure: number }>;
  /** the ledger's bars, newest last (at most MAX_TABLE_ROWS, the newest) */
  fills: { time: string; close: number[]; regime: number[]; position: number[]; trade: number[]; cost: number[]; return: number[]; equity: number[] };
  regimes: string[];
  total_fills: number;
}

/** Decisions journaled by `regimen signal` but no paper ledger yet: what to run to see the paper segment. */
export interface PaperPendingSection {
  kind: 'paper_pending';
  decisions: number;
  first: string;
  last: string;
}

/** a portfolio has returns but no positions of its own: no trades or exposure */
export type PortfolioMetricsView = Omit<MetricsView, 'trades' | 'exposure' | 'bars'>;

/**
 * The top of a universe: every series out of sample (the adaptive strategy and each baseline), how
 * often the adaptive strategy beats each baseline (sign tests), and the equal-weight portfolios.
 */
export interface UniverseSection {
  kind: 'universe';
  workflow_id: string;
  created_at: string;
  /** single (the test split) or walk_forward (each series' folds stitched) */
  method: 'single' | 'walk_forward';
  classifier: string;
  objective: string;
  runs: Array<{ key: WalkForwardRun; label: string }>;
  series: Array<{
    name: string;
    column: string;
    first: string;
    last: string;
    bars: number;
    metrics: Record<WalkForwardRun, MetricsView>;
    /** the objective's score of each run, what the sign tests count */
    scores: Record<WalkForwardRun, number>;
    /** the series' own page, relative to this one; null when it is not written */
    report: string | null;
  }>;
  comparisons: Array<{ baseline: WalkForwardRun; label: string; wins: number; losses: number; ties: number; p_value: number | null }>;
  /** null when the series share fewer than two out-of-sample bars */
  portfolio: {
    first: string;
    last: string;
    bars: number;
    metrics: Record<WalkForwardRun, PortfolioMetricsView>;
    equity: ReducedSeries | null;
    drawdown: ReducedSeries | null;
  } | null;
}

export type Section =
  | HeaderSection
  | WarningsSection
  | ValidationSection
  | PaperSection
  | PaperPendingSection
  | WinnersSection
  | OverfittingSection
  | SurfaceSection
  | EnsembleSection
  | RegimesSection
  | TradesSection
  | WalkForwardSection
  | StabilitySection
  | FoldPboSection
  | ParetoSection
  | UniverseSection;
export type SectionKind = Section['kind'];

export interface PageData {
  title: string;
  generated_by: string;
  sections: Section[];
}
