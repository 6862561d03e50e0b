import { linearRegression, quantileSorted } from 'simple-statistics';
import type { PboResult } from '@regimen/core';

/**
 * The Probability of Backtest Overfitting by combinatorially symmetric cross-validation (CSCV):
 * Bailey, Borwein, López de Prado and Zhu (2015), "The Probability of Backtest Overfitting",
 * Journal of Computational Finance 20(4), §2–3. With N trials' return series over T bars:
 *
 *   1. the T rows are cut into S disjoint blocks of equal size (S even);
 *   2. every combination c of S/2 blocks is a training set J, its complement J̄ the test set —
 *      all C(S, S/2) of them, so each half of the data is in training exactly as often as in test;
 *   3. on J every trial gets a performance R (here the Sharpe ratio mean/sd of its returns in J),
 *      n* = argmax R is the in-sample winner, and R̄ the performance on J̄;
 *   4. ω̄_c = rank of R̄(n*) among R̄ / (N + 1)   (rank 1 = worst; ties take the mid-rank),
 *      λ_c = ln(ω̄_c / (1 − ω̄_c))              (the logit: > 0 when the winner beats the median);
 *   5. PBO = #{c : λ_c ≤ 0} / C(S, S/2), the share of splits where the in-sample winner does no
 *      better than the median trial out of sample.
 * The paper's §3 adds the performance degradation (the regression of R̄(n*) on R(n*) over the
 * splits; a negative slope is overfitting's signature) and the probability of loss P[R̄(n*) < 0].
 *
 * Choices the paper leaves open, made here: T mod S leading (oldest) bars are dropped so blocks are
 * equal; a trial whose returns in a set have zero variance scores Sharpe 0 (as the metrics do);
 * ties for the in-sample winner go to the lowest trial index. Sharpe ratios are reported per bar
 * times √barsPerYear.
 *
 * Every block of a trial is summarised once, as sums of its returns' deviations from the trial's
 * own mean (Σ(r − c), Σ(r − c)²: centred, so the variance loses no digits to a large mean), and the
 * returns are never held: memory O(N·S). Blocks have equal sizes, so a set's statistics are sums of
 * its blocks' and the test set's are the trial's totals minus the training set's: time
 * O(C(S, S/2)·N·S/2) additions.
 */

/**
 * Per-block sums of one trial: [c, block size, Σ(r − c) for each block…, Σ(r − c)² for each block…],
 * c the mean of the trial's returns over all its blocks.
 */
export type BlockStats = Float64Array;

/** Summaries of `returns` cut into `blocks` equal blocks (the first T mod S returns dropped). */
export function blockStats(returns: ArrayLike<number>, blocks: number): BlockStats {
  const out = new Float64Array(2 + 2 * blocks);
  const size = Math.floor(returns.length / blocks);
  const skip = returns.length - size * blocks;
  let total = 0;
  for (let i = skip; i < returns.length; i++) total += returns[i]!;
  const c = size > 0 ? total / (size * blocks) : 0;
  out[0] = c;
  out[1] = size;
  for (let b = 0; b < blocks; b++) {
    const from = skip + b * size;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < size; i++) {
      const d = returns[from + i]! - c;
      s1 += d;
      s2 += d * d;
    }
    out[2 + b] = s1;
    out[2 + blocks + b] = s2;
  }
  return out;
}

/**
 * The same summaries from each block's plain sums Σr and Σr² (equal blocks of `size` returns):
 * centred on the trial's mean c by Σ(r − c) = Σr − size·c, Σ(r − c)² = Σr² − 2c·Σr + size·c².
 */
export function blockStatsFromSums(size: number, s1: Float64Array, s2: Float64Array): BlockStats {
  const blocks = s1.length;
  const out = new Float64Array(2 + 2 * blocks);
  const c = size > 0 ? s1.reduce((a, x) => a + x, 0) / (size * blocks) : 0;
  out[0] = c;
  out[1] = size;
  for (let b = 0; b < blocks; b++) {
    out[2 + b] = s1[b]! - size * c;
    out[2 + blocks + b] = s2[b]! - 2 * c * s1[b]! + size * c * c;
  }
  return out;
}

/** Sharpe ratio (per bar) of n returns whose deviations from c sum to s1, and their squares to s2. */
function sharpe(c: number, n: number, s1: number, s2: number): number {
  if (n < 2) return 0;
  const variance = (s2 - (s1 * s1) / n) / (n - 1);
  return variance > 0 ? (c + s1 / n) / Math.sqrt(variance) : 0;
}

export interface PboOptions {
  /** S, even, ≥ 2 (default 16: C(16, 8) = 12,870 splits) */
  blocks?: number;
  /** for reporting Sharpe ratios annualised; the statistic itself does not depend on it */
  barsPerYear?: number;
  /** bins of the logit histogram (default 20) */
  bins?: number;
}

export const DEFAULT_PBO_BLOCKS = 16;

