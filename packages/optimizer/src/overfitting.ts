import { linearRegression, quantileSorted } from 'simple-statistics';
import { CSCV_SPLIT_FIELDS, cscvScores, type CscvWalk, type PboResult, type RegimeMetrics } from '@regimen/core';
import { BLOCK_STRIDE, extendStats, F, packBlocks, runningStats, STRIDE, type CandidateBlocks } from './cscv-blocks.js';
import type { Objective } from './objective.js';

/**
 * The Probability of Backtest Overfitting by combinatorially symmetric cross-validation (CSCV):
 * Bailey, Borwein, López de Prado and Zhu (2015), "The Probability of Backtest Overfitting",
 * Journal of Computational Finance 20(4), §2–3, applied to the selection a run makes:
 *
 *   1. each candidate's returns over the bars ranked are cut into S equal blocks (S even; the
 *      first T mod S returns dropped);
 *   2. every combination c of S/2 blocks is a training set J, its complement J̄ the test set —
 *      all C(S, S/2) of them;
 *   3. on J every candidate gets the run's objective, computed from the DESIGN §5 metrics of its
 *      returns in J concatenated in time order; the filters (min_bars, min_trades, pro rata: half
 *      the run's thresholds, since a set holds half the bars) and a non-finite score drop it;
 *      n* is the best survivor in the run's own order (score, then the objective's tiebreak, then
 *      the earlier candidate);
 *   4. on J̄ the survivors of the filters there, plus n*, are ranked by the same order; n*'s rank
 *      counts the candidates below it plus half of those tied with it (mid-ranks):
 *      ω̄_c = rank / (M + 1) with M the candidates ranked, λ_c = ln(ω̄_c / (1 − ω̄_c));
 *   5. PBO = (#{λ_c < 0} + ½·#{λ_c = 0}) / #splits (DESIGN §5): with no skill the in-sample
 *      winner's rank out of sample is uniform, so the expectation is exactly ½ for every N.
 * A split where fewer than 2 candidates survive in J, or no candidate besides n* in J̄, selects
 * nothing comparable: it is left out (`splits_used` counts the others); none left gives null.
 * The paper's §3 adds the performance degradation (the regression of the winner's statistic out
 * of sample on its statistic in sample) and the probability of loss, here the share of splits where
 * the winner's total return out of sample is negative (a loss whatever the objective).
 *
 * A set's metrics are those of metricsOfReturns over its returns (a half without variance has
 * sd exactly 0, so Sharpe exactly 0); they are built block by block (cscv-blocks.ts) in a depth-first
 * walk over the training sets in lexicographic order, so a prefix is summed once for every set that
 * starts with it. The complement of a set is itself a set of S/2 blocks, so each is scored once and
 * serves as the training set of one split and the test set of another.
 */

export interface PboOptions {
  /** S, even, ≥ 2 (default 16: C(16, 8) = 12,870 splits) */
  blocks?: number;
  /** the objective ranking the candidates (the run's) */
  objective: Objective;
  /** the metrics' bars per year (annualised Sharpe etc.) */
  barsPerYear?: number;
  /** the run's thresholds; a set is held to ⌈threshold / 2⌉ */
  minBars?: number;
  minTrades?: number;
  /** bins of the logit histogram (default 20) */
  bins?: number;
  /**
   * the walk in WebAssembly (@regimen/kernel cscvWalkWasm), used when the objective is plain
   * (`objective.terms`, over metrics it scores); otherwise, or without it, cscvSplits below —
   * its reference, which it equals bit for bit
   */
  walk?: CscvWalk;
}

export const DEFAULT_PBO_BLOCKS = 16;
/** The largest S: C(20, 10) = 184,756 splits, each candidate scored on every one. */
export const MAX_PBO_BLOCKS = 20;

/** The threshold a set of half the bars is held to. */
export const halfThreshold = (x: number | undefined) => Math.ceil((x ?? 0) / 2);

