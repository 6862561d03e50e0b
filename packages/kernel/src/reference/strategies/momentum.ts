import type { BarColumns, WithSide } from '@regimen/core';
import { z } from 'zod';
import { gt, lt } from '../tolerance.js';
import { applySide, numeric, sided, type StrategyDefinition } from './definition.js';
import { pushWindow } from '../indicators/step.js';

export const MomentumParamsSchema = z.strictObject({
  lookback: numeric(z.number().int().min(1)).default(20),
  threshold: numeric(z.number().min(0)).default(0),
});
export type MomentumParams = WithSide<z.infer<typeof MomentumParamsSchema>>;

/**
 * Time-series momentum. For t ≥ lookback:
 *   m = close[t] / close[t−lookback] − 1
 *   pos = +1 if m > threshold, −1 if m < −threshold, else 0   (tolerance rule of DESIGN §5)
 */
export const momentumStrategy: StrategyDefinition<MomentumParams> = {
  type: 'momentum',
  description: 'long when the lookback return exceeds +threshold, short below −threshold',
  params: MomentumParamsSchema,
  warmup: (p) => p.lookback,
  positions(bars: BarColumns, p: MomentumParams): Float64Array {
    const close = bars.close;
    const pos = new Float64Array(close.length);
    const up = p.threshold;
    const down = -p.threshold;
    for (let t = p.lookback; t < close.length; t++) {
      const m = close[t] / close[t - p.lookback] - 1;
      pos[t] = gt(m, up) ? 1 : lt(m, down) ? -1 : 0;
    }
    return applySide(pos, p.side);
  },
  /** state: the bar count and the last `lookback` closes (close[t − lookback] is the oldest) */
  step(state, bars, p, out) {
    const st = (state as { t: number; closes: number[] } | null) ?? { t: 0, closes: [] };
    const up = p.threshold;
    const down = -p.threshold;
    for (let i = 0; i < bars.close.length; i++, st.t++) {
      const c = bars.close[i]!;
      if (st.t >= p.lookback) {
        const m = c / st.closes[0]! - 1;
        out[i] = sided(gt(m, up) ? 1 : lt(m, down) ? -1 : 0, p.side);
      }
      pushWindow(st.closes, c, p.lookback);
    }
    return st;
  },
};
