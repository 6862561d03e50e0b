import type { Engine } from '@regimen/core';
import { regimenError } from '@regimen/core';
import * as kernel from '@regimen/kernel';

export type EngineName = 'js' | 'wasm';

/**
 * `js` is the TypeScript reference engine; `wasm` the AssemblyScript kernel. Both implement the
 * same Engine interface, so nothing above this function knows which runs.
 */
export async function loadEngine(name: EngineName): Promise<Engine> {
  if (name === 'js') return kernel.referenceEngine;
  const k = kernel as unknown as { loadWasmEngine?: () => Promise<Engine> };
  if (typeof k.loadWasmEngine !== 'function') {
    throw regimenError({ code: 'usage', field: '--engine', value: name, message: 'the WebAssembly engine is not available in this build; use --engine js' });
  }
  return k.loadWasmEngine();
}
