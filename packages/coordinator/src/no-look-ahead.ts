import { NO_REGIME, sliceBars, type Engine, type RegimeTrack, type Rng, type TrialSpec } from '@regimen/core';
import { adaptivePositions, cutPositions, type AdaptiveInput } from '@regimen/backtester';
import { referenceEngine } from '@regimen/kernel';
/** what the look-ahead check draws its cuts from and reruns the backtest on (a RunContext has both) */
export interface CheckRun {
  rng: Rng;
  engine: Engine;
}

/**
 * Checks that the adaptive strategy used no future data, recorded in validation_results.json.
 * Both sample: they are checks at N cuts, not proofs over every bar, unless run exhaustively
 * (`regimen run --exhaustive`), which checks every bar of the window at a cost of one adaptive
 * backtest per bar (benchmarks/RESULTS.md).
 *
 * verifyTransitions: at every regime change (and every trade), recompute each strategy's position
 * from scratch on the data cut at that bar, with the parameters and weights of the bar's regime,
 * and require the adaptive position to equal their combination: the switch happened at that bar,
 * from data up to that bar. It runs on the engine of the run (`--engine`; the reference when none
 * is given); the wasm engine answers all points of a trial in one pass over cuts of one copy of
 * the data, erasing the bars after each cut (Engine.positionsAtCuts).
 *
 * lookAheadCheck: re-run the whole adaptive backtest — the driving classifier's labels included,
 * relabelled from the saved model on the cut data (nothing is refitted) — on the data cut at
 * seeded points; every decision up to a cut must be identical. Half the cuts are random; the
 * others fall on the bar just before a position change, where a strategy that peeks at the next
 * bar would decide differently once that bar is gone. Exhaustive: a cut after every bar but the last.
 */
const MAX_POINTS = 200;

/** At most `max` of the distinct bars of a and b, evenly spread, ascending. */
function spread(a: number[], b: number[], max: number): number[] {
  const uniq = mergeDistinct(ascending(a), ascending(b));
  if (uniq.length <= max) return uniq;
  return Array.from({ length: max }, (_, i) => uniq[Math.floor((i * uniq.length) / max)]!);
}

/** Transitions and trades come in bar order (one pass checks it), so merging beats sorting them. */
function ascending(bars: number[]): number[] {
  for (let i = 1; i < bars.length; i++) if (bars[i]! < bars[i - 1]!) return [...bars].sort((x, y) => x - y);
  return bars;
}

