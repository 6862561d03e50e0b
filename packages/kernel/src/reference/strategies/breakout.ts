import type { BarColumns, WithSide } from '@regimen/core';
import { z } from 'zod';
import { gt, lt } from '../tolerance.js';
import { donchianHigh, donchianLow } from '../indicators/donchian.js';
import type { IndicatorCache } from '../indicator-cache.js';
import { applySide, numeric, sided, type StrategyDefinition } from './definition.js';
import { pushWindow, scanMax, scanMin } from '../indicators/step.js';

export const BreakoutParamsSchema = z.strictObject({
  lookback: numeric(z.number().int().min(1)).default(20),
});
export type BreakoutParams = WithSide<z.infer<typeof BreakoutParamsSchema>>;

/**
 * Donchian breakout (stateful). upper/lower = Donchian channel of high/low over `lookback` bars
 * INCLUDING the bar, so bar t compares with the channel of bar t−1. For t ≥ lookback:
 *   close[t] > upper[t−1] → +1; else close[t] < lower[t−1] → −1; else hold pos[t−1].
 * long_only maps −1 to 0 afterwards; holding a mapped 0 or a raw −1 gives the same output, since
 * the only way out of either is a +1 breakout.
 */
export const breakoutStrategy: StrategyDefinition<BreakoutParams> = {
  type: 'breakout',
  description: 'long above the previous bar\'s Donchian high, short below its low, otherwise hold',
  params: BreakoutParamsSchema,
  warmup: (p) => p.lookback,
  positions(bars: BarColumns, p: BreakoutParams, indicators?: IndicatorCache): Float64Array {
    const close = bars.close;
    const upper = indicators ? indicators.donchianHigh(p.lookback) : donchianHigh(bars.high, p.lookback);
    const lower = indicators ? indicators.donchianLow(p.lookback) : donchianLow(bars.low, p.lookback);
    const pos = new Float64Array(close.length);
    let held = 0;
    for (let t = p.lookback; t < close.length; t++) {
      if (gt(close[t], upper[t - 1])) held = 1;
      else if (lt(close[t], lower[t - 1])) held = -1;
      pos[t] = held;
    }
    return applySide(pos, p.side);
  },
  /**
   * state: the bar count, the held position and the last `lookback` highs and lows — the channel
   * of bar t−1, whose max/min by the scan are the bits slidingMax/slidingMin give
   */
  step(state, bars, p, out) {
    const st = (state as { t: number; held: number; highs: number[]; lows: number[] } | null) ?? { t: 0, held: 0, highs: [], lows: [] };
    for (let i = 0; i < bars.close.length; i++, st.t++) {
      if (st.t >= p.lookback) {
        const c = bars.close[i]!;
        if (gt(c, scanMax(st.highs))) st.held = 1;
        else if (lt(c, scanMin(st.lows))) st.held = -1;
        out[i] = sided(st.held, p.side);
      }
      pushWindow(st.highs, bars.high[i]!, p.lookback);
      pushWindow(st.lows, bars.low[i]!, p.lookback);
    }
    return st;
  },
};
