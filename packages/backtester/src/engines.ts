import type { Engine } from '@regimen/core';
import { loadWasmEngine, referenceEngine } from '@regimen/kernel';

export type EngineName = 'js' | 'wasm';

/**
 * `js` is the TypeScript reference engine; `wasm` the AssemblyScript kernel (one instance per
 * thread), which gives the same rows bit for bit. Both implement the same Engine interface, so
 * nothing above this function knows which runs. A missing kernel build is a one-line error
 * naming the command that builds it (@regimen/kernel kernelWasmPath).
 */
export async function loadEngine(name: EngineName): Promise<Engine> {
  return name === 'js' ? referenceEngine : loadWasmEngine();
}
