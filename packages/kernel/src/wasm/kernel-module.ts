import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { regimenError } from '@regimen/core';
import { wasmApi, type WasmMemory, type WasmModule } from './webassembly-api.js';

/**
 * The compiled AssemblyScript kernel (`asc`, the package's build target) is a build output in
 * dist/, never committed. It is found both from the TypeScript sources (src/wasm → ../../dist)
 * and from the compiled package (dist/wasm → ..).
 */
const candidates = [new URL('../kernel.wasm', import.meta.url), new URL('../../dist/kernel.wasm', import.meta.url)];

export function kernelWasmPath(): string {
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw regimenError({
    code: 'internal',
    file: fileURLToPath(candidates[candidates.length - 1]),
    message: 'the WebAssembly kernel is not built; run `npm run build -w @regimen/kernel`',
  });
}

let compiled: WasmModule | undefined;

/** The kernel module, compiled once per thread; a Module can be sent to workers as is. */
export function kernelModule(): WasmModule {
  compiled ??= new wasmApi.Module(readFileSync(kernelWasmPath()));
  return compiled;
}

/** Exports of the kernel (pointer/length routines; all pointers are byte offsets). */
export interface KernelExports {
  smaBlock(p: number, windows: number, nWindows: number, sums: number, table: number, rowBytes: number, t0: number, t1: number): void;
  smaCrossBatch(prices: number, returns: number, n: number, windows: number, nWindows: number, lanes: number, nLanes: number,
    fee: number, block: number, sums: number, table: number, state: number, out: number): void;
  smaCrossStateBytes(lanes: number): number;
  // the general engine (assembly/indicators.ts, strategies.ts, evaluate.ts); booleans as 0/1
  smaSeries(x: number, len: number, n: number, out: number): void;
  rsiSeries(x: number, len: number, n: number, out: number): void;
  donchianSeries(x: number, len: number, n: number, isMax: number, suffix: number, out: number): void;
  momentumPositions(close: number, len: number, lookback: number, threshold: number, longOnly: number, pos: number): void;
  meanReversionPositions(close: number, avg: number, len: number, lookback: number, threshold: number, longOnly: number, pos: number): void;
  smaCrossPositions(fast: number, slow: number, len: number, first: number, longOnly: number, pos: number): void;
  breakoutPositions(close: number, upper: number, lower: number, len: number, lookback: number, longOnly: number, pos: number): void;
  rsiPositions(r: number, len: number, period: number, lower: number, upper: number, longOnly: number, pos: number): void;
  barReturns(close: number, len: number, out: number): void;
  groupBytes(): number;
  evaluateWindow(R: number, pos: number, start: number, end: number, cost: number, ret: number, tracks: number, nTracks: number,
    stats: number, groups: number): void;
  positionEvents(pos: number, start: number, end: number, bars: number, positions: number): number;
  replayCombine(labels: number, start: number, end: number, legs: number, legTable: number, weights: number, pos: number): void;
  // assembly/replay.ts: two weight sets per f64x2, fused combine + PnL + statistics
  replayCombos(labels: number, start: number, end: number, legs: number, legTable: number, ids: number, comboK: number, comboVals: number,
    hash: number, hashSize: number, maxCombos: number): number;
  replayBarCombos(labels: number, start: number, end: number, legs: number, legTable: number, ids: number, comboK: number, comboVals: number): number;
  replayOrder(b: number, tracks: number, nTracks: number, groups: number, start: number, end: number, block: number, counts: number,
    activeOrder: number, activeCounts: number, active: number, gaps: number, activeGaps: number, tails: number, ids: number, flat: number,
    fill: number, actBuf: number): void;
  replayStep(step: number, p0: number, p1: number, b: number, ids: number, combos: number, comboK: number, comboVals: number, pos: number,
    start: number, end: number, legs: number, cells: number, legTable: number, weights: number, R: number, cost: number, tracks: number,
    nTracks: number, groups: number, counts: number, activeOrder: number, activeCounts: number, active: number, gaps: number, activeGaps: number,
    tails: number, block: number, state: number, rbuf: number, transitions: number, first: number, out: number): void;
  replayTransitions(blocks: number, tracks: number, nTracks: number, groups: number, block: number, ids: number, active: number,
    activeOrder: number, activeCounts: number, hash: number, hashSize: number, entries: number, first: number): number;
  /** test hook: q + c added L times per lane, exactly (assembly/replay.ts addRepeated), into out[0..1] */
  replayAddRepeated(q0: number, q1: number, c0: number, c1: number, L: number, out: number): void;
  replayStateBytes(): number;
  labelFirstBars(labels: number, from: number, to: number, out: number): void;
  // assembly/plugin-positions.ts: a strategy plugin's positions checked and side applied; −1 or the first bad bar
  finishPositions(pos: number, len: number, warm: number, longOnly: number): number;
  // assembly/cscv.ts: the PBO's CSCV walk, every split's record
  cscvWalk(n: number, s: number, size: number, fields: number, stairs: number, steps: number, weight: number, stats: number, moments: number,
    drawdown: number, scoreMetric: number, scoreSign: number, tieMetric: number, tieSign: number, rootBpy: number, minBars: number,
    minTrades: number, keepScore: number, keepTie: number, keepTotal: number, keepOk: number, keepBest: number, score: number, tie: number,
    total: number, ok: number, index: number, out: number): void;
}

export function instantiateKernel(memory: WasmMemory, module: WasmModule = kernelModule()): KernelExports {
  const instance = new wasmApi.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}

const PAGE = 65536;
/** wasm32 limit; a shared memory only reserves address space up to its maximum. */
const MAX_PAGES = 65536;

export function sharedKernelMemory(bytes: number): WasmMemory {
  const initial = Math.ceil(bytes / PAGE);
  if (initial > MAX_PAGES) {
    throw regimenError({ code: 'data', field: 'bars', value: bytes, message: 'data set too large for the 4 GiB WebAssembly memory' });
  }
  return new wasmApi.Memory({ initial, maximum: MAX_PAGES, shared: true });
}

/** Grows `memory` to at least `bytes`; workers see the growth, their next `memory.buffer` is the new size. */
export function ensureMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return;
  const pages = Math.ceil((bytes - have) / PAGE);
  if (have / PAGE + pages > MAX_PAGES) {
    throw regimenError({ code: 'internal', value: bytes, message: 'kernel scratch does not fit the 4 GiB WebAssembly memory' });
  }
  memory.grow(pages);
}
