/**
 * Per-block summaries of one candidate's return series for CSCV (overfitting.ts): enough to give
 * every DESIGN §5 metric of any concatenation of blocks in time order — the paper's in-sample
 * and out-of-sample sets — without holding the returns. Each block of `size` returns keeps
 *   mean, m2 = Σ(r − mean)²        (two passes; the mean by a Neumaier-compensated sum)
 *   lo, hi                         (min and max return: lo = hi ⇔ the block has no variance)
 *   down = Σ min(r, 0)²,  growth = Π (1 + r),  trades, exposed (counts)
 * and its record-high staircase for the drawdown: with e_i the equity relative to the block's
 * start (e_0 = 1) and M_i = max(e_0..e_i), peak[j] is the j-th distinct record of M (peak[0] = 1),
 * low[j] the lowest e while peak[j] was the record, troughMin[j] = min(low[0..j]) and
 * ddAfter[j] = max over j' ≥ j of 1 − low[j']/peak[j']. Entering the block at equity E with a
 * running peak H = h·E (h ≥ 1), the drawdown inside it is
 *   max(1 − troughMin[J−1]/h, ddAfter[J])   with J the first record above h,
 * because the records up to h are dominated by H, the later ones are their own peaks. A random
 * walk has O(√size) records, so a block costs O(√size) memory and a set of blocks O(S log size).
 */
export interface CandidateBlocks {
  blocks: number;
  /** returns per block: the first (length mod blocks) returns are dropped so blocks are equal */
  size: number;
  mean: Float64Array;
  m2: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  down: Float64Array;
  growth: Float64Array;
  trades: Float64Array;
  exposed: Float64Array;
  /** staircase of block b: indexes stairs[b] … stairs[b + 1] − 1 of peak, troughMin, ddAfter */
  stairs: Int32Array;
  peak: Float64Array;
  troughMin: Float64Array;
  ddAfter: Float64Array;
}

export interface CandidateSeries {
  /** the candidate's returns over the bars ranked, in time order */
  returns: ArrayLike<number>;
  /** 1 where the position changed at that bar (a trade), per return; none given: no trades */
  traded?: ArrayLike<number>;
  /** 1 where the position earning that return was not flat; none given: every bar exposed */
  exposed?: ArrayLike<number>;
}

/** Summaries of `series` cut into `blocks` equal blocks, the first (length mod blocks) returns dropped. */
export function candidateBlocks(series: CandidateSeries, blocks: number): CandidateBlocks {
  const { returns, traded, exposed } = series;
  const size = Math.floor(returns.length / blocks);
  const skip = returns.length - size * blocks;
  const builder = blockBuilder(blocks, size);
  for (let b = 0; b < blocks; b++) {
    const from = skip + b * size;
    let tr = 0, ex = size;
    if (traded) for (let i = from; i < from + size; i++) if (traded[i]) tr++;
    if (exposed) for (let i = from; i < from + size; i++) if (!exposed[i]) ex--;
    addBlock(builder, b, returns, from, tr, ex);
  }
  return finishBlocks(builder);
}

/**
 * A candidate's summaries being built one block at a time, in block order: candidateBlocks, or a
 * caller that makes each block's returns itself (the weight sets of overfitting.json, many
 * candidates over one block's bars while those are in cache).
 */
export interface BlockBuilder {
  out: Omit<CandidateBlocks, 'peak' | 'troughMin' | 'ddAfter'>;
  peak: number[];
  low: number[];
}

export function blockBuilder(blocks: number, size: number): BlockBuilder {
  return {
    out: {
      blocks, size,
      mean: new Float64Array(blocks), m2: new Float64Array(blocks), lo: new Float64Array(blocks), hi: new Float64Array(blocks),
      down: new Float64Array(blocks), growth: new Float64Array(blocks), trades: new Float64Array(blocks), exposed: new Float64Array(blocks),
      stairs: new Int32Array(blocks + 1),
    },
    peak: [],
    low: [],
  };
}

/**
 * Block b (the next one) of `size` returns at returns[from …], with its trades and exposed counts:
 * one pass for every sum and the staircase (each quantity in the same order as a loop of its own
 * would take it), then Σ(r − mean)² once the mean is known.
 * `nonzero` (indexes into returns, ascending; `count` of them) may name the only returns that can
 * differ from ±0: the first pass then visits those alone, which is exact — a zero return leaves
 * the compensated sum (t = sum, the compensation gains +0), Σmin(r, 0)², the growth (×1) and the
 * staircase as they are; it only bounds lo and hi, whose zero sign nothing reads (lo = hi is what
 * counts). Σ(r − mean)² still visits every return, zeros included, in order.
 */
