import type { Costs, ScoreWindow, SignalEvents } from '@regimen/core';

/**
 * Per-block sums of a trial's window returns (DESIGN §5: r_t = pos_(t−1)·R_t − cost·|pos_t − pos_(t−1)|,
 * R_t = p_t/p_(t−1) − 1, t = start+1 … end−1) straight from its change events, for the PBO's
 * blocks: between two events the position is constant, so a stretch of returns sums to the
 * position times the market's return sums, read from prefix sums computed once per window. A
 * trial costs O(events + blocks), not a pass over every bar — what lets phase 2 afford the PBO of a
 * large grid on long series. (The sums equal the bar-by-bar ones to rounding, not to the bit: the
 * PBO ranks trials, it has no exact reference to match.)
 */
export interface MarketSums {
  window: ScoreWindow;
  /** R_t of every bar of the window, at t − start − 1 */
  returns: Float64Array;
  /** prefix sums of R and R²: p1[j] = Σ R over the first j returns */
  p1: Float64Array;
  p2: Float64Array;
}

export function marketSums(close: Float64Array, window: ScoreWindow): MarketSums {
  const m = Math.max(0, window.end - window.start - 1);
  const returns = new Float64Array(m);
  const p1 = new Float64Array(m + 1);
  const p2 = new Float64Array(m + 1);
  for (let j = 0; j < m; j++) {
    const t = window.start + 1 + j;
    const r = close[t]! / close[t - 1]! - 1;
    returns[j] = r;
    p1[j + 1] = p1[j]! + r;
    p2[j + 1] = p2[j]! + r * r;
  }
  return { window, returns, p1, p2 };
}

/** Σ r and Σ r² per block: S equal blocks of the window's returns, the first (returns mod S) dropped. */
export function eventBlockSums(events: SignalEvents, market: MarketSums, costs: Costs, blocks: number): { size: number; s1: Float64Array; s2: Float64Array } {
  const { start, end } = market.window;
  const m = market.returns.length;
  const size = Math.floor(m / blocks);
  const skip = m - size * blocks;
  const s1 = new Float64Array(blocks);
  const s2 = new Float64Array(blocks);
  const cost = costs.fee + costs.slippage;
  if (size === 0) return { size, s1, s2 };
  // returns j in [a, b) at a constant position p
  const stretch = (a: number, b: number, p: number) => {
    if (p === 0) return;
    for (let j = Math.max(a, skip); j < b; ) {
      const block = Math.floor((j - skip) / size);
      const upto = Math.min(b, skip + (block + 1) * size);
      s1[block]! += p * (market.p1[upto]! - market.p1[j]!);
      s2[block]! += p * p * (market.p2[upto]! - market.p2[j]!);
      j = upto;
    }
  };
  const { bar, position } = events;
  let i = 0;
  let p = 0;
  while (i < bar.length && bar[i]! <= start) p = position[i++]!;
  let j = 0; // return index of bar start + 1 + j
  for (; i < bar.length && bar[i]! < end; i++) {
    const je = bar[i]! - start - 1;
    stretch(j, je, p);
    // the change bar: the old position's return, less the cost of changing
    const next = position[i]!;
    if (je >= skip) {
      const r = p * market.returns[je]! - cost * Math.abs(next - p);
      const block = Math.floor((je - skip) / size);
      s1[block]! += r;
      s2[block]! += r * r;
    }
    p = next;
    j = je + 1;
  }
  stretch(j, m, p);
  return { size, s1, s2 };
}
