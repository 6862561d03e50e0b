import { NO_REGIME, type CscvWalk, type PboResult, type SignalEvents } from '@regimen/core';
import { cscvWalkWasm, positionsFromEvents } from '@regimen/kernel';
import { addBlock, blockBuilder, compileObjective, finishBlocks, probabilityOfBacktestOverfitting, type CandidateBlocks, type Objective, type PboOptions } from '@regimen/optimizer';

/**
 * One share of analysis/overfitting.json, run on a worker of the run's executor (runTask) or on
 * the calling thread: the candidates of one or more CSCV entries that rank the same candidates
 * (a strategy's trials, or the weight sets one classifier's search scored), their returns rebuilt
 * and summarised per block, and each entry's PBO. The result depends on the task alone, so the
 * file is the same whatever ran the tasks and however many workers there were.
 *
 * Every series is over the training window [start, end) and indexed from `start`; the returns are
 * the window's n = end − start − 1, return j earning bar t = start + 1 + j (DESIGN §5):
 *   r_j = pos[t−1]·growth_j − cost·|pos[t] − pos[t−1]|,  growth_j = close[t]/close[t−1] − 1,
 * the expression of the kernel's windowReturns, so the same doubles; a trade at j when
 * pos[t] ≠ pos[t−1], exposure when pos[t−1] ≠ 0; return j belongs to the regime of label[t−1].
 */
export interface PboTask {
  start: number;
  end: number;
  /** growth_j for j = 0 … n − 1 */
  growth: Float64Array;
  /** fee + slippage */
  cost: number;
  blocks: number;
  barsPerYear: number;
  /** labels of the window's bars (index t − start), one array per regime track the entries use */
  labels: Uint8Array[];
  candidates: TrialCandidates | WeightSetCandidates;
  entries: PboTaskEntry[];
  /** the run's engine: `js` (--engine js, for debugging) walks in TypeScript, the kernel's reference */
  engine?: 'js' | 'wasm';
}

/** Trials: each one's signal events (absolute bars), its positions rebuilt as phase 1 saved them. */
export interface TrialCandidates {
  kind: 'trials';
  events: SignalEvents[];
}

/**
 * Weight sets replayed as phase 3 scored them (DESIGN §5 "signal replay", kernel replayPositions):
 *   k = label[t]; NO_REGIME → 0; else pos[t] = clamp(Σ_s w[k][s]·leg_s[t], −1, 1), s in order.
 * leg_s[t] is strategy s's leg for the regime of bar t, 0 where it has none: replayPositions skips
 * such a leg, and adding w·0 = ±0 to a sum that started at +0 changes no bit (it is never −0).
 */
export interface WeightSetCandidates {
  kind: 'weight-sets';
  /** which of `labels` selects the weights */
  track: number;
  /** one series per strategy, index t − start */
  legs: Float64Array[];
  /** set i, regime k, strategy s at (i·regimes + k)·legs + s */
  weights: Float64Array;
  regimes: number;
}

export interface PboTaskEntry {
  /** the regime of labels[track] whose returns are ranked; track null: every return of the window */
  track: number | null;
  regime: number;
  /** an objective as compileObjective reads it */
  objective: string;
  /** rank ties by the objective's tiebreak (phase 2 does; phase 3 breaks ties by id alone) */
  tiebreak: boolean;
  minBars: number;
  minTrades: number;
}

/** `walk` null: the TypeScript walk alone (the kernel's is its equal, bit for bit) */
export function runPboTask(task: PboTask, walk: CscvWalk | null = task.engine === 'js' ? null : cscvWalkWasm): Array<PboResult | null> {
  return pboTaskInputs(task).map((x) => probabilityOfBacktestOverfitting(x.candidates, walk ? { ...x.options, walk } : x.options));
}

/**
 * Each entry's candidates (their returns rebuilt and summarised per block) and its PBO options:
 * what runPboTask ranks, for a caller that times or checks the walk alone (regimen bench pbo).
 */
export function pboTaskInputs(task: PboTask): Array<{ candidates: CandidateBlocks[]; options: PboOptions }> {
  const n = task.end - task.start - 1;
  const groups = task.entries.map((e) => (e.track === null ? null : returnsOf(task.labels[e.track]!, e.regime, n)));
  const cands = task.candidates;
  const lists = cands.kind === 'trials' ? trialBlocks(task, cands, groups) : weightSetBlocks(task, cands, groups);
  return task.entries.map((e, i) => ({ candidates: lists[i]!, options: { blocks: task.blocks, objective: ranker(e), barsPerYear: task.barsPerYear, minBars: e.minBars, minTrades: e.minTrades } }));
}

/**
 * Per entry, each trial's block summaries: a trial at a time, its positions rebuilt over the
 * window, then each entry's returns made block by block; a return whose position is 0 at both
 * ends is ±0, and addBlock passes it by (exactly: see there).
 */
