import { isRegimenError, type BarColumns, type StrategyPlugin } from '@regimen/core';
import {
  causalityCuts, firstDifference, firstLookAhead, lookAheadMessage, parseStrategyPluginParams, pluginPositions, wasmStrategyPositions,
  type LookAhead, type StrategyParams,
} from '@regimen/kernel';
import { sliceBars } from './bars.js';
import type { CheckResult } from './checks.js';

/**
 * Checks of a strategy plugin, each a plain function returning { ok, message? }. Positions are
 * computed exactly as the engines compute them for a trial (@regimen/kernel pluginPositions: the
 * plugin's `positions`, checked — one per bar, finite, in [−1, 1], 0 during warm-up — and `side`
 * applied), so a plugin that passes here behaves the same in a workflow.
 */

/** Parameters as a trial gets them: the plugin's schema with its defaults, plus `side`. */
export function strategyParams(plugin: StrategyPlugin, raw: Record<string, unknown> = {}): StrategyParams {
  return parseStrategyPluginParams(plugin, raw);
}

/** Positions as a trial computes them (throws the one-line error a workflow would show). */
export function strategyPositions(plugin: StrategyPlugin, bars: BarColumns, params: StrategyParams): Float64Array {
  return pluginPositions(plugin, bars, params);
}

function attempt(run: () => Float64Array): Float64Array | string {
  try {
    return run();
  } catch (e) {
    return isRegimenError(e) || e instanceof Error ? e.message : String(e);
  }
}

/**
 * Where to cut the data: `random` seeded points, and for up to `changes` position changes of the
 * full run (spread over the series) the bar of the change and the bar before it — a rule that
 * peeks at bar t+1 decides differently at bar t once bar t+1 is gone. Cut c keeps bars 0..c.
 */
export function strategyCuts(full: Float64Array, opts: { random?: number; changes?: number; seed?: number } = {}): number[] {
  return causalityCuts(full, opts);
}

/**
 * Causality: the positions on data cut after bar c (a copy of bars 0..c) equal the full run's
 * positions 0..c, for every cut. On failure the message names the earliest bar that differs over all cuts.
 */
export function checkStrategyCausality(plugin: StrategyPlugin, params: StrategyParams, data: BarColumns, cuts?: number[]):
  CheckResult & { firstMismatch?: LookAhead } {
  const full = attempt(() => strategyPositions(plugin, data, params));
  if (typeof full === 'string') return { ok: false, message: full };
  let peek: LookAhead | undefined;
  try {
    peek = firstLookAhead((b) => strategyPositions(plugin, b, params), data, full, cuts ?? strategyCuts(full), sliceBars);
  } catch (e) {
    return { ok: false, message: `on a cut of the data: ${(e as Error).message}` };
  }
  return peek ? { ok: false, firstMismatch: peek, message: lookAheadMessage(peek, data.close.length, params) } : { ok: true };
}

/** Determinism: the same bars (and a copy of them) give the same positions; the bars are not modified. */
export function checkStrategyDeterminism(plugin: StrategyPlugin, params: StrategyParams, data: BarColumns): CheckResult {
  const copy = sliceBars(data, data.close.length);
  const a = attempt(() => strategyPositions(plugin, data, params));
  if (typeof a === 'string') return { ok: false, message: a };
  for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
    const before = copy[k];
    const after = data[k];
    if (before && after && firstDifference(before, after) >= 0) return { ok: false, message: `positions() modified bars.${k} at bar ${firstDifference(before, after)}` };
  }
  for (const [what, bars] of [['the same bars again', data], ['a copy of the bars', copy]] as const) {
    const b = attempt(() => strategyPositions(plugin, bars, params));
    if (typeof b === 'string') return { ok: false, message: b };
    const t = firstDifference(a, b);
    if (t >= 0) return { ok: false, message: `not deterministic: bar ${t}: position ${a[t]} then ${b[t]} on ${what} (${JSON.stringify(params)})` };
  }
  return { ok: true };
}

/**
 * Warm-up and range: one position per bar, finite, in [−1, 1], and 0 before warmup(params) — the
 * rules every trial enforces (this names the bar that breaks them).
 */
export function checkStrategyPositions(plugin: StrategyPlugin, params: StrategyParams, data: BarColumns): CheckResult {
  const r = attempt(() => strategyPositions(plugin, data, params));
  return typeof r === 'string' ? { ok: false, message: r } : { ok: true };
}

/**
 * The parameter schema: `{}` is valid (every parameter has a default), an unknown parameter is
 * rejected (so a typo is an error, not a silent default), and `side` is left to the host.
 */
export function checkStrategySchema(plugin: StrategyPlugin): CheckResult {
  const empty = plugin.params.safeParse({});
  if (!empty.success) return { ok: false, message: `{} is not valid (give every parameter a default): ${empty.error.issues[0]?.message}` };
  if (plugin.params.safeParse({ no_such_parameter_xyz: 1 }).success) return { ok: false, message: 'an unknown parameter is accepted; make the schema .strict()' };
  if (plugin.params.safeParse({ side: 'long_short' }).success) return { ok: false, message: 'the schema declares `side`; the host adds and applies it' };
  return { ok: true };
}

/**
 * The plugin's WebAssembly equals its TypeScript `positions` bit for bit, on the engine's path,
 * and writes no byte of memory outside its output and its scratch (other threads' data live there).
 */
export function checkStrategyWasm(plugin: StrategyPlugin, params: StrategyParams, data: BarColumns): CheckResult {
  if (!plugin.wasm) return { ok: true };
  const reference = attempt(() => strategyPositions(plugin, data, params));
  if (typeof reference === 'string') return { ok: false, message: reference };
  let run: ReturnType<typeof wasmStrategyPositions>;
  try {
    run = wasmStrategyPositions(plugin, data, params, true);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const t = firstDifference(run.positions, reference);
  if (t >= 0) return { ok: false, message: `WebAssembly differs from positions() at bar ${t}: ${run.positions[t]} vs ${reference[t]} (${JSON.stringify(params)})` };
  if (run.strayWrite >= 0) return { ok: false, message: `WebAssembly wrote memory byte ${run.strayWrite}, outside its output and scratch` };
  return { ok: true };
}
