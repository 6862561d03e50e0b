// The CSCV walk of the PBO (src/reference/cscv-walk.ts; docs/overfitting.md): every training set of
// S/2 of S blocks, in lexicographic order, each candidate's set statistics built block by block in a
// depth-first walk (a prefix extended once for every set that starts with it), scored by the
// objective, and every split's in-sample winner ranked out of sample. Bit-equality with the
// reference, operation by operation:
// - a slot's extension by a block is the reference's extendStats: Chan–Golub–LeVeque's pairwise
//   update of mean and m2 with the same operand order, min/max as f64.min/f64.max (= Math.min/max,
//   NaN and −0 included), the drawdown from the block's record-high staircase by the same binary
//   search; fields the objective and filters never read are left alone, as there;
// - the metrics are SetMetrics' (sd exactly 0 when lo = hi; √barsPerYear comes from the host's
//   Math.sqrt, and f64.sqrt is correctly rounded like it); score = sign·metric, non-finite → −∞;
// - the ranking is the reference's comparison (score, then the tiebreak with a non-finite difference
//   counted as a tie), the first best in candidate order, counts weighted by multiplicity.
// What is stored differs, not what is computed: a set holding block 0 is one of the first C/2 in
// lexicographic order and its complement is one of the last C/2, so the first half is kept (score,
// tiebreak, filter, total return per candidate) and each later set settles both its splits — as
// training set against its stored complement and as that complement's test set — at once.
// Output per split c (5 f64 at out + 40c): 2·rank, M (0: split not used), n*'s score in sample, out
// of sample, and n*'s total return out of sample; the logits and the rest stay with the host
// (Math.log there).

// slot fields (f64), as cscv-blocks.ts F
const MEAN: usize = 0;
const M2: usize = 8;
const LO: usize = 16;
const HI: usize = 24;
const DOWN: usize = 32;
const TRADES: usize = 40;
const EXPOSED: usize = 48;
const EQUITY: usize = 56;
const PEAK: usize = 64;
const MAXDD: usize = 72;
const SLOT: usize = 80;
// block fields (f64), as cscv-blocks.ts B
const B_MEAN: usize = 0;
const B_M2: usize = 8;
const B_LO: usize = 16;
const B_HI: usize = 24;
const B_DOWN: usize = 32;
const B_TRADES: usize = 40;
const B_EXPOSED: usize = 48;
const B_GROWTH: usize = 56;
const BLOCK: usize = 64;

// metrics the walk scores (kernel-cscv.ts CSCV_METRICS)
const SHARPE: i32 = 0;
const SORTINO: i32 = 1;
const MAX_DRAWDOWN: i32 = 2;
const TOTAL_RETURN: i32 = 3;
const VOLATILITY: i32 = 4;
const TRADES_M: i32 = 5;
const EXPOSURE: i32 = 6;

// the walk's parameters (set by cscvWalk, read by the helpers)
let N: i32 = 0;
let S: i32 = 0;
let K: i32 = 0;
let size: f64 = 0;
let fields: usize = 0;
let stairs: usize = 0;
let steps: usize = 0;
let stats: usize = 0;
let weight: usize = 0;
// which of the slot's fields are extended: only those the objective's metrics and the filters
// read (the reference extends every moment when it needs one; the others are never read)
let sums: bool = false;
let downs: bool = false;
let trades: bool = false;
let exposed: bool = false;
let drawdown: bool = false;
let scoreMetric: i32 = 0;
let scoreSign: f64 = 1;
let tieMetric: i32 = -1;
let tieSign: f64 = 1;
let sqrtBpy: f64 = 1;
let minBars: f64 = 0;
let minTrades: f64 = 0;
// stored sets: rows of N (score, tiebreak, total f64; filter u8) and each one's n*
let keptScore: usize = 0;
let keptTie: usize = 0;
let keptTotal: usize = 0;
let keptOk: usize = 0;
let keptBest: usize = 0;
// the set being scored when it is not stored
let rowScore: usize = 0;
let rowTie: usize = 0;
let rowTotal: usize = 0;
let rowOk: usize = 0;
let indexOf: usize = 0;
let out: usize = 0;
let count: i32 = 0;
let half: i32 = 0;

// @ts-ignore: decorator
@inline function f64At(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }

