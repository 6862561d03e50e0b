import { backwardPass, densityConstants, forwardPass, logLikelihoodOf, statsSize } from './em-pass.js';
import type { HmmParams } from './params.js';

/**
 * The two passes of a Baum–Welch iteration over one training series, with every buffer sized once:
 * `forward(p)` returns log p(y | p) and keeps what the backward pass needs; `backward(p)` (after a
 * forward with the same p) returns the E-step statistics (layout: em-pass.ts statsSize). Two
 * implementations give the same bits: the AssemblyScript kernel (wasm-engine.ts), which the fit
 * uses, and the TypeScript reference here.
 */
export interface EmEngine {
  readonly rows: number;
  readonly dims: number;
  readonly states: number;
  forward(p: HmmParams): number;
  backward(p: HmmParams): Float64Array;
  /** the filtered probabilities of the last forward pass, rows × states */
  filtered(): Float64Array;
}

export function typescriptEngine(y: Float64Array, rows: number, dims: number, states: number): EmEngine {
  const k = states;
  const b = new Float64Array(rows * k);
  const alpha = new Float64Array(rows * k);
  const invScale = new Float64Array(rows);
  const u = new Float64Array(2 * k);
  const norm = new Float64Array(k);
  const inv = new Float64Array(k * dims);
  const out = new Float64Array(4);
  const stats = new Float64Array(statsSize(k, dims));
  const beta = new Float64Array(k);
  const w = new Float64Array(k);
  return {
    rows,
    dims,
    states,
    forward(p) {
      densityConstants(p.variances, k, dims, norm, inv);
      forwardPass(y, rows, dims, k, p.means, norm, inv, p.transition, p.initial, b, alpha, invScale, u, out);
      return logLikelihoodOf(out);
    },
    backward(p) {
      backwardPass(y, rows, dims, k, p.means, p.transition, b, alpha, invScale, stats, beta, w);
      return stats;
    },
    filtered: () => alpha,
  };
}

/** The filtered argmax of every row, two rows of buffers only (the reference of wasmFilteredArgmax). */
export function typescriptFilteredArgmax(y: Float64Array, rows: number, p: HmmParams): Uint8Array {
  const k = p.states;
  const norm = new Float64Array(k);
  const inv = new Float64Array(k * p.dims);
  const argmax = new Uint8Array(rows);
  densityConstants(p.variances, k, p.dims, norm, inv);
  const row2 = () => new Float64Array(2 * k);
  forwardPass(y, rows, p.dims, k, p.means, norm, inv, p.transition, p.initial, row2(), row2(), new Float64Array(0), row2(), new Float64Array(4), true, argmax);
  return argmax;
}
