import { regimenError, type BarColumns, type RegimeTrack } from '@regimen/core';
import { instantiateKernel, kernelModule, sharedKernelMemory } from './kernel-module.js';
import type { WasmMemory } from './webassembly-api.js';

/**
 * A data set placed once in a shared WebAssembly memory: the bar columns, close's bar returns
 * and the regime labels, at fixed offsets. The descriptor is plain data plus the memory, so it
 * crosses to a worker in a message; the worker instantiates its kernel against that memory
 * (createSharedWasmEngine) and reads the data in place. Workers take their scratch from the
 * same memory, past the data, in chunks claimed with an atomic bump pointer in the header, so
 * no two workers ever write the same bytes.
 */
export interface SharedMarket {
  readonly memory: WasmMemory;
  readonly bars: number;
  readonly columns: { time: number; open: number; high: number; low: number; close: number; volume?: number };
  readonly returns: number;
  readonly regimes: { classifier: string; names: string[]; at: number; length: number }[];
  /** byte offset of the header: a u32, the next free byte (the bump pointer) */
  readonly header: number;
  /** first byte after the data */
  readonly end: number;
}

/** Page 0 stays unused, so a null pointer (a null replay leg) never aliases data. */
const HEADER = 65536;
const align = (x: number) => Math.ceil(x / 64) * 64;

interface Placed {
  memory: WasmMemory;
  at: number;
  /** for close: where its bar returns are */
  returns?: number;
}

/** views made by openSharedMarket → where they sit in which memory (kernel-data reads them in place) */
const placed = new WeakMap<object, Placed>();

export function placedIn(memory: WasmMemory, view: ArrayBufferView): Placed | undefined {
  const p = placed.get(view);
  return p && p.memory === memory ? p : undefined;
}

/** Copies bars and regime labels once into a new shared memory sized by the data. */
export function shareMarket(bars: BarColumns, regimes: RegimeTrack[]): SharedMarket {
  const n = bars.close.length;
  const f64 = align(n * 8);
  // close-only data repeats one column as open/high/low: it is placed once
  const distinct = [bars.time, bars.open, bars.high, bars.low, bars.volume].filter((c, i, all): c is Float64Array =>
    c !== undefined && c !== bars.close && all.indexOf(c) === i);
  for (const c of distinct) {
    if (c.length !== n) throw regimenError({ code: 'internal', field: 'bars', value: c.length, message: `a column has ${c.length} bars, close has ${n}` });
  }
  const labelBytes = regimes.reduce((s, t) => s + align(Math.max(1, t.labels.length)), 0);
  const end = HEADER + 64 + (2 + distinct.length) * f64 + labelBytes;
  const memory = sharedKernelMemory(end);
  const buffer = memory.buffer;
  let top = HEADER + 64;
  const take = (bytes: number) => {
    const at = top;
    top += align(bytes);
    return at;
  };
  const close = take(n * 8);
  new Float64Array(buffer, close, n).set(bars.close);
  const returns = take(n * 8);
  instantiateKernel(memory, kernelModule()).barReturns(close, n, returns);
  const at = new Map<Float64Array, number>([[bars.close, close]]);
  for (const c of distinct) {
    const p = take(n * 8);
    new Float64Array(buffer, p, n).set(c);
    at.set(c, p);
  }
  const tracks = regimes.map((t) => {
    const p = take(Math.max(1, t.labels.length));
    new Uint8Array(buffer, p, t.labels.length).set(t.labels);
    return { classifier: t.classifier, names: t.names, at: p, length: t.labels.length };
  });
  new Uint32Array(buffer, HEADER, 1)[0] = end;
  return {
    memory,
    bars: n,
    columns: {
      time: at.get(bars.time)!, open: at.get(bars.open)!, high: at.get(bars.high)!, low: at.get(bars.low)!, close,
      ...(bars.volume ? { volume: at.get(bars.volume)! } : {}),
    },
    returns,
    regimes: tracks,
    header: HEADER,
    end,
  };
}

/** Views over a shared market (no copy), registered so the kernel finds them in its memory. */
export function openSharedMarket(market: SharedMarket): { bars: BarColumns; regimes: RegimeTrack[] } {
  const { memory, bars: n, columns: c } = market;
  const buffer = memory.buffer;
  const views = new Map<number, Float64Array>();
  const column = (at: number) => {
    let v = views.get(at);
    if (!v) {
      v = new Float64Array(buffer, at, n);
      placed.set(v, at === c.close ? { memory, at, returns: market.returns } : { memory, at });
      views.set(at, v);
    }
    return v;
  };
  const bars: BarColumns = {
    time: column(c.time), open: column(c.open), high: column(c.high), low: column(c.low), close: column(c.close),
    ...(c.volume !== undefined ? { volume: column(c.volume) } : {}),
  };
  const regimes = market.regimes.map((t) => {
    const labels = new Uint8Array(buffer, t.at, t.length);
    placed.set(labels, { memory, at: t.at });
    return { classifier: t.classifier, names: t.names, labels };
  });
  return { bars, regimes };
}

/** Claims `bytes` (64-byte aligned) of the shared memory past the data for one thread's scratch. */
export function claimShared(memory: WasmMemory, header: number, bytes: number): number {
  const size = align(bytes);
  return Atomics.add(new Uint32Array(memory.buffer, header, 1), 0, size);
}