export function addBlock(builder: BlockBuilder, b: number, returns: ArrayLike<number>, from: number, trades: number, exposed: number, nonzero?: Int32Array, count = 0): void {
  const { out, peak, low } = builder;
  const size = out.size;
  // Neumaier's compensated sum: the block mean to the last digit whatever the order of magnitudes
  let sum = 0, comp = 0, down = 0, lo = Infinity, hi = -Infinity;
  // the staircase: a new record opens a stretch, each stretch keeps its lowest equity
  out.stairs[b] = peak.length;
  let e = 1, record = 1, trough = 1;
  const visits = nonzero ? count : size;
  if (nonzero && count < size) (lo = 0), (hi = 0);
  for (let k = 0; k < visits; k++) {
    const i = nonzero ? nonzero[k]! : from + k;
    const r = returns[i]!;
    const t = sum + r;
    comp += Math.abs(sum) >= Math.abs(r) ? sum - t + r : r - t + sum;
    sum = t;
    if (r < 0) down += r * r;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
    e *= 1 + r;
    if (e > record) {
      peak.push(record);
      low.push(trough);
      record = trough = e;
    } else if (e < trough) trough = e;
  }
  peak.push(record);
  low.push(trough);
  const mean = size > 0 ? (sum + comp) / size : 0;
  let m2 = 0;
  if (lo !== hi) for (let i = from; i < from + size; i++) m2 += (returns[i]! - mean) ** 2;
  out.mean[b] = mean;
  out.m2[b] = m2;
  out.lo[b] = lo;
  out.hi[b] = hi;
  out.down[b] = down;
  out.trades[b] = trades;
  out.exposed[b] = exposed;
  out.growth[b] = e;
}

/** The summaries once every block is added: each block's staircase with its running minima and later drawdowns. */
export function finishBlocks(builder: BlockBuilder): CandidateBlocks {
  const { out, peak, low } = builder;
  const blocks = out.blocks;
  out.stairs[blocks] = peak.length;
  const troughMin = new Float64Array(peak.length);
  const ddAfter = new Float64Array(peak.length);
  for (let b = 0; b < blocks; b++) {
    const a = out.stairs[b]!, z = out.stairs[b + 1]!;
    for (let j = a; j < z; j++) troughMin[j] = j === a ? low[j]! : Math.min(troughMin[j - 1]!, low[j]!);
    for (let j = z - 1; j >= a; j--) ddAfter[j] = Math.max(j === z - 1 ? 0 : ddAfter[j + 1]!, 1 - low[j]! / peak[j]!);
  }
  return { ...out, peak: Float64Array.from(peak), troughMin, ddAfter };
}

/** Fields of a slot of running statistics (a set's summary so far), interleaved so a slot is two cache lines. */
export const F = { mean: 0, m2: 1, lo: 2, hi: 3, down: 4, trades: 5, exposed: 6, equity: 7, peak: 8, maxDrawdown: 9 } as const;
export const STRIDE = 10;

/**
 * The running statistics of concatenations of blocks: slot i at i·STRIDE of one Float64Array, so
 * the depth-first walk over the training sets (overfitting.ts), which runs over the candidates in
 * order, streams through memory. `n` is the same for every slot of a depth (blocks are equal),
 * so it is kept by the caller.
 */
export function runningStats(slots: number): Float64Array {
  const s = new Float64Array(slots * STRIDE);
  for (let i = 0; i < slots; i++) {
    const o = i * STRIDE;
    s[o + F.lo] = Infinity;
    s[o + F.hi] = -Infinity;
    s[o + F.equity] = 1;
    s[o + F.peak] = 1;
  }
  return s;
}

/** Block fields of every candidate, block-major: (b·N + n)·BLOCK_STRIDE, so a block's candidates are contiguous. */
const B = { mean: 0, m2: 1, lo: 2, hi: 3, down: 4, trades: 5, exposed: 6, growth: 7 } as const;
export const BLOCK_STRIDE = 8;