/** Slot `to` = slot `from` (n returns) followed by block b of candidate c. */
// @ts-ignore: decorator
@inline function extend(from: usize, n: f64, b: i32, c: i32, to: usize): void {
  const k: i32 = b * N + c;
  const at: usize = fields + <usize>k * BLOCK;
  if (sums) {
    const mb = load<f64>(at + B_MEAN);
    if (n == 0) {
      store<f64>(to + MEAN, mb);
      store<f64>(to + M2, load<f64>(at + B_M2));
    } else {
      const total: f64 = n + size;
      const mean = load<f64>(from + MEAN);
      const delta = mb - mean;
      store<f64>(to + MEAN, mean + (delta * size) / total);
      store<f64>(to + M2, load<f64>(from + M2) + load<f64>(at + B_M2) + (delta * delta * n * size) / total);
    }
    store<f64>(to + LO, min<f64>(load<f64>(from + LO), load<f64>(at + B_LO)));
    store<f64>(to + HI, max<f64>(load<f64>(from + HI), load<f64>(at + B_HI)));
  }
  if (downs) store<f64>(to + DOWN, load<f64>(from + DOWN) + load<f64>(at + B_DOWN));
  if (trades) store<f64>(to + TRADES, load<f64>(from + TRADES) + load<f64>(at + B_TRADES));
  if (exposed) store<f64>(to + EXPOSED, load<f64>(from + EXPOSED) + load<f64>(at + B_EXPOSED));
  const equity = load<f64>(from + EQUITY);
  store<f64>(to + EQUITY, equity * load<f64>(at + B_GROWTH));
  if (!drawdown) return;
  const a: i32 = load<i32>(stairs + (<usize>k << 2));
  const z: i32 = load<i32>(stairs + (<usize>(k + 1) << 2));
  const peak = load<f64>(from + PEAK);
  const h = peak / equity;
  // J: the first record above h (peak[a] = 1 ≤ h, so J > a)
  let lo: i32 = a + 1;
  let hi: i32 = z;
  while (lo < hi) {
    const mid: i32 = (lo + hi) >> 1;
    if (f64At(steps, 3 * mid) > h) hi = mid;
    else lo = mid + 1;
  }
  let dd: f64 = 1 - f64At(steps, 3 * (lo - 1) + 1) / h;
  if (lo < z && f64At(steps, 3 * lo + 2) > dd) dd = f64At(steps, 3 * lo + 2);
  store<f64>(to + MAXDD, max<f64>(load<f64>(from + MAXDD), dd));
  store<f64>(to + PEAK, max<f64>(peak, equity * f64At(steps, 3 * (z - 1))));
}

// SetMetrics' sd: exactly 0 without variance
// @ts-ignore: decorator
@inline function sdOf(s: usize, n: f64): f64 {
  return n >= 2 && load<f64>(s + LO) != load<f64>(s + HI) ? Math.sqrt(load<f64>(s + M2) / (n - 1)) : 0;
}

// @ts-ignore: decorator
@inline function metric(s: usize, n: f64, which: i32): f64 {
  if (which == SHARPE) {
    const sd = sdOf(s, n);
    return sd > 0 ? (load<f64>(s + MEAN) / sd) * sqrtBpy : 0;
  }
  if (which == SORTINO) {
    const down: f64 = n > 0 ? Math.sqrt(load<f64>(s + DOWN) / n) : 0;
    return down > 0 ? (load<f64>(s + MEAN) / down) * sqrtBpy : 0;
  }
  if (which == MAX_DRAWDOWN) return load<f64>(s + MAXDD);
  if (which == TOTAL_RETURN) return load<f64>(s + EQUITY) - 1;
  if (which == VOLATILITY) return sdOf(s, n) * sqrtBpy;
  if (which == TRADES_M) return load<f64>(s + TRADES);
  if (which == EXPOSURE) return n > 0 ? load<f64>(s + EXPOSED) / n : 0;
  return NaN;
}

// @ts-ignore: decorator
@inline function reads(m: i32): bool { return scoreMetric == m || tieMetric == m; }

// @ts-ignore: decorator
@inline function finite(x: f64): bool { return x - x == 0; }

