import { regimenError, type BarColumns, type TrialSpec } from '@regimen/core';
import { isStrategyType, parseStrategyParams, strategyDefinition, strategyPluginOf, type StrategyParams } from '../reference/strategies/catalog.js';
import { badPositionError, finishPositions, hookError, warmupOf } from './finish.js';

/** A trial's step state: bars seen so far and the strategy's own state after them. */
export interface TrialStepState {
  t: number;
  state: unknown;
}

/** Whether a trial's strategy can be stepped (a built-in, or a plugin with a `step` hook). */
export function canStepTrial(type: string): boolean {
  return isStrategyType(type) ? strategyDefinition(type).step !== undefined : strategyPluginOf(type).step !== undefined;
}

const parsed = new WeakMap<object, StrategyParams>();

/** A trial's parameters parsed once per params object (a live call steps the same trials bar by bar). */
function parsedParams(trial: Pick<TrialSpec, 'type' | 'params'>): StrategyParams {
  let p = parsed.get(trial.params);
  if (!p) parsed.set(trial.params, (p = parseStrategyParams(trial.type, trial.params)));
  return p;
}

/**
 * A trial's positions at the next `bars` from its step state (null: from bar 0), bit for bit
 * `trialPositions` at those bars: a built-in's own step, or a plugin's `step` hook with the host's
 * finish (finite, in [−1, 1], 0 before warm-up at the absolute bar, `side` applied) — what
 * `pluginPositions` does after `positions`. Callers check `canStepTrial` first.
 */
export function stepTrial(trial: Pick<TrialSpec, 'type' | 'params'>, prior: TrialStepState | null, bars: BarColumns): { positions: Float64Array; state: TrialStepState } {
  const params = parsedParams(trial);
  const out = new Float64Array(bars.close.length);
  const t = prior?.t ?? 0;
  if (isStrategyType(trial.type)) {
    const state = strategyDefinition(trial.type).step!(prior?.state ?? null, bars, params, out);
    return { positions: out, state: { t: t + out.length, state } };
  }
  const plugin = strategyPluginOf(trial.type);
  if (!plugin.step) throw regimenError({ code: 'internal', message: `strategy plugin "${plugin.name}" has no step hook` });
  let state: unknown;
  try {
    state = plugin.step(prior?.state ?? null, bars, params, out);
  } catch (e) {
    throw hookError(plugin, 'step()', e);
  }
  // the warm-up and range rules at absolute bars: finish a series that starts at bar t
  const warm = Math.max(0, warmupOf(plugin, params, Number.MAX_SAFE_INTEGER) - t);
  const bad = finishPositions(out, Math.min(warm, out.length), params.side === 'long_only');
  if (bad >= 0) throw badPositionError(plugin, 'step()', out, bad, warm + t);
  return { positions: out, state: { t: t + out.length, state } };
}
