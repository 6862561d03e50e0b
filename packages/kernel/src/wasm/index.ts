export { kernelWasmPath, kernelModule, instantiateKernel, sharedKernelMemory, type KernelExports } from './kernel-module.js';
export type { WasmMemory, WasmModule } from './webassembly-api.js';
export { smaCrossGrid, standardSmaCrossGrid, SMA_CROSS_ROW, DEFAULT_BLOCK } from './sma-cross-plan.js';
export { smaCrossWasm, type SmaCrossOptions } from './sma-cross-wasm.js';
export { createSmaCrossPool, type SmaCrossPool, type SmaCrossPoolOptions, type SmaCrossRunOptions } from './sma-cross-pool.js';
export { smaCrossReference, runningSma } from './sma-cross-reference.js';
export { randomWalk } from './random-walk.js';
export { createWasmEngine, loadWasmEngine } from './wasm-engine.js';