/** PBO by CSCV over candidates given as block summaries (candidateBlocks with the same S); null with no split usable. */
export function probabilityOfBacktestOverfitting(candidates: readonly CandidateBlocks[], opts: PboOptions): PboResult | null {
  const run = cscvSplitRecords(candidates, opts);
  if (!run) return null;
  const { splits, C, S, size } = run;
  const F5 = CSCV_SPLIT_FIELDS;
  const logits: number[] = [];
  const inSample: number[] = [];
  const outOfSample: number[] = [];
  let below = 0, atMedian = 0, losses = 0;
  for (let i = 0; i < C; i++) {
    const twice = splits[i * F5]!, ranked = splits[i * F5 + 1]!;
    if (ranked === 0) continue;
    // 2·rank = 2 + 2·worse + tied against M + 1: the sign of λ in integers, so λ = 0 is exact
    if (twice < ranked + 1) below++;
    else if (twice === ranked + 1) atMedian++;
    const omega = twice / (2 * (ranked + 1));
    logits.push(Math.log(omega / (1 - omega)));
    inSample.push(splits[i * F5 + 2]!);
    outOfSample.push(splits[i * F5 + 3]!);
    if (splits[i * F5 + 4]! < 0) losses++;
  }
  const used = logits.length;
  if (used === 0) return null;
  const sorted = Float64Array.from(logits).sort();
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const finite = inSample.every(Number.isFinite) && outOfSample.every(Number.isFinite);
  const reg = finite ? linearRegression(inSample.map((x, c) => [x, outOfSample[c]!])) : { m: NaN, b: NaN };
  return {
    candidates: candidates.length,
    blocks: S,
    bars_per_block: size,
    splits: C,
    splits_used: used,
    at_median: atMedian,
    pbo: (below + atMedian / 2) / used,
    logits: {
      mean: mean(logits),
      quantiles: [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => quantileSorted(sorted as unknown as number[], q)) as PboResult['logits']['quantiles'],
      histogram: histogram(sorted, opts.bins ?? 20),
    },
    // a vertical cloud (every split's winner with the same in-sample score) has no slope
    degradation: {
      slope: Number.isFinite(reg.m) ? reg.m : 0,
      intercept: Number.isFinite(reg.b) ? reg.b : finite ? mean(outOfSample) : 0,
      in_sample_mean: finite ? mean(inSample) : 0,
      out_of_sample_mean: finite ? mean(outOfSample) : 0,
      sample: degradationSample(inSample, outOfSample),
    },
    probability_of_loss: losses / used,
  };
}


/** The slots' sums, extremes and counts are read: by every metric but the drawdown, total return, cagr, calmar and bars, and by the trades filter. */
const needsMoments = (objective: Objective, minTrades: number) => objective.uses === undefined || minTrades > 0 || objective.uses.some((m) => !EQUITY_ONLY.has(m));
const needsDrawdown = (objective: Objective) => objective.uses === undefined || objective.uses.some((m) => m === 'max_drawdown' || m === 'calmar');

/**
 * The walk in TypeScript, the reference of the kernel's (assembly/cscv.ts): every set scored in a
 * depth-first walk, then every split's record (CSCV_SPLIT_FIELDS values; M = 0 when the split is
 * not used) — n* the first best survivor of the training set, its rank among the test set's
 * survivors counted with their multiplicity `weight`.
 */
