import { regimenError } from '@regimen/core';
import { ensureMemory, instantiateKernel, kernelModule, sharedKernelMemory, type KernelExports } from './kernel-module.js';
import type { WasmMemory } from './webassembly-api.js';

/**
 * One kernel instance with its own memory, laid out by the host: a bump region that is reset
 * when the data set changes, and a pool of equal-sized series slots (one f64 per bar) for
 * indicator series and replay legs, reused across batches. Views are made fresh on every access
 * because growing the memory replaces its buffer.
 */
export interface KernelArena {
  readonly kernel: KernelExports;
  readonly memory: WasmMemory;
  /** bytes from the bump region (64-byte aligned) */
  alloc(bytes: number): number;
  /** forget everything allocated since `mark` (and every slot), e.g. on a new data set */
  resetTo(mark: number): void;
  top(): number;
  /** a series slot of `seriesBytes`, from the pool when one is free */
  takeSlot(seriesBytes: number): number;
  releaseSlot(ptr: number): void;
  f64(ptr: number, length: number): Float64Array;
  i32(ptr: number, length: number): Int32Array;
  u8(ptr: number, length: number): Uint8Array;
}

/** Page 0 is never used, so a null pointer (a null replay leg) never aliases data. */
const BASE = 65536;
const align = (x: number) => Math.ceil(x / 64) * 64;

export function createKernelArena(): KernelArena {
  const memory = sharedKernelMemory(BASE + 65536);
  const kernel = instantiateKernel(memory, kernelModule());
  let top = BASE;
  let free: number[] = [];
  let slotBytes = 0;
  return {
    kernel,
    memory,
    alloc(bytes) {
      const at = top;
      top = align(top + Math.max(8, bytes));
      ensureMemory(memory, top);
      return at;
    },
    resetTo(mark) {
      if (mark < BASE) throw regimenError({ code: 'internal', value: mark, message: 'arena mark below its base' });
      top = mark;
      free = [];
      slotBytes = 0;
    },
    top: () => top,
    takeSlot(seriesBytes) {
      if (seriesBytes !== slotBytes) {
        // slots of another length belong to an older data set, which resetTo already dropped
        free = [];
        slotBytes = seriesBytes;
      }
      return free.pop() ?? this.alloc(seriesBytes);
    },
    releaseSlot(ptr) {
      free.push(ptr);
    },
    f64: (ptr, length) => new Float64Array(memory.buffer, ptr, length),
    i32: (ptr, length) => new Int32Array(memory.buffer, ptr, length),
    u8: (ptr, length) => new Uint8Array(memory.buffer, ptr, length),
  };
}
