import { z } from 'zod';
import { PLUGIN_API_VERSION, type BarColumns, type StrategyPlugin } from '@regimen/core';

export const SmaCrossParamsSchema = z.strictObject({
  /** bars in the fast moving average */
  fast: z.number().int().min(1).default(10),
  /** bars in the slow moving average */
  slow: z.number().int().min(1).default(30),
});
export type SmaCrossParams = z.output<typeof SmaCrossParamsSchema>;

/** DESIGN §5 comparison: a > b means a − b > 1e-9·|b|, so a signal never hinges on rounding. */
const TOLERANCE = 1e-9;

/**
 * Running sum of close over the n bars ending at `to` (needs n − 1 ≤ to), in the order the
 * kernel's SMA uses — x[0] + … + x[n−1] from 0, then (s + x[t]) − x[t−n] — so these sums are
 * the same bits as the built-in sma_crossover's and as assembly/index.ts's.
 */
function sumTo(x: Float64Array, n: number, to: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  for (let t = n; t <= to; t++) s = s + x[t]! - x[t - n]!;
  return s;
}

/**
 * The moving-average crossover as a plugin: for t ≥ max(fast, slow) − 1,
 *   pos[t] = +1 if SMA_fast[t] > SMA_slow[t], −1 if below, else 0.
 * Both sums run in one pass over the closes, so no series is allocated per trial.
 */
export function smaCrossPositions(bars: BarColumns, p: SmaCrossParams, out: Float64Array): void {
  const x = bars.close;
  const n = x.length;
  const first = Math.max(p.fast, p.slow) - 1;
  if (first >= n) return;
  let sf = sumTo(x, p.fast, first);
  let ss = sumTo(x, p.slow, first);
  for (let t = first; t < n; t++) {
    if (t > first) {
      const c = x[t]!;
      sf = sf + c - x[t - p.fast]!;
      ss = ss + c - x[t - p.slow]!;
    }
    const f = sf / p.fast;
    const s = ss / p.slow;
    out[t] = f - s > TOLERANCE * Math.abs(s) ? 1 : s - f > TOLERANCE * Math.abs(s) ? -1 : 0;
  }
}

/**
 * The same rule as the built-in `sma_crossover`, packaged the way a third party would: the
 * TypeScript function is the reference, and the AssemblyScript build (dist/sma-cross.wasm, made
 * by `npm run build`) is what the engine runs.
 */
export function smaCrossStrategy(): StrategyPlugin<SmaCrossParams> {
  return {
    kind: 'strategy',
    name: 'sma-cross',
    apiVersion: PLUGIN_API_VERSION,
    description: 'long while the fast SMA is above the slow SMA, short while below (WebAssembly)',
    params: SmaCrossParamsSchema,
    warmup: (p) => Math.max(p.fast, p.slow) - 1,
    positions: smaCrossPositions,
    wasm: {
      module: new URL('../dist/sma-cross.wasm', import.meta.url),
      args: (p) => [p.fast, p.slow],
    },
  };
}
