import type { BarColumns, WithSide } from '@regimen/core';
import { z } from 'zod';
import { gt, lt } from '../tolerance.js';
import { sma } from '../indicators/sma.js';
import type { IndicatorCache } from '../indicator-cache.js';
import { applySide, numeric, sided, type StrategyDefinition } from './definition.js';
import { smaNext, smaStart, type SmaStep } from '../indicators/step.js';

export const MeanReversionParamsSchema = z.strictObject({
  lookback: numeric(z.number().int().min(2)).default(20),
  threshold: numeric(z.number().min(0)).default(0.02),
});
export type MeanReversionParams = WithSide<z.infer<typeof MeanReversionParamsSchema>>;

/**
 * Mean reversion around the simple moving average. For t ≥ lookback − 1:
 *   d = close[t] / SMA_lookback(close)[t] − 1
 *   pos = +1 if d < −threshold, −1 if d > threshold, else 0   (tolerance rule of DESIGN §5)
 */
export const meanReversionStrategy: StrategyDefinition<MeanReversionParams> = {
  type: 'mean_reversion',
  description: 'long when close is more than threshold below its SMA, short when more than threshold above',
  params: MeanReversionParamsSchema,
  warmup: (p) => p.lookback - 1,
  positions(bars: BarColumns, p: MeanReversionParams, indicators?: IndicatorCache): Float64Array {
    const close = bars.close;
    const avg = indicators ? indicators.smaClose(p.lookback) : sma(close, p.lookback);
    const pos = new Float64Array(close.length);
    const up = p.threshold;
    const down = -p.threshold;
    for (let t = p.lookback - 1; t < close.length; t++) {
      const d = close[t] / avg[t] - 1;
      pos[t] = lt(d, down) ? 1 : gt(d, up) ? -1 : 0;
    }
    return applySide(pos, p.side);
  },
  /** state: the bar count and the SMA's running sum and window */
  step(state, bars, p, out) {
    const st = (state as { t: number; avg: SmaStep } | null) ?? { t: 0, avg: smaStart(p.lookback) };
    for (let i = 0; i < bars.close.length; i++, st.t++) {
      const c = bars.close[i]!;
      const avg = smaNext(st.avg, c);
      if (st.t >= p.lookback - 1) {
        const d = c / avg - 1;
        out[i] = sided(lt(d, -p.threshold) ? 1 : gt(d, p.threshold) ? -1 : 0, p.side);
      }
    }
    return st;
  },
};
