import { NO_REGIME, type RegimeTrack } from '@regimen/core';
import { runAdaptive, type AdaptiveInput } from '@regimen/backtester';
import { parseStrategyParams, strategyDefinition } from '@regimen/kernel';
import { sliceBars, type RunContext } from './context.js';

/**
 * Proofs that the adaptive strategy used no future data, recorded in validation_results.json.
 *
 * verifyTransitions: at every regime change (and every trade), recompute each strategy's position
 * from scratch on the data cut at that bar, with the parameters and weights of the bar's regime,
 * and require the adaptive position to equal their combination: the switch happened at that bar,
 * from data up to that bar.
 *
 * lookAheadCheck: re-run the whole adaptive backtest — classifier labels included — on the data
 * cut at seeded points; every decision up to a cut must be identical. Half the cuts are random;
 * the others fall on the bar just before a position change, where a strategy that peeks at the
 * next bar would decide differently once that bar is gone.
 */
const MAX_POINTS = 200;

function spread(bars: number[], max: number): number[] {
  const uniq = [...new Set(bars)].sort((a, b) => a - b);
  if (uniq.length <= max) return uniq;
  return Array.from({ length: max }, (_, i) => uniq[Math.floor((i * uniq.length) / max)]!);
}

export function verifyTransitions(input: AdaptiveInput, positions: Float64Array, transitionBars: number[], tradeBars: number[]): { ok: boolean; checked: number; firstFailure?: number } {
  const points = spread([...transitionBars, ...tradeBars], MAX_POINTS);
  const parsed = new Map<string, unknown>();
  for (const t of points) {
    const k = input.regime.labels[t]!;
    let expected = 0;
    if (k !== NO_REGIME) {
      const name = input.regime.names[k]!;
      const cut = sliceBars(input.bars, t + 1);
      for (const s of input.strategies) {
        const e = input.winners[name]?.[s.name];
        if (!e) continue;
        const key = s.type + JSON.stringify(e.params);
        if (!parsed.has(key)) parsed.set(key, parseStrategyParams(s.type, e.params));
        const p = strategyDefinition(s.type).positions(cut, parsed.get(key) as never);
        expected += (input.weights[name]?.[s.name] ?? 0) * p[t]!;
      }
      expected = expected > 1 ? 1 : expected < -1 ? -1 : expected;
    }
    if (expected !== positions[t]) return { ok: false, checked: points.length, firstFailure: t };
  }
  return { ok: true, checked: points.length };
}

export function lookAheadCheck(
  ctx: RunContext,
  input: AdaptiveInput,
  positions: Float64Array,
  relabel: (bars: number) => RegimeTrack[],
  cutsWanted = 5,
): { ok: boolean; cuts: number[]; firstFailure?: number } {
  const { start, end } = input.window;
  const rng = ctx.rng.fork('look-ahead');
  const random = Array.from({ length: cutsWanted }, () => rng.int(start + 1, end - 2));
  const beforeChange: number[] = [];
  for (let t = start + 2; t < end - 1; t++) if (positions[t] !== positions[t - 1]) beforeChange.push(t - 1);
  const picked = Array.from({ length: Math.min(cutsWanted, beforeChange.length) }, () => beforeChange[rng.int(0, beforeChange.length - 1)]!);
  const cuts = [...new Set([...random, ...picked])].sort((a, b) => a - b);
  for (const cut of cuts) {
    const tracks = relabel(cut + 1);
    const regime = tracks.find((t) => t.classifier === input.regime.classifier)!;
    const r = runAdaptive({ ...input, bars: sliceBars(input.bars, cut + 1), window: { start, end: cut + 1 }, regime, breakdown: tracks }, ctx.engine);
    for (let t = start; t <= cut; t++) {
      if (r.positions[t] !== positions[t]) return { ok: false, cuts, firstFailure: t };
    }
  }
  return { ok: true, cuts };
}
