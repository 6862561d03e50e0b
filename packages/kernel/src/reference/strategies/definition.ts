import type { BarColumns, Side } from '@regimen/core';
import { z } from 'zod';
import type { IndicatorCache } from '../indicator-cache.js';

/**
 * One built-in strategy type: its parameter schema, how many bars it needs before its position
 * can be non-zero, and its target positions. `positions[t]` ∈ [−1, 1] is decided at the close of
 * bar t from data up to t only (causal) and is 0 during warm-up (t < warmup(params)).
 */
export interface StrategyDefinition<P extends { side: Side } = { side: Side }> {
  readonly type: string;
  readonly description: string;
  /** the strategy's own parameters; `side` is the host's (parseStrategyParams) */
  readonly params: z.ZodType<Omit<P, 'side'>>;
  /** index of the first bar whose position can be non-zero = bars of history needed before it */
  warmup(params: P): number;
  /** `indicators`, when given, must be a cache over the same `bars` (shares series across trials) */
  positions(bars: BarColumns, params: P, indicators?: IndicatorCache): Float64Array;
  /**
   * Bar by bar from a saved state (null: from bar 0): `out` receives the positions of `bars`
   * (with `side` applied), bit for bit those of `positions` at the same bars; returns the state
   * after them (core's StrategyPlugin.step).
   */
  step?(state: unknown, bars: BarColumns, params: P, out: Float64Array): unknown;
}

/** Long-only maps a short position to flat, one value (applySide for one bar). */
export const sided = (v: number, side: Side): number => (side === 'long_only' && v < 0 ? 0 : v);

/**
 * A numeric parameter that may arrive as a string from the command line (`--param fast=20`).
 * Only strings that are entirely a finite number are converted; anything else reaches the inner
 * schema unchanged and fails there with zod's own message (z.coerce would turn "" into 0).
 */
export function numeric<S extends z.ZodNumber>(inner: S) {
  return z.preprocess((v) => {
    if (typeof v === 'string' && v.trim() !== '') {
      const x = Number(v);
      if (Number.isFinite(x)) return x;
    }
    return v;
  }, inner);
}

export const sideParam = z.enum(['long_only', 'long_short']).default('long_only');

/** Long-only strategies map the short signal −1 to flat (DESIGN, types.ts `Side`). */
export function applySide(pos: Float64Array, side: Side): Float64Array {
  if (side === 'long_only') {
    for (let t = 0; t < pos.length; t++) if (pos[t] < 0) pos[t] = 0;
  }
  return pos;
}
