import type { BarColumns, WithSide } from '@regimen/core';
import { z } from 'zod';
import { gt, lt } from '../tolerance.js';
import { sma } from '../indicators/sma.js';
import type { IndicatorCache } from '../indicator-cache.js';
import { applySide, numeric, sided, type StrategyDefinition } from './definition.js';
import { smaNext, smaStart, type SmaStep } from '../indicators/step.js';

export const SmaCrossoverParamsSchema = z.strictObject({
  fast: numeric(z.number().int().min(1)).default(10),
  slow: numeric(z.number().int().min(1)).default(30),
});
export type SmaCrossoverParams = WithSide<z.infer<typeof SmaCrossoverParamsSchema>>;

/**
 * Moving-average crossover. For t ≥ max(fast, slow) − 1:
 *   pos = +1 if SMA_fast[t] > SMA_slow[t], −1 if SMA_fast[t] < SMA_slow[t], else 0
 * (tolerance rule of DESIGN §5, so equal windows or a flat market give 0, not rounding noise).
 * `fast < slow` is not enforced here: it is a search constraint of the workflow, and the rule
 * above is well defined either way.
 */
export const smaCrossoverStrategy: StrategyDefinition<SmaCrossoverParams> = {
  type: 'sma_crossover',
  description: 'long while the fast SMA is above the slow SMA, short while below',
  params: SmaCrossoverParamsSchema,
  warmup: (p) => Math.max(p.fast, p.slow) - 1,
  positions(bars: BarColumns, p: SmaCrossoverParams, indicators?: IndicatorCache): Float64Array {
    const close = bars.close;
    const fast = indicators ? indicators.smaClose(p.fast) : sma(close, p.fast);
    const slow = indicators ? indicators.smaClose(p.slow) : sma(close, p.slow);
    const pos = new Float64Array(close.length);
    for (let t = Math.max(p.fast, p.slow) - 1; t < close.length; t++) {
      pos[t] = gt(fast[t], slow[t]) ? 1 : lt(fast[t], slow[t]) ? -1 : 0;
    }
    return applySide(pos, p.side);
  },
  /** state: the bar count and both SMAs' running sums and windows */
  step(state, bars, p, out) {
    const st = (state as { t: number; fast: SmaStep; slow: SmaStep } | null) ?? { t: 0, fast: smaStart(p.fast), slow: smaStart(p.slow) };
    const from = Math.max(p.fast, p.slow) - 1;
    for (let i = 0; i < bars.close.length; i++, st.t++) {
      const f = smaNext(st.fast, bars.close[i]!);
      const s = smaNext(st.slow, bars.close[i]!);
      if (st.t >= from) out[i] = sided(gt(f, s) ? 1 : lt(f, s) ? -1 : 0, p.side);
    }
    return st;
  },
};