/** PBO by CSCV over trials given as block summaries (blockStats with the same S); null with < 2 trials. */
export function probabilityOfBacktestOverfitting(trials: readonly BlockStats[], opts: PboOptions = {}): PboResult | null {
  const S = opts.blocks ?? DEFAULT_PBO_BLOCKS;
  if (!(Number.isInteger(S) && S >= 2 && S % 2 === 0)) throw new RangeError(`CSCV needs an even number of blocks ≥ 2, got ${S}`);
  const N = trials.length;
  if (N < 2) return null;
  for (const t of trials) if (t.length !== 2 + 2 * S) throw new RangeError(`block summaries of ${(t.length - 2) / 2} blocks, expected ${S}`);
  const annual = Math.sqrt(opts.barsPerYear ?? 1);
  const size = trials[0]![1]!;
  const half = (S / 2) * size;
  // each trial's totals over all blocks, to get a test set's sums from its training set's
  const t1 = trials.map((t) => t.subarray(2, 2 + S).reduce((a, x) => a + x, 0));
  const t2 = trials.map((t) => t.subarray(2 + S).reduce((a, x) => a + x, 0));
  const k = S / 2;
  let C = 1;
  for (let i = 0; i < k; i++) C = (C * (S - i)) / (i + 1);
  // block-major copies, so every loop below runs over the trials in one contiguous row
  const centre = new Float64Array(N);
  const b1 = new Float64Array(S * N);
  const b2 = new Float64Array(S * N);
  trials.forEach((t, n) => {
    centre[n] = t[0]!;
    for (let b = 0; b < S; b++) (b1[b * N + n] = t[2 + b]!), (b2[b * N + n] = t[2 + S + b]!);
  });
  // p1/p2 row d: every trial's sums over the first d training blocks of the split being built
  const p1 = new Float64Array((k + 1) * N);
  const p2 = new Float64Array((k + 1) * N);
  const logits = new Float64Array(C);
  const inSample = new Float64Array(C);
  const outOfSample = new Float64Array(C);
  const test = new Float64Array(N);
  let c = 0;
  const score = () => {
    const row = k * N;
    let best = 0;
    let bestR = -Infinity;
    for (let n = 0; n < N; n++) {
      const s1 = p1[row + n]!;
      const s2 = p2[row + n]!;
      const r = sharpe(centre[n]!, half, s1, s2);
      if (r > bestR) (bestR = r), (best = n);
      test[n] = sharpe(centre[n]!, half, t1[n]! - s1, t2[n]! - s2);
    }
    const w = test[best]!;
    let below = 0;
    let equal = 0;
    for (let n = 0; n < N; n++) {
      if (test[n]! < w) below++;
      else if (test[n]! === w && n !== best) equal++;
    }
    const omega = (1 + below + equal / 2) / (N + 1);
    logits[c] = Math.log(omega / (1 - omega));
    inSample[c] = bestR * annual;
    outOfSample[c] = w * annual;
    c++;
  };
  // The training sets in lexicographic order (the order of the paper's enumeration), depth first:
  // a prefix's sums are shared by every split that starts with it, and each sum is still taken
  // block by block in ascending order from 0, so the values are those of summing each split alone.
  const extend = (depth: number, from: number): void => {
    if (depth === k) return score();
    const prev = depth * N;
    const next = prev + N;
    for (let b = from; b <= S - k + depth; b++) {
      const off = b * N;
      for (let n = 0; n < N; n++) {
        p1[next + n] = p1[prev + n]! + b1[off + n]!;
        p2[next + n] = p2[prev + n]! + b2[off + n]!;
      }
      extend(depth + 1, b + 1);
    }
  };
  extend(0, 0);
  let overfit = 0;
  let losses = 0;
  for (let c = 0; c < C; c++) {
    if (logits[c]! <= 0) overfit++;
    if (outOfSample[c]! < 0) losses++;
  }
  const sorted = Float64Array.from(logits).sort();
  const reg = linearRegression(Array.from(inSample, (x, c) => [x, outOfSample[c]!]));
  const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
  return {
    trials: N,
    blocks: S,
    bars_per_block: size,
    splits: C,
    pbo: overfit / C,
    logits: {
      mean: mean(logits),
      quantiles: [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => quantileSorted(sorted as unknown as number[], q)) as PboResult['logits']['quantiles'],
      histogram: histogram(sorted, opts.bins ?? 20),
    },
    // a vertical cloud (every split's winner with the same in-sample score) has no slope
    degradation: {
      slope: Number.isFinite(reg.m) ? reg.m : 0,
      intercept: Number.isFinite(reg.b) ? reg.b : mean(outOfSample),
      in_sample_mean: mean(inSample),
      out_of_sample_mean: mean(outOfSample),
      sample: degradationSample(inSample, outOfSample),
    },
    probability_of_loss: losses / C,
  };
}

/** Points of the degradation scatter kept in the file, at most (the paper's figure is this cloud). */
export const DEGRADATION_SAMPLE = 100;

/**
 * Every ⌈C / 100⌉-th split's [in-sample, out-of-sample] Sharpe, to 6 significant digits: a few
 * kilobytes that show the cloud and its spread, where all 12,870 splits would be most of the file.
 * Splits are in the lexicographic order of their training blocks, so a stride visits all of them.
 */
function degradationSample(inSample: Float64Array, outOfSample: Float64Array): Array<[number, number]> {
  const step = Math.ceil(inSample.length / DEGRADATION_SAMPLE);
  const round = (x: number) => Number(x.toPrecision(6));
  const out: Array<[number, number]> = [];
  for (let c = 0; c < inSample.length; c += step) out.push([round(inSample[c]!), round(outOfSample[c]!)]);
  return out;
}

function histogram(sorted: Float64Array, bins: number): { edges: number[]; counts: number[] } {
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const width = hi > lo ? (hi - lo) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const x of sorted) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]!++;
  return { edges, counts };
}
