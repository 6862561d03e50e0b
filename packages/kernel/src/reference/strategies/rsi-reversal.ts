import type { BarColumns, WithSide } from '@regimen/core';
import { z } from 'zod';
import { gt, lt } from '../tolerance.js';
import { rsi } from '../indicators/rsi.js';
import type { IndicatorCache } from '../indicator-cache.js';
import { applySide, numeric, sided, type StrategyDefinition } from './definition.js';
import { rsiNext, rsiStart, type RsiStep } from '../indicators/step.js';

export const RsiParamsSchema = z
  .strictObject({
    period: numeric(z.number().int().min(2)).default(14),
    lower: numeric(z.number().min(0).max(100)).default(30),
    upper: numeric(z.number().min(0).max(100)).default(70),
  })
  .refine((p) => p.lower <= p.upper, { message: 'lower must be <= upper', path: ['lower'] });
export type RsiParams = WithSide<z.infer<typeof RsiParamsSchema>>;

/**
 * RSI reversal (stateful), on TTR's RSI (Wilder). For t ≥ period, with r = RSI[t]:
 *   r < lower → +1; else r > upper → −1;
 *   else pos[t−1] = +1 and r ≥ 50 → 0; else pos[t−1] = −1 and r ≤ 50 → 0; else hold pos[t−1].
 * Comparisons use the tolerance rule (r ≥ 50 is "not r < 50"). An undefined RSI (NaN, a flat
 * stretch) satisfies no condition and holds. long_only maps −1 to 0 afterwards: a raw −1 and a
 * mapped 0 leave through the same +1 condition, so the output is the same either way.
 */
export const rsiStrategy: StrategyDefinition<RsiParams> = {
  type: 'rsi',
  description: 'long when RSI is below lower, short above upper, flat again when RSI crosses 50',
  params: RsiParamsSchema,
  warmup: (p) => p.period,
  positions(bars: BarColumns, p: RsiParams, indicators?: IndicatorCache): Float64Array {
    const close = bars.close;
    const r = indicators ? indicators.rsiClose(p.period) : rsi(close, p.period);
    const pos = new Float64Array(close.length);
    let held = 0;
    for (let t = p.period; t < close.length; t++) {
      const v = r[t];
      if (lt(v, p.lower)) held = 1;
      else if (gt(v, p.upper)) held = -1;
      else if (held === 1 && !Number.isNaN(v) && !lt(v, 50)) held = 0;
      else if (held === -1 && !Number.isNaN(v) && !gt(v, 50)) held = 0;
      pos[t] = held;
    }
    return applySide(pos, p.side);
  },
  /** state: the bar count, the held position and the RSI's last price and Wilder averages */
  step(state, bars, p, out) {
    const st = (state as { t: number; held: number; rsi: RsiStep } | null) ?? { t: 0, held: 0, rsi: rsiStart(p.period) };
    for (let i = 0; i < bars.close.length; i++, st.t++) {
      const v = rsiNext(st.rsi, bars.close[i]!);
      if (st.t < p.period) continue;
      if (lt(v, p.lower)) st.held = 1;
      else if (gt(v, p.upper)) st.held = -1;
      else if (st.held === 1 && !Number.isNaN(v) && !lt(v, 50)) st.held = 0;
      else if (st.held === -1 && !Number.isNaN(v) && !gt(v, 50)) st.held = 0;
      out[i] = sided(st.held, p.side);
    }
    return st;
  },
};
