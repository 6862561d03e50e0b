import { isRegimenError, regimenError, type RegimenError, type Side, type StrategyPlugin } from '@regimen/core';

/**
 * The host's side of a plugin's positions (the kernel's finishPositions, assembly/plugin-positions.ts,
 * does the same in place): every value finite and in [−1, 1], 0 before the warm-up bar; then
 * long_only maps short positions to flat. Returns the first bar that breaks a rule, or −1.
 */
export function finishPositions(pos: Float64Array, warm: number, longOnly: boolean): number {
  for (let t = 0; t < pos.length; t++) {
    const v = pos[t];
    if (!(v >= -1 && v <= 1) || (t < warm && v !== 0)) return t;
    if (longOnly && v < 0) pos[t] = 0;
  }
  return -1;
}

/** One line naming the plugin, the bar and the value a bad position series has. */
export function badPositionError(plugin: StrategyPlugin, engine: 'positions()' | 'wasm positions' | 'step()', pos: Float64Array, bar: number, warm: number): RegimenError {
  const v = pos[bar];
  const why = v >= -1 && v <= 1 ? `, but the first ${warm} bars (its warm-up) must be 0` : ': positions must be finite and in [−1, 1]';
  return regimenError({ code: 'plugin', message: `strategy plugin "${plugin.name}": ${engine} gave ${v} at bar ${bar}${why}` });
}

/** Anything a hook throws becomes one line naming the plugin and the hook (a RegimenError stays as it is). */
export function hookError(plugin: StrategyPlugin, hook: string, e: unknown): RegimenError {
  if (isRegimenError(e)) return e;
  return regimenError({ code: 'plugin', message: `strategy plugin "${plugin.name}" failed in ${hook}: ${(e as Error)?.message ?? String(e)}`, cause: e });
}

/** warmup(params) as a bar index: a whole number ≥ 0 (at most `bars`, where no bar qualifies). */
export function warmupOf(plugin: StrategyPlugin, params: { side: Side }, bars: number): number {
  let w: unknown;
  try {
    w = plugin.warmup(params);
  } catch (e) {
    throw hookError(plugin, 'warmup()', e);
  }
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 0) {
    throw regimenError({ code: 'plugin', value: w, message: `strategy plugin "${plugin.name}": warmup() must return a whole number of bars ≥ 0` });
  }
  return Math.min(w, bars);
}