/** > 0 when candidate x beats y, < 0 when y beats x, 0 when tied (the reference's cmp). */
// @ts-ignore: decorator
@inline function cmp(score: usize, tie: usize, x: i32, y: i32): f64 {
  const d = f64At(score, x) - f64At(score, y);
  if (d != 0 && d == d) return d;
  if (tieMetric < 0) return 0;
  const t = f64At(tie, x) - f64At(tie, y);
  return finite(t) ? t : 0;
}

/**
 * cmp's sign for candidates whose scores are finite or −∞ and not both −∞ (x against a survivor
 * y, whose score is finite): then x − y is 0 exactly when x = y and never NaN, so the order of
 * the scores decides — without branches, as these outcomes are coin flips.
 */
// @ts-ignore: decorator
@inline function order(sx: f64, sy: f64, tx: f64, ty: f64): i32 {
  const t = tx - ty;
  const byTie: i32 = tieMetric >= 0 && finite(t) ? (<i32>(t > 0) - <i32>(t < 0)) : 0;
  return select<i32>(<i32>(sx > sy) - <i32>(sx < sy), byTie, sx != sy);
}

/** n* of a set (−1 when fewer than 2 survive, counted with multiplicity). */
function bestOf(score: usize, tie: usize, ok: usize): i32 {
  let best: i32 = -1;
  let survivors: i32 = 0;
  for (let n: i32 = 0; n < N; n++) {
    if (!load<u8>(ok + <usize>n)) continue;
    survivors += load<i32>(weight + (<usize>n << 2));
    if (best < 0 || cmp(score, tie, n, best) > 0) best = n;
  }
  return survivors < 2 ? -1 : best;
}

/** Split c: n* = best of the training set, ranked on the test set's rows. */
function settle(c: i32, best: i32, trainScore: usize, score: usize, tie: usize, ok: usize, total: usize): void {
  const o: usize = out + <usize>c * 40;
  if (best < 0) return;
  const w: i32 = load<i32>(weight + (<usize>best << 2));
  const copies: i32 = load<u8>(ok + <usize>best) ? w - 1 : 0;
  let worse: i32 = 0;
  let tied: i32 = copies;
  let ranked: i32 = 1 + copies;
  const sb = f64At(score, best);
  const tb = tieMetric >= 0 ? f64At(tie, best) : 0;
  for (let n: i32 = 0; n < N; n++) {
    const wn: i32 = select<i32>(load<i32>(weight + (<usize>n << 2)), 0, n != best && load<u8>(ok + <usize>n) != 0);
    const d = order(sb, f64At(score, n), tb, tieMetric >= 0 ? f64At(tie, n) : 0);
    ranked += wn;
    worse += select<i32>(wn, 0, d > 0);
    tied += select<i32>(wn, 0, d == 0);
  }
  if (ranked < 2) return;
  store<f64>(o, <f64>(2 + 2 * worse + tied));
  store<f64>(o + 8, <f64>ranked);
  store<f64>(o + 16, f64At(trainScore, best));
  store<f64>(o + 24, f64At(score, best));
  store<f64>(o + 32, f64At(total, best));
}

/** The set just completed (slots of depth K): score every candidate, keep it or settle its splits. */
function leaf(mask: i32): void {
  const c = count++;
  const n: f64 = <f64>K * size;
  const kept = c < half;
  const rs: usize = kept ? keptScore + <usize>c * <usize>N * 8 : rowScore;
  const rt: usize = kept ? keptTie + <usize>c * <usize>N * 8 : rowTie;
  const rr: usize = kept ? keptTotal + <usize>c * <usize>N * 8 : rowTotal;
  const ro: usize = kept ? keptOk + <usize>c * <usize>N : rowOk;
  const base: usize = stats + <usize>K * <usize>N * SLOT;
  for (let i: i32 = 0; i < N; i++) {
    const s: usize = base + <usize>i * SLOT;
    const v = scoreSign * metric(s, n, scoreMetric);
    const fin = finite(v);
    store<f64>(rs + (<usize>i << 3), fin ? v : -Infinity);
    if (tieMetric >= 0) {
      const t = tieSign * metric(s, n, tieMetric);
      store<f64>(rt + (<usize>i << 3), finite(t) ? t : -Infinity);
    }
    store<u8>(ro + <usize>i, fin && n >= minBars && load<f64>(s + TRADES) >= minTrades ? 1 : 0);
    store<f64>(rr + (<usize>i << 3), load<f64>(s + EQUITY) - 1);
  }
  if (kept) {
    store<i32>(indexOf + (<usize>mask << 2), c);
    store<i32>(keptBest + (<usize>c << 2), bestOf(rs, rt, ro));
    return;
  }
  // the complement was stored: split i trains on it and tests here, split c the other way
  const i = load<i32>(indexOf + (<usize>(((1 << S) - 1) ^ mask) << 2));
  const ks: usize = keptScore + <usize>i * <usize>N * 8;
  const kt: usize = keptTie + <usize>i * <usize>N * 8;
  const kr: usize = keptTotal + <usize>i * <usize>N * 8;
  const ko: usize = keptOk + <usize>i * <usize>N;
  settle(i, load<i32>(keptBest + (<usize>i << 2)), ks, rs, rt, ro, rr);
  settle(c, bestOf(rs, rt, ro), rs, ks, kt, ko, kr);
}

