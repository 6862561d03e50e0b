import { Piscina } from 'piscina';
import { regimenError } from '@regimen/core';
import { ensureMemory, kernelModule, sharedKernelMemory } from './kernel-module.js';
import {
  DEFAULT_BLOCK, SMA_CROSS_ROW, marketRegionBytes, planBatches, slotLayout, stageBatch, writeMarket,
  type MarketRegion, type SlotLayout,
} from './sma-cross-plan.js';
import type { SmaCrossOptions } from './sma-cross-wasm.js';

export interface SmaCrossPoolOptions {
  workers: number;
}

export interface SmaCrossRunOptions extends SmaCrossOptions {
  /** batches per worker (default 1): more balance the load, fewer recompute fewer indicators */
  batchesPerWorker?: number;
}

/**
 * A Piscina pool of kernel workers over one shared WebAssembly memory holding a data set.
 * The prices are copied into the memory once, at creation; every worker instantiates the kernel
 * against that memory once. A run sends each worker batches of trials (pointers only, never
 * market data) and gets compact result rows back.
 */
export interface SmaCrossPool {
  readonly workers: number;
  readonly bars: number;
  /** Rows of [total_return, sharpe, max_drawdown, trades] per trial, in trial order. */
  run(trials: Int32Array, options?: SmaCrossRunOptions): Promise<Float64Array>;
  /** bytes of the shared memory (market data and every worker's scratch) */
  memoryBytes(): number;
  close(): Promise<void>;
}

const workerFile = new URL('./worker.mjs', import.meta.url).href;

export async function createSmaCrossPool(prices: Float64Array, options: SmaCrossPoolOptions): Promise<SmaCrossPool> {
  const workers = options.workers;
  if (!Number.isInteger(workers) || workers < 1) {
    throw regimenError({ code: 'usage', field: 'workers', value: workers, message: 'workers must be a positive integer' });
  }
  const memory = sharedKernelMemory(marketRegionBytes(prices.length));
  const market: MarketRegion = writeMarket(memory, prices);
  const module = kernelModule();
  const piscina = new Piscina({
    filename: workerFile,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { module, memory },
  });
  // Start every worker (thread, kernel instance) now, so a run's time excludes loading.
  await Promise.all(Array.from({ length: workers }, () =>
    piscina.run({ routine: 'smaCrossStateBytes', args: [4], out: 0, length: 0 })));
  return {
    workers,
    bars: market.bars,
    memoryBytes: () => memory.buffer.byteLength,
    close: () => piscina.close(),
    async run(trials, runOptions = {}) {
      const fee = runOptions.fee ?? 0.001;
      const block = runOptions.block ?? DEFAULT_BLOCK;
      const plans = planBatches(trials, workers * (runOptions.batchesPerWorker ?? 1));
      // One scratch slot per concurrent task: a task leases a slot and returns it when done, so
      // no two workers ever write the same bytes.
      const maxWindows = Math.max(...plans.map((b) => b.windows.length));
      const maxLanes = Math.max(...plans.map((b) => b.lanes.length / 2));
      const slots: SlotLayout[] = [];
      let at = market.end;
      for (let i = 0; i < Math.min(workers, plans.length); i++) {
        slots.push(slotLayout(at, maxWindows, maxLanes, block));
        at = slots[i].end;
      }
      ensureMemory(memory, at);
      const rows = new Float64Array((trials.length / 2) * SMA_CROSS_ROW);
      let next = 0;
      const drain = async (slot: SlotLayout) => {
        while (next < plans.length) {
          const plan = plans[next++];
          const args = stageBatch(memory, market, slot, plan, fee, block);
          const out: Float64Array = await piscina.run({
            routine: 'smaCrossBatch', args, out: slot.out, length: plan.count * SMA_CROSS_ROW,
          });
          rows.set(out, plan.first * SMA_CROSS_ROW);
        }
      };
      await Promise.all(slots.map(drain));
      return rows;
    },
  };
}
