import type { z } from 'zod';
import type { BarColumns, Side } from './types.js';

/**
 * The strategy plugin contract (DESIGN §6, issue 14): a plain object made by a factory, like
 * classifiers and optimizers. The five built-in strategies are registered in exactly this shape.
 *
 * The host owns `side`: the plugin's schema describes its own parameters only; the host parses
 * `side` (default long_only), hands it to the hooks with the rest, and after `positions` maps every
 * short position to flat for long_only — so a plugin may ignore `side` altogether.
 */
export type WithSide<P> = P & { side: Side };

export interface StrategyWasm<P = any> {
  /**
   * The compiled AssemblyScript module: a file URL or an absolute path, usually
   * `new URL('../build/<name>.wasm', import.meta.url)`. It imports its memory (`env.memory`,
   * shared, maximum 65536 pages) and exports
   *   positions(time, open, high, low, close, volume, bars, args, out, scratch): void
   * — byte offsets of the f64 columns (volume 0 when absent), the bar count, the f64 `args`, the
   * f64 output (zeroed by the host) and `scratchBytes` bytes of scratch. It must not allocate or
   * keep static data: other threads' data live in the same memory.
   */
  module: URL | string;
  /** the parameters as the f64 values the module reads from `args`, in its order */
  args(params: WithSide<P>): number[];
  /** bytes of scratch `positions` needs (default 0) */
  scratchBytes?(params: WithSide<P>, bars: number): number;
}

export interface StrategyPlugin<P = any> {
  kind: 'strategy';
  /** the name a workflow's `type` uses; letters, digits, _ . - */
  name: string;
  aliases?: string[];
  apiVersion?: number;
  description?: string;
  /** the parameters (not `side`): a zod schema whose defaults make `{}` valid; best `.strict()` */
  params: z.ZodType<P>;
  /** the first bar whose position may be non-zero: bars of history the rule needs */
  warmup(params: WithSide<P>): number;
  /**
   * Causal target positions in [−1, 1]: out[t] is decided at the close of bar t from bars 0..t
   * only, and is 0 before warmup(params). `out` has one zeroed entry per bar; fill it (or return
   * a new array of the same length). It may be a view of the engine's shared memory: keep no
   * reference to it after returning.
   */
  positions(bars: BarColumns, params: WithSide<P>, out: Float64Array): void | Float64Array;
  /**
   * Optional step hook (`regimen signal`: a call with k new bars does O(k + warm-up) work). Resume
   * from `state` (null: nothing seen yet, `bars` start at bar 0) over the next `bars`: fill `out`
   * (one zeroed entry per bar given) with the positions `positions` gives those bars when handed
   * every bar from 0 — bit for bit, so recursions (EMA, Wilder) run in the same order — and return
   * the state after them: plain JSON values (NaN, ±Infinity and −0 survive, `encodeStepState`),
   * the only memory the next call gets. The host applies warm-up and `side` as after `positions`.
   * `positions` stays the reference; a plugin without this hook is recomputed over the whole history.
   */
  step?(state: unknown, bars: BarColumns, params: WithSide<P>, out: Float64Array): unknown;
  /** optional WebAssembly implementation; `positions` stays its reference (bit for bit) */
  wasm?: StrategyWasm<P>;
}