function walk(depth: i32, from: i32, mask: i32): void {
  if (depth == K) {
    leaf(mask);
    return;
  }
  const prev: usize = stats + <usize>depth * <usize>N * SLOT;
  const next: usize = prev + <usize>N * SLOT;
  const n0: f64 = <f64>depth * size;
  for (let b: i32 = from; b <= S - K + depth; b++) {
    for (let c: i32 = 0; c < N; c++) extend(prev + <usize>c * SLOT, n0, b, c, next + <usize>c * SLOT);
    walk(depth + 1, b + 1, mask | (1 << b));
  }
}

/**
 * The CSCV of N candidates' packed block summaries (cscv-blocks.ts packBlocks): fields at `fieldsAt`
 * (S·N·8 f64), staircases `stairsAt` (S·N + 1 i32) over `stepsAt` (3 f64 a step); `weightAt` the
 * multiplicity of each (i32). `statsAt`: (S/2 + 1)·N slots of 10 f64, slot fields as runningStats
 * leaves them; `keep*`: C/2 rows of N; `rows`: one row of N each; `indexAt`: 2^S i32; `outAt`: C × 5 f64.
 */
export function cscvWalk(n: i32, s: i32, blockSize: i32, fieldsAt: usize, stairsAt: usize, stepsAt: usize, weightAt: usize, statsAt: usize,
  needMoments: i32, needDrawdown: i32, metricOfScore: i32, signOfScore: f64, metricOfTie: i32, signOfTie: f64, rootBpy: f64,
  setMinBars: f64, setMinTrades: f64, keepScore: usize, keepTie: usize, keepTotal: usize, keepOk: usize, keepBest: usize,
  score: usize, tie: usize, total: usize, ok: usize, indexAt: usize, outAt: usize): void {
  N = n; S = s; K = s >> 1; size = <f64>blockSize;
  fields = fieldsAt; stairs = stairsAt; steps = stepsAt; weight = weightAt; stats = statsAt;
  scoreMetric = metricOfScore; scoreSign = signOfScore; tieMetric = metricOfTie; tieSign = signOfTie; sqrtBpy = rootBpy;
  drawdown = needDrawdown != 0;
  // sortino reads the mean (so the sums), volatility m2 and the extremes
  sums = needMoments != 0 && (reads(SHARPE) || reads(SORTINO) || reads(VOLATILITY));
  downs = needMoments != 0 && reads(SORTINO);
  trades = needMoments != 0 && (reads(TRADES_M) || setMinTrades > 0);
  exposed = needMoments != 0 && reads(EXPOSURE);
  minBars = setMinBars; minTrades = setMinTrades;
  keptScore = keepScore; keptTie = keepTie; keptTotal = keepTotal; keptOk = keepOk; keptBest = keepBest;
  rowScore = score; rowTie = tie; rowTotal = total; rowOk = ok;
  indexOf = indexAt; out = outAt;
  let C: i32 = 1;
  for (let i: i32 = 0; i < K; i++) C = (C * (S - i)) / (i + 1);
  half = C >> 1;
  count = 0;
  // a split not used keeps its record all zeros (M = 0), as the reference's
  memory.fill(out, 0, <usize>C * 40);
  walk(0, 0, 0);
}
