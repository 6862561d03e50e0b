import { regimenError, type BarColumns, type StrategyPlugin } from '@regimen/core';
import type { StrategyParams } from '../reference/strategies/catalog.js';
import { causalityCuts, firstLookAhead, lookAheadMessage } from '../strategy-plugins/causality.js';
import { pluginPositions } from '../strategy-plugins/positions.js';
import { createKernelArena, type KernelArena } from './kernel-arena.js';
import { kernelDataCache, type KernelData } from './kernel-data.js';
import { writePluginPositions } from './plugin-trials.js';

/**
 * A strategy plugin's WebAssembly against its TypeScript reference, on the path the engine runs
 * (writePluginPositions into a kernel instance of this thread): for the workflow's preflight
 * and the conformance kit.
 */
let check: { arena: KernelArena; dataFor: (close: Float64Array) => KernelData } | undefined;

function checkArena() {
  if (!check) {
    const arena = createKernelArena();
    check = { arena, dataFor: kernelDataCache(arena, arena.top()) };
  }
  return check;
}

export interface WasmRun {
  positions: Float64Array;
  /** the first byte outside its output and scratch the module changed, or −1 */
  strayWrite: number;
}

/**
 * Positions from the plugin's WebAssembly (checked and with side applied, as in a trial). With
 * `watchMemory`, the whole memory is compared before and after the call, so a module that writes
 * anywhere but its output and scratch is caught (in a pool it would overwrite another thread's data).
 */
export function wasmStrategyPositions(plugin: StrategyPlugin, bars: BarColumns, params: StrategyParams, watchMemory = false): WasmRun {
  const { arena, dataFor } = checkArena();
  const data = dataFor(bars.close);
  // columns are copied on first use: copy them before the snapshot, so only the call is watched
  for (const c of [bars.time, bars.open, bars.high, bars.low, bars.volume]) if (c) data.column(c);
  const before = watchMemory ? new Uint8Array(arena.memory.buffer).slice() : undefined;
  const region = writePluginPositions(arena, data, bars, plugin, params);
  const positions = arena.f64(data.pos, data.length).slice();
  let strayWrite = -1;
  if (before && region) {
    const after = new Uint8Array(arena.memory.buffer);
    const pos = [data.pos, data.pos + data.length * 8];
    for (let b = 0; b < before.length; b++) {
      if (after[b] !== before[b] && !(b >= pos[0]! && b < pos[1]!) && !(b >= region[0] && b < region[1])) {
        strayWrite = b;
        break;
      }
    }
  }
  return { positions, strayWrite };
}

/** The first bar where two position series differ, or −1. */
export function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let t = 0; t < a.length; t++) if (a[t] !== b[t]) return t;
  return -1;
}

/**
 * Run a strategy plugin as a trial would, before any trial runs: its TypeScript positions must be
 * valid (one per bar, finite, in [−1, 1], 0 during warm-up; it must not throw) and causal on the
 * data cut at a few random points and position changes, and a WebAssembly implementation must
 * load, share the memory and give the same positions bit for bit.
 */
export function checkStrategyPlugin(plugin: StrategyPlugin, bars: BarColumns, params: StrategyParams): void {
  const reference = pluginPositions(plugin, bars, params);
  const cuts = causalityCuts(reference, { random: 4, changes: 8 });
  const peek = firstLookAhead((b) => pluginPositions(plugin, b, params), bars, reference, cuts);
  if (peek) throw regimenError({ code: 'plugin', message: `strategy plugin "${plugin.name}" ${lookAheadMessage(peek, reference.length, params)}` });
  if (!plugin.wasm) return;
  const { positions } = wasmStrategyPositions(plugin, bars, params);
  const t = firstDifference(positions, reference);
  if (t >= 0) {
    throw regimenError({
      code: 'plugin',
      message: `strategy plugin "${plugin.name}": its WebAssembly positions differ from its TypeScript positions() at bar ${t} (${positions[t]} vs ${reference[t]}) with ${JSON.stringify(params)}`,
    });
  }
}