export function cscvSplits(distinct: readonly CandidateBlocks[], weight: Int32Array, C: number, S: number, size: number, objective: Objective, bpy: number, minBars: number, minTrades: number): Float64Array {
  const k = S / 2;
  const N = distinct.length;
  // every set's score, tiebreak, survival of the filters and total return, per candidate
  const score = new Float64Array(C * N);
  const tie = objective.tiebreak ? new Float64Array(C * N) : null;
  const ok = new Uint8Array(C * N);
  const total = new Float64Array(C * N);
  const indexOf = new Int32Array(1 << S).fill(-1);
  const maskOf = new Int32Array(C);
  // slot d·N + n: candidate n's statistics over the first d training blocks of the set being built
  const stats = runningStats((k + 1) * N);
  const packed = packBlocks(distinct);
  const drawdown = needsDrawdown(objective);
  // the equity is always extended (total return: the loss share)
  const moments = needsMoments(objective, minTrades);
  const m = new SetMetrics(stats, bpy);
  let c = 0;
  const leaf = (mask: number) => {
    indexOf[mask] = c;
    maskOf[c] = mask;
    m.n = k * size;
    for (let n = 0; n < N; n++) {
      m.slot = k * N + n;
      const s = objective.score(m);
      const at = c * N + n;
      score[at] = Number.isFinite(s) ? s : -Infinity;
      if (tie) tie[at] = finiteOr(objective.tiebreak!(m), -Infinity);
      ok[at] = Number.isFinite(s) && m.n >= minBars && stats[m.slot * STRIDE + F.trades]! >= minTrades ? 1 : 0;
      total[at] = stats[m.slot * STRIDE + F.equity]! - 1;
    }
    c++;
  };
  const walk = (depth: number, from: number, mask: number): void => {
    if (depth === k) return leaf(mask);
    const prev = depth * N, next = prev + N, n0 = depth * size;
    for (let b = from; b <= S - k + depth; b++) {
      const row = b * N * BLOCK_STRIDE;
      for (let n = 0; n < N; n++) extendStats(stats, prev + n, n0, packed, row + n * BLOCK_STRIDE, b * N + n, size, next + n, drawdown, moments);
      walk(depth + 1, b + 1, mask | (1 << b));
    }
  };
  walk(0, 0, 0);

  // the run's order: score, then tiebreak, higher first; > 0 when candidate x of set i beats y
  const cmp = (i: number, x: number, y: number) => {
    const d = score[i * N + x]! - score[i * N + y]!;
    if (d !== 0 && !Number.isNaN(d)) return d;
    return tie ? finiteOr(tie[i * N + x]! - tie[i * N + y]!, 0) : 0;
  };
  const full = (1 << S) - 1;
  const out = new Float64Array(C * CSCV_SPLIT_FIELDS);
  for (let i = 0; i < C; i++) {
    const j = indexOf[full ^ maskOf[i]!]!;
    let best = -1, survivors = 0;
    for (let n = 0; n < N; n++) {
      if (!ok[i * N + n]) continue;
      survivors += weight[n]!;
      if (best < 0 || cmp(i, n, best) > 0) best = n;
    }
    if (survivors < 2) continue;
    // n*'s copies, when they survive out of sample, are tied with it
    const copies = ok[j * N + best] ? weight[best]! - 1 : 0;
    let worse = 0, tied = copies, ranked = 1 + copies;
    for (let n = 0; n < N; n++) {
      if (n === best || !ok[j * N + n]) continue;
      ranked += weight[n]!;
      const d = cmp(j, best, n);
      if (d > 0) worse += weight[n]!;
      else if (d === 0) tied += weight[n]!;
    }
    if (ranked < 2) continue;
    const o = i * CSCV_SPLIT_FIELDS;
    out[o] = 2 + 2 * worse + tied;
    out[o + 1] = ranked;
    out[o + 2] = score[i * N + best]!;
    out[o + 3] = score[j * N + best]!;
    out[o + 4] = total[j * N + best]!;
  }
  return out;
}

/**
 * Every split's record (CSCV_SPLIT_FIELDS each, in lexicographic order of the training sets) by
 * the kernel's walk when `opts.walk` is given and the objective plain, else by cscvSplits; null
 * when there is nothing to split (fewer than 2 candidates, empty blocks).
 */
export function cscvSplitRecords(candidates: readonly CandidateBlocks[], opts: PboOptions): { splits: Float64Array; C: number; S: number; size: number } | null {
  const S = opts.blocks ?? DEFAULT_PBO_BLOCKS;
  if (!(Number.isInteger(S) && S >= 2 && S % 2 === 0 && S <= MAX_PBO_BLOCKS)) throw new RangeError(`CSCV needs an even number of blocks from 2 to ${MAX_PBO_BLOCKS}, got ${S}`);
  if (candidates.length < 2) return null;
  for (const t of candidates) if (t.blocks !== S || t.size !== candidates[0]!.size) throw new RangeError(`block summaries of ${t.blocks} blocks of ${t.size}, expected ${S} of ${candidates[0]!.size}`);
  const size = candidates[0]!.size;
  if (size === 0) return null;
  const k = S / 2;
  let C = 1;
  for (let i = 0; i < k; i++) C = (C * (S - i)) / (i + 1);
  const { objective } = opts;
  const bpy = opts.barsPerYear ?? 1;
  const minBars = halfThreshold(opts.minBars);
  const minTrades = halfThreshold(opts.minTrades);
  // candidates with the same summaries bit for bit (e.g. every weight set where all legs are flat)
  // score the same on every set: the walk scores each distinct one once and the ranks count it
  // `weight` times; groups keep the order of their first member, so n* is the same candidate
  const { distinct, weight } = distinctCandidates(candidates);
  const N = distinct.length;

  const terms = objective.terms;
  const splits = opts.walk && terms && cscvScores(terms.score) && cscvScores(terms.tiebreak) && (!objective.tiebreak || terms.tiebreak)
    ? opts.walk({
      candidates: N, blocks: S, size, ...packBlocks(distinct), weight, score: terms.score, tiebreak: objective.tiebreak ? terms.tiebreak ?? null : null,
      moments: needsMoments(objective, minTrades), drawdown: needsDrawdown(objective), rootBarsPerYear: Math.sqrt(bpy), minBars, minTrades,
    })
    : cscvSplits(distinct, weight, C, S, size, objective, bpy, minBars, minTrades);
  return { splits, C, S, size };
}

