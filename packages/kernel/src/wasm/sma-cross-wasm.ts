import { instantiateKernel, sharedKernelMemory } from './kernel-module.js';
import { DEFAULT_BLOCK, SMA_CROSS_ROW, marketRegionBytes, planBatch, slotLayout, stageBatch, writeMarket } from './sma-cross-plan.js';

export interface SmaCrossOptions {
  /** proportional cost per unit of position change (the standard benchmark: 0.001) */
  fee?: number;
  /** bars per time block */
  block?: number;
}

/**
 * The sma-cross grid on the WebAssembly kernel in the calling thread, as one batch.
 * Returns rows of [total_return, sharpe, max_drawdown, trades] per trial, in trial order.
 */
export function smaCrossWasm(prices: Float64Array, trials: Int32Array, options: SmaCrossOptions = {}): Float64Array {
  const fee = options.fee ?? 0.001;
  const block = options.block ?? DEFAULT_BLOCK;
  const plan = planBatch(trials, 0, trials.length / 2);
  const slot = slotLayout(marketRegionBytes(prices.length), plan.windows.length, plan.lanes.length / 2, block);
  const memory = sharedKernelMemory(slot.end);
  const market = writeMarket(memory, prices);
  const kernel = instantiateKernel(memory);
  const args = stageBatch(memory, market, slot, plan, fee, block);
  (kernel.smaCrossBatch as (...a: number[]) => void)(...args);
  return new Float64Array(memory.buffer, slot.out, plan.count * SMA_CROSS_ROW).slice();
}