function mergeDistinct(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out.length === 0 || out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

export function verifyTransitions(
  input: AdaptiveInput,
  positions: Float64Array,
  transitionBars: number[],
  tradeBars: number[],
  engine: Engine = referenceEngine,
  exhaustive = false,
): { ok: boolean; checked: number; firstFailure?: number } {
  const points = transitionPoints(transitionBars, tradeBars, exhaustive);
  const r = checkTransitionPoints(input, positions, points, engine);
  return r.ok ? { ok: true, checked: points.length } : { ok: false, checked: points.length, firstFailure: r.firstFailure! };
}

/** The bars verifyTransitions checks: the transitions and trades, at most 200 of them unless exhaustive. */
export function transitionPoints(transitionBars: number[], tradeBars: number[], exhaustive = false): number[] {
  return spread(transitionBars, tradeBars, exhaustive ? Infinity : MAX_POINTS);
}

/**
 * verifyTransitions at the given points (ascending): the first point whose adaptive position is not
 * the combination of its strategies' positions recomputed on the data cut there. Any subset of the
 * points can be checked on its own (the proof's parts run side by side as tasks, validation-proofs.ts).
 */
export function checkTransitionPoints(input: AdaptiveInput, positions: Float64Array, points: number[], engine: Engine = referenceEngine): { ok: boolean; firstFailure?: number } {
  // what moves the position at bar t: each strategy's winner in t's regime, with its weight there.
  // A weight of 0 adds ±0 whatever the position (positions are finite), so such a strategy cannot
  // change the position and is not recomputed.
  const terms = (t: number): Array<{ trial: TrialSpec; weight: number }> => {
    const k = input.regime.labels[t]!;
    if (k === NO_REGIME) return [];
    const name = input.regime.names[k]!;
    return input.strategies.flatMap((s) => {
      const e = input.winners[name]?.[s.name];
      const weight = input.weights[name]?.[s.name] ?? 0;
      return e && weight !== 0 ? [{ trial: { trial_id: e.trial_id, strategy: s.name, type: s.type, params: e.params }, weight }] : [];
    });
  };
  // each trial is asked for at the points where it is in force, all at once
  const trials = new Map<string, { spec: TrialSpec; cuts: number[] }>();
  for (const t of points) {
    for (const { trial } of terms(t)) {
      let entry = trials.get(trial.trial_id);
      if (!entry) trials.set(trial.trial_id, (entry = { spec: trial, cuts: [] }));
      entry.cuts.push(t);
    }
  }
  const asked = [...trials.values()];
  const answers = cutPositions(engine, input.bars, asked.map((x) => x.spec), asked.map((x) => x.cuts));
  const at = new Map(asked.map((x, i) => [x.spec.trial_id, new Map(x.cuts.map((c, j) => [c, answers[i]![j]!]))]));
  for (const t of points) {
    let expected = 0;
    for (const { trial, weight } of terms(t)) expected += weight * at.get(trial.trial_id)!.get(t)!;
    expected = expected > 1 ? 1 : expected < -1 ? -1 : expected;
    if (expected !== positions[t]) return { ok: false, firstFailure: t };
  }
  return { ok: true };
}

export function lookAheadCheck(
  ctx: CheckRun,
  input: AdaptiveInput,
  positions: Float64Array,
  relabel: (bars: number) => RegimeTrack[],
  cutsWanted: number | 'all' = 5,
): { ok: boolean; cuts: number[]; firstFailure?: number } {
  const cuts = lookAheadCuts(ctx.rng, input.window, positions, cutsWanted);
  const r = checkCuts(ctx.engine, input, positions, relabel, cuts);
  return r.ok ? { ok: true, cuts } : { ok: false, cuts, firstFailure: r.firstFailure! };
}

/**
 * The look-ahead check's cuts (ascending, distinct), drawn from `rng`'s fork `look-ahead`: half at
 * random in the window, half on the bar just before a position change; every bar but the last
 * when exhaustive. They are part of validation_results.json, so they never depend on where or in
 * how many parts the check runs.
 */
export function lookAheadCuts(rng: Rng, window: { start: number; end: number }, positions: Float64Array, cutsWanted: number | 'all' = 5): number[] {
  const { start, end } = window;
  if (cutsWanted === 'all') return Array.from({ length: end - 1 - start }, (_, i) => start + i);
  const r = rng.fork('look-ahead');
  const random = Array.from({ length: cutsWanted }, () => r.int(start + 1, end - 2));
  const beforeChange: number[] = [];
  for (let t = start + 2; t < end - 1; t++) if (positions[t] !== positions[t - 1]) beforeChange.push(t - 1);
  const picked = Array.from({ length: Math.min(cutsWanted, beforeChange.length) }, () => beforeChange[r.int(0, beforeChange.length - 1)]!);
  return [...new Set([...random, ...picked])].sort((a, b) => a - b);
}

/**
 * The adaptive backtest rerun on the data cut after each of `cuts` (ascending) — the driving
 * classifier's labels recomputed by `relabel` on the cut data too: every decision up to the cut
 * must be the same. Stops at the first cut that differs; `firstFailure` is its first differing bar.
 * Any subset of the cuts can be checked on its own.
 */
export function checkCuts(engine: Engine, input: AdaptiveInput, positions: Float64Array, relabel: (bars: number) => RegimeTrack[], cuts: number[]): { ok: boolean; firstFailure?: number; cut?: number } {
  const { start } = input.window;
  for (const cut of cuts) {
    const tracks = relabel(cut + 1);
    const regime = tracks.find((t) => t.classifier === input.regime.classifier)!;
    const r = adaptivePositions({ ...input, bars: sliceBars(input.bars, cut + 1), window: { start, end: cut + 1 }, regime, breakdown: tracks }, engine);
    for (let t = start; t <= cut; t++) {
      if (r.positions[t] !== positions[t]) return { ok: false, firstFailure: t, cut };
    }
  }
  return { ok: true };
}
