import type { BarColumns, StrategyPlugin } from '@regimen/core';
import type { StrategyParams } from '../reference/strategies/catalog.js';
import { badPositionError, hookError, warmupOf } from '../strategy-plugins/finish.js';
import { callPositions } from '../strategy-plugins/positions.js';
import type { KernelArena } from './kernel-arena.js';
import type { KernelData } from './kernel-data.js';
import { strategyWasm } from './strategy-wasm.js';

const align = (x: number) => Math.ceil(x / 64) * 64;

/**
 * Positions of one plugin trial into data.pos, where the kernel's PnL and metrics loop reads
 * them: the plugin's WebAssembly over the columns in kernel memory when it ships one, else its
 * TypeScript `positions` writing straight into the engine's series (a view, no copy). Either way
 * the kernel then checks them (finite, in [−1, 1], 0 during warm-up) and applies `side`.
 * Returns the memory range [start, end) the module was given for its args and scratch (null for
 * TypeScript), for the kit's check that a module writes nothing else.
 */
export function writePluginPositions(arena: KernelArena, data: KernelData, bars: BarColumns, plugin: StrategyPlugin, params: StrategyParams): [number, number] | null {
  const len = data.length;
  let region: [number, number] | null = null;
  if (plugin.wasm) {
    const wasm = strategyWasm(plugin, arena.memory);
    const args = wasmArgs(plugin, params);
    let scratch = 0;
    try {
      scratch = plugin.wasm.scratchBytes?.(params, len) ?? 0;
    } catch (e) {
      throw hookError(plugin, 'wasm.scratchBytes()', e);
    }
    const argBytes = align(Math.max(8, args.length * 8));
    const at = data.scratch(argBytes + Math.max(0, scratch), 1);
    region = [at, at + argBytes + Math.max(0, scratch)];
    arena.f64(at, args.length).set(args);
    arena.f64(data.pos, len).fill(0);
    const time = data.column(bars.time);
    const open = data.column(bars.open);
    const high = data.high(bars.high);
    const low = data.low(bars.low);
    const volume = bars.volume ? data.column(bars.volume) : 0;
    try {
      wasm.positions(time, open, high, low, data.close, volume, len, at, data.pos, at + argBytes);
    } catch (e) {
      throw hookError(plugin, 'its WebAssembly positions', e);
    }
  } else {
    callPositions(plugin, bars, params, arena.f64(data.pos, len));
  }
  const warm = warmupOf(plugin, params, len);
  const bad = arena.kernel.finishPositions(data.pos, len, warm, params.side === 'long_only' ? 1 : 0);
  if (bad >= 0) throw badPositionError(plugin, plugin.wasm ? 'wasm positions' : 'positions()', arena.f64(data.pos, len), bad, warm);
  return region;
}

function wasmArgs(plugin: StrategyPlugin, params: StrategyParams): number[] {
  let args: unknown;
  try {
    args = plugin.wasm!.args(params);
  } catch (e) {
    throw hookError(plugin, 'wasm.args()', e);
  }
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'number')) {
    throw hookError(plugin, 'wasm.args()', new Error('it must return an array of numbers'));
  }
  return args as number[];
}
