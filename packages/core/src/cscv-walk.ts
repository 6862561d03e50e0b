/**
 * The contract between the PBO's CSCV walk in TypeScript (@regimen/optimizer, the reference) and
 * in WebAssembly (@regimen/kernel cscvWalkWasm): what one walk ranks, and the record it returns
 * for every split (docs/overfitting.md).
 */

/** The metrics a plain objective may rank by in the kernel's walk; cagr and calmar need Math.pow, which stays in JavaScript. */
export const CSCV_METRICS = ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'volatility', 'trades', 'exposure'] as const;

/** sign · metric: a plain objective's score, or its tiebreak. */
export interface CscvTerm {
  metric: string;
  sign: number;
}

/** One walk: N candidates' block summaries packed block-major (optimizer packBlocks), each counted `weight` times. */
export interface CscvWalkInput {
  candidates: number;
  blocks: number;
  /** returns per block */
  size: number;
  /** (b·N + n)·8: mean, m2, lo, hi, down, trades, exposed, growth */
  fields: Float64Array;
  /** block b of candidate n: staircase steps stairs[b·N + n] … stairs[b·N + n + 1] − 1 */
  stairs: Int32Array;
  /** 3 per step: peak, troughMin, ddAfter */
  steps: Float64Array;
  weight: Int32Array;
  score: CscvTerm;
  tiebreak: CscvTerm | null;
  /** sums, extremes and counts are read (by a metric or the trades filter) */
  moments: boolean;
  /** the drawdown is read */
  drawdown: boolean;
  /** Math.sqrt(barsPerYear), as the metrics compute it */
  rootBarsPerYear: number;
  /** a set's thresholds: the halves of the run's, rounded up */
  minBars: number;
  minTrades: number;
}

/** Per split c, at c·CSCV_SPLIT_FIELDS: 2·rank of n* out of sample, M (0: split not used), n*'s score in sample, out of sample, n*'s total return out of sample. */
export const CSCV_SPLIT_FIELDS = 5;

/** A walk: every split's record, C·CSCV_SPLIT_FIELDS values in lexicographic order of the training sets. */
export type CscvWalk = (input: CscvWalkInput) => Float64Array;

/** Whether a term is scored by the kernel's walk (null: no tiebreak). */
export const cscvScores = (t: CscvTerm | null | undefined): boolean => !t || (CSCV_METRICS as readonly string[]).includes(t.metric);
