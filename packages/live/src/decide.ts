import { NO_REGIME, regimenError, sliceBars, type BarColumns, type Decision, type RegimeTrack, type SignalEvents, type StrategyDecision } from '@regimen/core';
import { adaptivePositions, regimeSetting, type AdaptiveInput } from '@regimen/backtester';
import { isoTime } from '@regimen/data';
import type { LiveRun } from './open.js';

/** The position an event list holds at bar t: the last change at or before t (0 before the first). */
function positionAt(events: SignalEvents, t: number): number {
  for (let i = events.bar.length - 1; i >= 0; i--) if (events.bar[i]! <= t) return events.position[i]!;
  return 0;
}

/** A plugin hook's failure as one line naming the plugin and the hook. */
export function callHook<T>(plugin: string, hook: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw regimenError({ code: 'plugin', message: `plugin "${plugin}" failed in ${hook}(): ${(e as Error).message}`, cause: e });
  }
}

/**
 * The decision at bar t from bars 0..t only — the one function every decision goes through.
 * It builds exactly the AdaptiveInput phase 4 builds (validation.ts: the driving classifier's
 * live labels from the saved model, every classifier as breakdown, the run's strategies, winners,
 * weights, costs and bars per year, the window from the test split's first bar) on the bars cut
 * at t, and reads the adaptive engine's position at t. Causality of labels and strategies is what
 * makes this equal to validation's decision at t; `replay` proves it on every validation bar.
 * `probabilities: false` leaves the classifiers' probabilities out (they never move a position;
 * replay, which compares positions, skips their cost).
 */
export function decide(run: LiveRun, bars: BarColumns, t: number, opts: { probabilities?: boolean } = {}): Decision {
  if (t < run.testStart || t >= bars.close.length) {
    throw regimenError({ code: 'usage', field: 'bar', value: t, message: `decisions start at the validation split's first bar ${run.testStart} and end at the data's last bar ${bars.close.length - 1}` });
  }
  const cut = sliceBars(bars, t + 1);
  const tracks: RegimeTrack[] = [];
  const classifiers: Decision['classifiers'] = {};
  for (const c of run.classifiers) {
    const labels = callHook(c.plugin.name, 'label', () => c.plugin.label(cut, c.model, c.options));
    if (!(labels instanceof Uint8Array) || labels.length !== t + 1) throw regimenError({ code: 'plugin', message: `plugin "${c.plugin.name}" failed in label(): returned ${labels?.length} labels for ${t + 1} bars` });
    tracks.push({ classifier: c.name, names: c.regimes, labels });
    const label = labels[t]!;
    const regime = label === NO_REGIME ? null : c.regimes[label] ?? null;
    let probabilities: Record<string, number> | undefined;
    if ((c.plugin.lastProbabilities || c.plugin.probabilities) && opts.probabilities !== false) {
      // the last row alone when the plugin can give it (a row per bar of a long history costs more than the decision)
      const row = c.plugin.lastProbabilities
        ? callHook(c.plugin.name, 'lastProbabilities', () => c.plugin.lastProbabilities!(cut, c.model, c.options))
        : callHook(c.plugin.name, 'probabilities', () => c.plugin.probabilities!(cut, c.model, c.options))[t];
      if (row) probabilities = Object.fromEntries(c.regimes.map((name, k) => [name, row[k]!]));
    }
    classifiers[c.name] = probabilities ? { regime, probabilities } : { regime };
  }
  const driving = tracks.find((x) => x.classifier === run.driving);
  if (!driving) throw regimenError({ code: 'workspace', file: run.paths.configResolved, field: 'validation.classifier', value: run.driving, message: 'is not one of the run\'s classifiers' });
  const input: AdaptiveInput = {
    bars: cut,
    window: { start: run.testStart, end: t + 1 },
    regime: driving,
    breakdown: tracks,
    strategies: run.strategies,
    winners: run.winners,
    weights: run.weights,
    costs: run.costs,
    barsPerYear: run.barsPerYear,
  };
  const { positions, legs } = adaptivePositions(input, run.engine);
  const regimeName = classifiers[run.driving]!.regime;
  const setting = regimeSetting(input, regimeName);
  const k = driving.labels[t]!;
  const strategies: Record<string, StrategyDecision> = {};
  for (const leg of legs) {
    const events = k === NO_REGIME ? null : leg.byRegime[k];
    const entry = regimeName ? run.winners[regimeName]?.[leg.strategy] : undefined;
    strategies[leg.strategy] = {
      params: setting.params[leg.strategy] ?? null,
      trial_id: entry?.trial_id ?? null,
      position: events ? positionAt(events, t) : 0,
      weight: setting.weights[leg.strategy] ?? 0,
    };
  }
  const target = positions[t]!;
  const previous = t === run.testStart ? 0 : positions[t - 1]!;
  return decisionObject(run, bars, t, { classifiers, regime: regimeName, strategies, weights: setting.weights, target, previous });
}

/** The Decision for bar t from its parts, fields in one order (`decide` and the stepped decisions build the same object). */
export function decisionObject(run: LiveRun, bars: BarColumns, t: number, p: { classifiers: Decision['classifiers']; regime: string | null; strategies: Record<string, StrategyDecision>; weights: Record<string, number>; target: number; previous: number }): Decision {
  return {
    kind: 'regimen.decision',
    bar: t,
    time: isoTime(bars.time[t]!),
    close: bars.close[t]!,
    in_history: t < run.historyBars,
    classifiers: p.classifiers,
    driving_classifier: run.driving,
    regime: p.regime,
    strategies: p.strategies,
    weights: p.weights,
    target_position: p.target,
    previous_position: p.previous,
    change: p.target - p.previous,
    identity: run.identity,
  };
}

/** The decisions at bars from..to−1, each from bars 0..t only (one `decide` per bar). */
export function decideRange(run: LiveRun, bars: BarColumns, from: number, to: number): Decision[] {
  const out: Decision[] = [];
  for (let t = from; t < to; t++) out.push(decide(run, bars, t));
  return out;
}