export interface PackedBlocks {
  /** (b·N + n)·BLOCK_STRIDE: the block fields */
  fields: Float64Array;
  /** staircases block-major too: entry j at 3j = peak, troughMin, ddAfter; block b of candidate n spans stairs[b·N + n] … stairs[b·N + n + 1] − 1 */
  stairs: Int32Array;
  steps: Float64Array;
}

export function packBlocks(candidates: readonly CandidateBlocks[]): PackedBlocks {
  const N = candidates.length;
  const S = candidates[0]?.blocks ?? 0;
  const fields = new Float64Array(S * N * BLOCK_STRIDE);
  const stairs = new Int32Array(S * N + 1);
  let steps = 0;
  for (const c of candidates) steps += c.peak.length;
  const step = new Float64Array(3 * steps);
  let j = 0;
  for (let b = 0; b < S; b++) {
    for (let n = 0; n < N; n++) {
      const c = candidates[n]!;
      const o = (b * N + n) * BLOCK_STRIDE;
      fields[o + B.mean] = c.mean[b]!;
      fields[o + B.m2] = c.m2[b]!;
      fields[o + B.lo] = c.lo[b]!;
      fields[o + B.hi] = c.hi[b]!;
      fields[o + B.down] = c.down[b]!;
      fields[o + B.trades] = c.trades[b]!;
      fields[o + B.exposed] = c.exposed[b]!;
      fields[o + B.growth] = c.growth[b]!;
      stairs[b * N + n] = j;
      for (let i = c.stairs[b]!; i < c.stairs[b + 1]!; i++, j++) {
        step[3 * j] = c.peak[i]!;
        step[3 * j + 1] = c.troughMin[i]!;
        step[3 * j + 2] = c.ddAfter[i]!;
      }
    }
  }
  stairs[S * N] = j;
  return { fields, stairs, steps: step };
}

/**
 * Slot `to` = slot `from` (holding n returns) followed by the block of `size` returns whose packed
 * fields are at `at` (= (b·N + n)·BLOCK_STRIDE) and staircase is number `k` (= b·N + n). Means and m2 merge by Chan, Golub and LeVeque's
 * pairwise update (no Σr² − (Σr)²/n cancellation); the drawdown by the staircase above, skipped
 * when the caller needs none; the moments, extremes and counts skipped when it needs none of them
 * (an objective of the drawdown alone: its slots' other fields are then never read).
 */
export function extendStats(s: Float64Array, from: number, n: number, p: PackedBlocks, at: number, k: number, size: number, to: number, drawdown: boolean, moments = true): void {
  const packed = p.fields;
  const f = from * STRIDE, t = to * STRIDE;
  const total = n + size;
  if (moments) {
    const mb = packed[at + B.mean]!;
    if (n === 0) {
      s[t + F.mean] = mb;
      s[t + F.m2] = packed[at + B.m2]!;
    } else {
      const mean = s[f + F.mean]!;
      const delta = mb - mean;
      s[t + F.mean] = mean + (delta * size) / total;
      s[t + F.m2] = s[f + F.m2]! + packed[at + B.m2]! + (delta * delta * n * size) / total;
    }
    s[t + F.lo] = Math.min(s[f + F.lo]!, packed[at + B.lo]!);
    s[t + F.hi] = Math.max(s[f + F.hi]!, packed[at + B.hi]!);
    s[t + F.down] = s[f + F.down]! + packed[at + B.down]!;
    s[t + F.trades] = s[f + F.trades]! + packed[at + B.trades]!;
    s[t + F.exposed] = s[f + F.exposed]! + packed[at + B.exposed]!;
  }
  const equity = s[f + F.equity]!;
  s[t + F.equity] = equity * packed[at + B.growth]!;
  if (!drawdown) return;
  const a = p.stairs[k]!, z = p.stairs[k + 1]!;
  const step = p.steps;
  const peak = s[f + F.peak]!;
  const h = peak / equity;
  // J: the first record above h (peak[a] = 1 ≤ h, so J > a)
  let lo = a + 1, hi = z;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (step[3 * mid]! > h) hi = mid;
    else lo = mid + 1;
  }
  let dd = 1 - step[3 * (lo - 1) + 1]! / h;
  if (lo < z && step[3 * lo + 2]! > dd) dd = step[3 * lo + 2]!;
  s[t + F.maxDrawdown] = Math.max(s[f + F.maxDrawdown]!, dd);
  s[t + F.peak] = Math.max(peak, equity * step[3 * (z - 1)]!);
}