const finiteOr = (x: number, alt: number) => (Number.isFinite(x) ? x : alt);

const EQUITY_ONLY = new Set(['max_drawdown', 'total_return', 'cagr', 'calmar', 'bars']);

const FIELDS = ['mean', 'm2', 'lo', 'hi', 'down', 'growth', 'trades', 'exposed', 'peak', 'troughMin', 'ddAfter'] as const;

/** The candidates with distinct summaries (bit for bit, the first of each in order) and how many each stands for. */
function distinctCandidates(candidates: readonly CandidateBlocks[]): { distinct: CandidateBlocks[]; weight: Int32Array } {
  const bits = (c: CandidateBlocks) => [...FIELDS.map((f) => new Uint8Array(c[f].buffer, c[f].byteOffset, c[f].byteLength)), new Uint8Array(c.stairs.buffer, c.stairs.byteOffset, c.stairs.byteLength)];
  const same = (a: Uint8Array[], b: Uint8Array[]) => a.every((x, f) => x.length === b[f]!.length && x.every((v, i) => v === b[f]![i]));
  const groups = new Map<number, number[]>();
  const distinct: CandidateBlocks[] = [];
  const views: Uint8Array[][] = [];
  const counts: number[] = [];
  for (const c of candidates) {
    const v = bits(c);
    // FNV-1a over the bytes picks the bucket; equality decides
    let h = 0x811c9dc5;
    for (const x of v) for (let i = 0; i < x.length; i++) h = Math.imul(h ^ x[i]!, 0x01000193);
    const bucket = groups.get(h) ?? [];
    const at = bucket.find((u) => same(views[u]!, v));
    if (at !== undefined) counts[at]!++;
    else {
      bucket.push(distinct.length);
      groups.set(h, bucket);
      distinct.push(c);
      views.push(v);
      counts.push(1);
    }
  }
  return { distinct, weight: Int32Array.from(counts) };
}

/**
 * DESIGN §5 metrics of one slot of running statistics, as metricsOfReturns (kernel) gives them for
 * the same returns, each computed when the objective reads it (an objective reads one or two of
 * them, millions of times); sd is exactly 0 when every return of the set is equal (lo = hi).
 */
export class SetMetrics implements RegimeMetrics {
  slot = 0;
  n = 0;
  constructor(private readonly s: Float64Array, private readonly barsPerYear: number) {}
  private at(field: number): number {
    return this.s[this.slot * STRIDE + field]!;
  }
  private get sd(): number {
    return this.n >= 2 && this.at(F.lo) !== this.at(F.hi) ? Math.sqrt(this.at(F.m2) / (this.n - 1)) : 0;
  }
  get sharpe(): number {
    const sd = this.sd;
    return sd > 0 ? (this.at(F.mean) / sd) * Math.sqrt(this.barsPerYear) : 0;
  }
  get sortino(): number {
    const down = this.n > 0 ? Math.sqrt(this.at(F.down) / this.n) : 0;
    return down > 0 ? (this.at(F.mean) / down) * Math.sqrt(this.barsPerYear) : 0;
  }
  get max_drawdown(): number {
    return this.at(F.maxDrawdown);
  }
  get total_return(): number {
    return this.at(F.equity) - 1;
  }
  get cagr(): number {
    const e = this.at(F.equity);
    return this.n === 0 ? 0 : e <= 0 ? -1 : Math.pow(e, this.barsPerYear / this.n) - 1;
  }
  get volatility(): number {
    return this.sd * Math.sqrt(this.barsPerYear);
  }
  get trades(): number {
    return this.at(F.trades);
  }
  get exposure(): number {
    return this.n > 0 ? this.at(F.exposed) / this.n : 0;
  }
  get bars(): number {
    return this.n;
  }
}

/** Points of the degradation scatter kept in the file, at most (the paper's figure is this cloud). */
export const DEGRADATION_SAMPLE = 100;

/**
 * Every ⌈C / 100⌉-th used split's [in-sample, out-of-sample] statistic, to 6 significant digits: a
 * few kilobytes that show the cloud and its spread. Splits are in the lexicographic order of their
 * training blocks, so a stride visits all of them.
 */
function degradationSample(inSample: number[], outOfSample: number[]): Array<[number, number]> {
  const step = Math.ceil(inSample.length / DEGRADATION_SAMPLE);
  const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : 0);
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
