import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { regimenError } from '@regimen/core';
import type { EmEngine } from './em-engine.js';
import { densityConstants, logLikelihoodOf, statsSize } from './em-pass.js';
import type { HmmParams } from './params.js';

/** The slice of the WebAssembly JS API used here (@types/node 20 does not declare it). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

interface HmmKernel {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  forwardPass(y: number, rows: number, d: number, k: number, means: number, norm: number, inv: number, a: number, initial: number,
    b: number, alpha: number, invScale: number, u: number, out: number, rolling: number, argmax: number): void;
  backwardPass(y: number, rows: number, d: number, k: number, means: number, a: number, b: number, alpha: number, invScale: number,
    stats: number, beta: number, w: number): void;
  // the same for K = 3, d = 1 (assembly/em3.ts), same bits
  forwardPass3(y: number, rows: number, means: number, norm: number, inv: number, a: number, initial: number,
    b: number, alpha: number, invScale: number, out: number, rolling: number, argmax: number): void;
  backwardPass3(y: number, rows: number, means: number, a: number, b: number, alpha: number, invScale: number, stats: number): void;
}

/** K = 3 states over one feature (the default model) has its own unrolled routines. */
const unrolled = (k: number, d: number) => k === 3 && d === 1;

/**
 * The compiled AssemblyScript (`asc`, this package's build) is a build output in dist/, never
 * committed; it is found from the TypeScript sources (src → ../dist) and from dist itself.
 */
const candidates = [new URL('./hmm.wasm', import.meta.url), new URL('../dist/hmm.wasm', import.meta.url)];
let compiled: object | undefined;

function kernelModule(): object {
  if (!compiled) {
    const path = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
    if (!path) {
      throw regimenError({ code: 'internal', file: fileURLToPath(candidates[1]!), message: 'the HMM WebAssembly kernel is not built; run `npm run build -w @regimen/classifier-hmm`' });
    }
    compiled = new wasm.Module(readFileSync(path));
  }
  return compiled;
}

const PAGE = 65536;

/**
 * A kernel instance (new, or `kernel` again) with its memory laid out: named f64 regions of the given
 * lengths, then `bytes` bytes (the labels), the memory grown to fit. Returns their offsets and views,
 * valid until the instance is laid out again.
 */
function instantiate<N extends string>(lengths: Record<N, number>, bytes = 0, kernel = new wasm.Instance(kernelModule(), {}).exports as unknown as HmmKernel) {
  let top = PAGE; // page 0 holds the module's own data
  const at = {} as Record<N, number>;
  for (const name of Object.keys(lengths) as N[]) {
    at[name] = top;
    top += lengths[name] * 8;
  }
  const byteAt = top;
  top += bytes;
  const have = kernel.memory.buffer.byteLength;
  if (top > have) kernel.memory.grow(Math.ceil((top - have) / PAGE));
  const v = {} as Record<N, Float64Array>;
  for (const name of Object.keys(lengths) as N[]) v[name] = new Float64Array(kernel.memory.buffer, at[name], lengths[name]);
  return { kernel, at, v, byteAt, byteView: new Uint8Array(kernel.memory.buffer, byteAt, bytes) };
}

/** The parameters of p where the forward pass reads them (the density constants from the variances). */
function setParams(v: Record<'means' | 'norm' | 'inv' | 'transition' | 'initial', Float64Array>, p: HmmParams): void {
  v.means.set(p.means);
  densityConstants(p.variances, p.states, p.dims, v.norm, v.inv);
  v.transition.set(p.transition);
  v.initial.set(p.initial);
}

const paramLengths = (k: number, d: number) => ({ means: k * d, norm: k, inv: k * d, transition: k * k, initial: k });

/**
 * The EM passes in WebAssembly: one kernel instance with its own memory per engine holding the
 * features, the per-bar buffers and the statistics; each pass copies only the K-sized parameters
 * in. Same bits as typescriptEngine.
 */
export function wasmEngine(y: Float64Array, rows: number, dims: number, states: number): EmEngine {
  const k = states;
  const d = dims;
  const { kernel, at, v } = instantiate({
    y: rows * d, ...paramLengths(k, d), b: rows * k, alpha: rows * k, invScale: rows, u: 2 * k, out: 4, stats: statsSize(k, d), beta: k, w: k,
  });
  v.y.set(y.subarray(0, rows * d));
  const fast = unrolled(k, d);
  return {
    rows,
    dims,
    states,
    forward(p: HmmParams) {
      setParams(v, p);
      if (fast) kernel.forwardPass3(at.y, rows, at.means, at.norm, at.inv, at.transition, at.initial, at.b, at.alpha, at.invScale, at.out, 0, 0);
      else kernel.forwardPass(at.y, rows, d, k, at.means, at.norm, at.inv, at.transition, at.initial, at.b, at.alpha, at.invScale, at.u, at.out, 0, 0);
      return logLikelihoodOf(v.out);
    },
    backward(p: HmmParams) {
      v.means.set(p.means);
      v.transition.set(p.transition);
      if (fast) kernel.backwardPass3(at.y, rows, at.means, at.transition, at.b, at.alpha, at.invScale, at.stats);
      else kernel.backwardPass(at.y, rows, d, k, at.means, at.transition, at.b, at.alpha, at.invScale, at.stats, at.beta, at.w);
      return v.stats;
    },
    filtered: () => v.alpha,
  };
}

let labeller: HmmKernel | undefined;

/**
 * Labelling: `fill` writes the rows × dims features straight into kernel memory, then one forward
 * sweep (rolling, em-pass.ts) returns the filtered argmax of every row, storing no probabilities.
 * One kernel instance per thread serves every call, its memory reused, so relabelling (validation,
 * the look-ahead proofs) pays neither a fresh instance nor fresh pages.
 */
export function wasmLabels(rows: number, p: HmmParams, fill: (features: Float64Array) => void): Uint8Array {
  const k = p.states;
  const d = p.dims;
  labeller ??= new wasm.Instance(kernelModule(), {}).exports as unknown as HmmKernel;
  const { kernel, at, v, byteAt, byteView } = instantiate({ ...paramLengths(k, d), b: 2 * k, alpha: 2 * k, u: 2 * k, out: 4, y: rows * d }, rows, labeller);
  fill(v.y);
  setParams(v, p);
  if (unrolled(k, d)) kernel.forwardPass3(at.y, rows, at.means, at.norm, at.inv, at.transition, at.initial, at.b, at.alpha, 0, at.out, 1, byteAt);
  else kernel.forwardPass(at.y, rows, d, k, at.means, at.norm, at.inv, at.transition, at.initial, at.b, at.alpha, 0, at.u, at.out, 1, byteAt);
  return byteView.slice();
}

/** The filtered argmax of every row of features y (wasmLabels with the features given). */
export const wasmFilteredArgmax = (y: Float64Array, rows: number, p: HmmParams): Uint8Array => wasmLabels(rows, p, (into) => into.set(y.subarray(0, rows * p.dims)));
