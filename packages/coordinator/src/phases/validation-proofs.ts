import type { BarColumns, Costs, Engine, RegimeTrack, ScoreWindow } from '@regimen/core';
import type { AdaptiveInput, RegimeWeights, RegimeWinners } from '@regimen/backtester';
import { checkCuts, checkTransitionPoints } from '../no-look-ahead.js';

/**
 * Phase 4's two proofs cut into parts that are checked side by side (as tasks on the executor,
 * stage-worker.ts). Every look-ahead cut and every switching point is a recomputation from bar 0
 * on the data cut there, independent of the others, so a part is a subset of the cuts or points,
 * checked exactly as the whole check would check them; the parts' answers combine into the
 * answer of the whole check — the same cuts, the same first failure — whatever their number.
 */
export type ProofPart = { kind: 'look_ahead'; cuts: number[] } | { kind: 'transitions'; points: number[] };

/** What a part needs: the adaptive backtest's input for the driving classifier and its positions. */
export interface ProofData {
  bars: BarColumns;
  window: ScoreWindow;
  /** the driving classifier's live labels over the whole series */
  regime: RegimeTrack;
  strategies: Array<{ name: string; type: string }>;
  winners: RegimeWinners;
  weights: RegimeWeights;
  costs: Costs;
  barsPerYear: number;
  /** the adaptive positions the proofs check */
  positions: Float64Array;
}

export interface ProofPartResult {
  ok: boolean;
  /** the cut or point that failed, and the bar the check names */
  failedAt?: number;
  firstFailure?: number;
  seconds: number;
}

/** `relabel(bars)`: the driving classifier's labels on the first `bars` bars (its saved model). */
export function checkProofPart(data: ProofData, part: ProofPart, engine: Engine, relabel: (bars: number) => RegimeTrack): ProofPartResult {
  const t0 = performance.now();
  const input: AdaptiveInput = { bars: data.bars, window: data.window, regime: data.regime, breakdown: [data.regime], strategies: data.strategies, winners: data.winners, weights: data.weights, costs: data.costs, barsPerYear: data.barsPerYear };
  let r: { ok: boolean; firstFailure?: number; cut?: number };
  if (part.kind === 'look_ahead') r = checkCuts(engine, input, data.positions, (bars) => [relabel(bars)], part.cuts);
  else {
    const x = checkTransitionPoints(input, data.positions, part.points, engine);
    r = { ...x, cut: x.firstFailure };
  }
  const seconds = (performance.now() - t0) / 1000;
  return r.ok ? { ok: true, seconds } : { ok: false, failedAt: r.cut!, firstFailure: r.firstFailure!, seconds };
}

/**
 * Ascending bars cut into at most `parts` runs of consecutive bars with about equal work: a check
 * at bar c recomputes bars 0..c, so a bar weighs c + 1.
 */
export function proofParts(bars: number[], parts: number): number[][] {
  if (bars.length === 0) return [];
  const total = bars.reduce((s, c) => s + c + 1, 0);
  const out: number[][] = [[]];
  let done = 0;
  for (const c of bars) {
    const last = out[out.length - 1]!;
    // a new part starts with the bar whose middle lies past the parts so far's share of the work
    if (last.length > 0 && out.length < parts && done + (c + 1) / 2 >= (out.length * total) / parts) out.push([c]);
    else last.push(c);
    done += c + 1;
  }
  return out;
}

/**
 * The answer of the whole check from its parts' answers: it fails at its first failing cut or
 * point in bar order — each part checks its own in order and stops at its first failure, so the
 * earliest failure over the parts is the one the whole check would have stopped at.
 */
export function combineParts(results: ProofPartResult[]): { ok: boolean; firstFailure?: number } {
  const failed = results.filter((r) => !r.ok).sort((a, b) => a.failedAt! - b.failedAt!);
  return failed.length === 0 ? { ok: true } : { ok: false, firstFailure: failed[0]!.firstFailure! };
}
