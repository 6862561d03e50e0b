import { regimenError } from '@regimen/core';
import { ensureMemory, instantiateKernel, kernelModule, sharedKernelMemory, type KernelExports } from './kernel-module.js';
import { claimShared } from './shared-market.js';
import type { WasmMemory } from './webassembly-api.js';

/**
 * One kernel instance with its own memory, laid out by the host: a bump region that is reset
 * when the data set changes, and a pool of equal-sized series slots (one f64 per bar) for
 * indicator series and replay legs, reused across batches. Views are made fresh on every access
 * because growing the memory replaces its buffer.
 *
 * Over a shared market memory (`shared`), the bump region is a list of private chunks claimed
 * from the memory's atomic bump pointer (shared-market.ts): other threads allocate in the same
 * memory, so this one never assumes the bytes after its last chunk are its own.
 */
export interface KernelArena {
  readonly kernel: KernelExports;
  readonly memory: WasmMemory;
  /** bytes from the bump region (64-byte aligned) */
  alloc(bytes: number): number;
  /** forget everything allocated since `mark` (and every slot), e.g. on a new data set */
  resetTo(mark: number): void;
  top(): number;
  /** a series slot of at least `seriesBytes`, from the pool when one is free */
  takeSlot(seriesBytes: number): number;
  releaseSlot(ptr: number): void;
  f64(ptr: number, length: number): Float64Array;
  i32(ptr: number, length: number): Int32Array;
  u8(ptr: number, length: number): Uint8Array;
}

/** Page 0 is never used, so a null pointer (a null replay leg) never aliases data. */
const BASE = 65536;
const align = (x: number) => Math.ceil(x / 64) * 64;

/** bytes claimed at a time from a shared memory: a few series of 500k bars */
const CHUNK = 16 << 20;

export function createKernelArena(shared?: { memory: WasmMemory; header: number }): KernelArena {
  if (shared) return sharedArena(shared.memory, shared.header);
  const memory = sharedKernelMemory(BASE + 65536);
  let top = BASE;
  return arenaOver(instantiateKernel(memory, kernelModule()), memory, {
    alloc(bytes) {
      const at = top;
      top = align(top + Math.max(8, bytes));
      ensureMemory(memory, top);
      return at;
    },
    reset(mark) {
      if (mark < BASE) throw regimenError({ code: 'internal', value: mark, message: 'arena mark below its base' });
      top = mark;
    },
    top: () => top,
  });
}

/** A worker's arena inside the one shared memory: private chunks claimed from the bump pointer. */
function sharedArena(memory: WasmMemory, header: number): KernelArena {
  const chunks: { start: number; end: number }[] = [];
  let cur = 0;
  let top = 0;
  const claim = (bytes: number) => {
    const size = Math.max(CHUNK, align(bytes));
    const start = claimShared(memory, header, size);
    ensureMemory(memory, start + size);
    chunks.push({ start, end: start + size });
    cur = chunks.length - 1;
    top = start;
  };
  claim(CHUNK);
  return arenaOver(instantiateKernel(memory, kernelModule()), memory, {
    alloc(bytes) {
      const need = Math.max(8, bytes);
      // the current chunk, else a later one of ours (left by resetTo), else a new one
      while (align(top + need) > chunks[cur]!.end) {
        if (cur + 1 < chunks.length) top = chunks[++cur]!.start;
        else claim(need);
      }
      const at = top;
      top = align(top + need);
      return at;
    },
    reset(mark) {
      const i = chunks.findIndex((c) => c.start <= mark && mark <= c.end);
      if (i < 0) throw regimenError({ code: 'internal', value: mark, message: 'arena mark outside its chunks' });
      cur = i;
      top = mark;
    },
    top: () => top,
  });
}

/** What both arenas add to their allocator: a pool of series-sized slots, and typed views. */
function arenaOver(kernel: KernelArena['kernel'], memory: WasmMemory, core: { alloc(bytes: number): number; reset(mark: number): void; top(): number }): KernelArena {
  let free: number[] = [];
  let slotBytes = 0;
  return {
    kernel,
    memory,
    alloc: core.alloc,
    resetTo(mark) {
      core.reset(mark);
      free = [];
      slotBytes = 0;
    },
    top: core.top,
    takeSlot(seriesBytes) {
      if (seriesBytes > slotBytes) {
        // smaller slots belong to an older data set (which resetTo already dropped) or to a cut of
        // this one; from now on every slot has the new size
        free = [];
        slotBytes = seriesBytes;
      }
      // a slot may be larger than asked: a series of a cut (a prefix of the bars) reuses the pool
      return free.pop() ?? core.alloc(slotBytes);
    },
    releaseSlot(ptr) {
      free.push(ptr);
    },
    f64: (ptr, length) => new Float64Array(memory.buffer, ptr, length),
    i32: (ptr, length) => new Int32Array(memory.buffer, ptr, length),
    u8: (ptr, length) => new Uint8Array(memory.buffer, ptr, length),
  };
}