function trialBlocks(task: PboTask, cands: TrialCandidates, groups: Array<Int32Array | null>): CandidateBlocks[][] {
  const { start, end, growth, cost, blocks: S } = task;
  const n = end - start - 1;
  const count = cands.events.length;
  const lists = groups.map(() => new Array<CandidateBlocks>(count));
  const series = new Float64Array(end);
  const pos = series.subarray(start, end);
  const every = Int32Array.from({ length: n }, (_, j) => j);
  const r = new Float64Array(n), active = new Int32Array(n);
  for (let c = 0; c < count; c++) {
    positionsFromEvents(cands.events[c]!, end, { start, end }, series);
    for (let e = 0; e < groups.length; e++) {
      const idx = groups[e] ?? every;
      const size = Math.floor(idx.length / S);
      const skip = idx.length - size * S;
      const builder = blockBuilder(S, size);
      for (let b = 0; b < S; b++) {
        let tr = 0, ex = 0, live = 0;
        for (let i = 0; i < size; i++) {
          const j = idx[skip + b * size + i]!;
          const p0 = pos[j]!, p1 = pos[j + 1]!;
          if (p0 === 0 && p1 === 0) {
            r[i] = 0;
            continue;
          }
          r[i] = p0 * growth[j]! - cost * Math.abs(p1 - p0);
          active[live++] = i;
          if (p1 !== p0) tr++;
          if (p0 !== 0) ex++;
        }
        addBlock(builder, b, r, 0, tr, ex, active, live);
      }
      lists[e]![c] = finishBlocks(builder);
    }
  }
  return lists;
}

/**
 * Per entry, each weight set's block summaries, block-major: a block's inputs (growth, and at both
 * ends of each return the bar's regime and legs) are gathered once, then every set's returns over
 * them are made and summarised while they are in cache — hundreds of sets over the same bars.
 */
function weightSetBlocks(task: PboTask, cands: WeightSetCandidates, groups: Array<Int32Array | null>): CandidateBlocks[][] {
  const { growth, cost, blocks: S } = task;
  const n = task.end - task.start - 1;
  const labels = task.labels[cands.track]!;
  const { legs, regimes: K } = cands;
  const L = legs.length;
  const sets = cands.weights.length / (K * L);
  // weights with a row of zeros for NO_REGIME (regime K): 0 + 0·x + … is +0, the position replay gives there
  const rows = K + 1;
  const wt = new Float64Array(sets * rows * L);
  for (let c = 0; c < sets; c++) wt.set(cands.weights.subarray(c * K * L, (c + 1) * K * L), c * rows * L);
  const regimeOf = (t: number) => (labels[t] === NO_REGIME ? K : labels[t]!);
  return groups.map((group) => {
    const idx = group ?? Int32Array.from({ length: n }, (_, j) => j);
    const size = Math.floor(idx.length / S);
    const skip = idx.length - size * S;
    const builders = Array.from({ length: sets }, () => blockBuilder(S, size));
    const g = new Float64Array(size), r = new Float64Array(size);
    const ka = new Int32Array(size), kb = new Int32Array(size);
    const xa = legs.map(() => new Float64Array(size)), xb = legs.map(() => new Float64Array(size));
    const [a0, a1] = xa, [b0, b1] = xb;
    // the returns that can be non-zero: a leg holds a position at one end (elsewhere every set's
    // position is +0 at both ends, so its return is ±0 and addBlock may pass it by)
    const active = new Int32Array(size);
    for (let b = 0; b < S; b++) {
      let live = 0;
      for (let i = 0; i < size; i++) {
        const j = idx[skip + b * size + i]!;
        g[i] = growth[j]!;
        ka[i] = regimeOf(j) * L;
        kb[i] = regimeOf(j + 1) * L;
        let held = false;
        for (let s = 0; s < L; s++) {
          const x = (xa[s]![i] = legs[s]![j]!), y = (xb[s]![i] = legs[s]![j + 1]!);
          if (x !== 0 || y !== 0) held = true;
        }
        if (held) active[live++] = i;
      }
      r.fill(0);
      for (let c = 0; c < sets; c++) {
        const base = c * rows * L;
        let tr = 0, ex = live;
        for (let q = 0; q < live; q++) {
          const i = active[q]!;
          let p0 = 0, p1 = 0;
          // pos = clamp(Σ_s w[k][s]·leg_s, −1, 1), the terms added in strategy order from +0
          if (L === 2) {
            const wa = base + ka[i]!, wb = base + kb[i]!;
            p0 = 0 + wt[wa]! * a0![i]! + wt[wa + 1]! * a1![i]!;
            p1 = 0 + wt[wb]! * b0![i]! + wt[wb + 1]! * b1![i]!;
          } else {
            for (let s = 0; s < L; s++) (p0 += wt[base + ka[i]! + s]! * xa[s]![i]!), (p1 += wt[base + kb[i]! + s]! * xb[s]![i]!);
          }
          p0 = p0 > 1 ? 1 : p0 < -1 ? -1 : p0;
          p1 = p1 > 1 ? 1 : p1 < -1 ? -1 : p1;
          r[i] = p0 * g[i]! - cost * Math.abs(p1 - p0);
          if (p1 !== p0) tr++;
          if (p0 === 0) ex--;
        }
        addBlock(builders[c]!, b, r, 0, tr, ex, active, live);
      }
    }
    return builders.map(finishBlocks);
  });
}

function ranker(e: PboTaskEntry): Objective {
  const o = compileObjective(e.objective);
  const uses = o.scoreUses ?? o.uses;
  return e.tiebreak ? o : { name: o.name, score: o.score, ...(uses ? { uses } : {}), ...(o.terms ? { terms: { score: o.terms.score } } : {}) };
}

/** Indexes j of the window's returns attributed to `regime`: label[t − 1] = label of bar start + j. */
export function returnsOf(labels: Uint8Array, regime: number, n: number): Int32Array {
  let m = 0;
  for (let j = 0; j < n; j++) if (labels[j] === regime) m++;
  const out = new Int32Array(m);
  for (let j = 0, i = 0; j < n; j++) if (labels[j] === regime) out[i++] = j;
  return out;
}
