/**
 * The shapes that cross package boundaries in memory. The kernel boundary speaks typed arrays,
 * never arrays of objects: columns are converted once, at load.
 */

/** Market data as columns. `time` is epoch milliseconds (UTC); bars without OHLC use close for all. */
export interface BarColumns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume?: Float64Array;
}

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

/** Long-only strategies map their short signal to flat. */
export type Side = 'long_only' | 'long_short';

/** One Phase-1 trial: one strategy with one parameter set. */
export interface TrialSpec {
  trial_id: string;
  /** the strategy's name in the workflow (e.g. `strategy_1`) */
  strategy: string;
  /** the strategy type: a built-in (e.g. `momentum`) or a strategy plugin's name */
  type: string;
  params: Params;
}

export interface Costs {
  /** proportional cost per unit of position change */
  fee: number;
  /** proportional slippage per unit of position change, charged like the fee */
  slippage: number;
}

/** Bars not (yet) assigned to a regime, e.g. during a classifier's warm-up. */
export const NO_REGIME = 255;

/** Per-bar regime labels of one classifier: `labels[t]` indexes `names`, or is NO_REGIME. */
export interface RegimeTrack {
  classifier: string;
  names: string[];
  labels: Uint8Array;
}

/** Position change events: the position becomes `position[i]` at the close of bar `bar[i]`. */
export interface SignalEvents {
  bar: Int32Array;
  position: Float64Array;
}
