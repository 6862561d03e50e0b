import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { regimenError, type StrategyPlugin } from '@regimen/core';
import { staticState } from './wasm-sections.js';
import { wasmApi, type WasmMemory, type WasmModule } from './webassembly-api.js';

/**
 * A strategy plugin's WebAssembly (core's StrategyWasm): compiled once per thread, checked, and
 * instantiated once per kernel memory — the shared market's in a pool worker — so it reads the
 * columns where they are and writes the engine's position series in place.
 */
export interface StrategyWasmExports {
  positions(time: number, open: number, high: number, low: number, close: number, volume: number, bars: number, args: number, out: number, scratch: number): void;
}

const BUILD = '--importMemory --sharedMemory --enable threads --initialMemory 1 --maximumMemory 65536 --runtime stub';

const modules = new Map<string, WasmModule>();
const instances = new WeakMap<WasmMemory, Map<WasmModule, StrategyWasmExports>>();

function fail(plugin: StrategyPlugin, message: string, cause?: unknown): never {
  throw regimenError({ code: 'plugin', field: 'wasm', message: `strategy plugin "${plugin.name}": ${message}`, cause });
}

function hrefOf(where: URL | string): string {
  return where instanceof URL ? where.href : /^file:/.test(where) ? where : pathToFileURL(where).href;
}

/** The compiled module, after the checks that keep it from breaking the memory it shares. */
export function strategyModule(plugin: StrategyPlugin): WasmModule {
  const href = hrefOf(plugin.wasm!.module);
  let module = modules.get(href);
  if (module) return module;
  const file = fileURLToPath(href);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    fail(plugin, `cannot read its WebAssembly ${file} (${(e as NodeJS.ErrnoException).code}); build the plugin first`, e);
  }
  try {
    module = new wasmApi.Module(bytes);
  } catch (e) {
    fail(plugin, `${file} is not a WebAssembly module: ${(e as Error).message}`, e);
  }
  const imports = wasmApi.Module.imports(module);
  const stray = imports.find((x) => x.module !== 'env' || (x.name !== 'memory' && x.name !== 'abort'));
  if (stray) fail(plugin, `its WebAssembly imports ${stray.module}.${stray.name}; it may import only env.memory (and env.abort)`);
  if (!imports.some((x) => x.name === 'memory' && x.kind === 'memory')) fail(plugin, `its WebAssembly does not import its memory; build it with ${BUILD}`);
  if (!wasmApi.Module.exports(module).some((x) => x.name === 'positions' && x.kind === 'function')) fail(plugin, 'its WebAssembly exports no function "positions"');
  const state = staticState(bytes);
  if (state.dataSegments > 0 || state.mutableGlobals > 0) {
    fail(plugin, `its WebAssembly has ${state.dataSegments > 0 ? 'static data (strings, constant arrays)' : 'mutable globals (a heap or state)'}; ` +
      'it shares the engine\'s memory with other threads, so it may not allocate or keep state: use the scratch the host passes');
  }
  modules.set(href, module);
  return module;
}

/** The plugin's instance over `memory` (one per memory and module, made on first use). */
export function strategyWasm(plugin: StrategyPlugin, memory: WasmMemory): StrategyWasmExports {
  const module = strategyModule(plugin);
  let byModule = instances.get(memory);
  if (!byModule) instances.set(memory, (byModule = new Map()));
  let exports = byModule.get(module);
  if (!exports) {
    const abort = (_message: number, _file: number, line: number, column: number) => {
      throw new Error(`WebAssembly abort at ${line}:${column}`);
    };
    try {
      exports = new wasmApi.Instance(module, { env: { memory, abort } }).exports as unknown as StrategyWasmExports;
    } catch (e) {
      fail(plugin, `its WebAssembly cannot use the engine's shared memory (${(e as Error).message}); build it with ${BUILD}`, e);
    }
    byModule.set(module, exports);
  }
  return exports;
}
