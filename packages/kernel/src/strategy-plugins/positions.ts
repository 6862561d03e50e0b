import { regimenError, type BarColumns, type Side, type StrategyPlugin } from '@regimen/core';
import { badPositionError, finishPositions, hookError, warmupOf } from './finish.js';

/**
 * Calls a plugin's TypeScript `positions` into `out` (zeroed here): it fills `out`, or returns a
 * Float64Array of one position per bar, which is copied in.
 */
export function callPositions(plugin: StrategyPlugin, bars: BarColumns, params: { side: Side }, out: Float64Array): void {
  out.fill(0);
  let r: unknown;
  try {
    r = plugin.positions(bars, params, out);
  } catch (e) {
    throw hookError(plugin, 'positions()', e);
  }
  if (r === undefined || r === out) return;
  if (!(r instanceof Float64Array)) {
    throw regimenError({ code: 'plugin', message: `strategy plugin "${plugin.name}": positions() must fill out or return a Float64Array, not ${r === null ? 'null' : typeof r}` });
  }
  if (r.length !== out.length) {
    throw regimenError({ code: 'plugin', message: `strategy plugin "${plugin.name}": positions() returned ${r.length} positions for ${out.length} bars` });
  }
  out.set(r);
}

/**
 * The target positions of a plugin strategy as the reference engine runs them: its TypeScript
 * `positions`, checked (finite, in [−1, 1], 0 during warm-up) and with `side` applied.
 */
export function pluginPositions(plugin: StrategyPlugin, bars: BarColumns, params: { side: Side }): Float64Array {
  const out = new Float64Array(bars.close.length);
  callPositions(plugin, bars, params, out);
  const warm = warmupOf(plugin, params, out.length);
  const bad = finishPositions(out, warm, params.side === 'long_only');
  if (bad >= 0) throw badPositionError(plugin, 'positions()', out, bad, warm);
  return out;
}
