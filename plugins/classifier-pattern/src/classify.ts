import { NO_REGIME, regimenError, type BarColumns } from '@regimen/core';
import { adx, atr, donchian, trueRange } from './indicators.js';
import type { PatternOptions } from './options.js';

export const BREAKOUT = 0;
export const RANGE = 1;
export const TREND_UP = 2;
export const TREND_DOWN = 3;

/** First bar every enabled rule can be evaluated at; earlier bars are NO_REGIME. */
export function warmup(o: PatternOptions): number {
  let w = o.channel; // channel of bar t−1 needs bars t−channel..t−1
  if (o.vol_expansion > 0) w = Math.max(w, o.atr + 1); // ATR of bar t−1, first defined at bar atr
  if (o.trend) w = Math.max(w, 2 * o.adx - 1);
  return w;
}

/** Per-bar regime: breakout > trend > range. Causal: bar t reads bars ≤ t only. */
export function classify(data: BarColumns, o: PatternOptions): Uint8Array {
  const { high, low, close } = data;
  const n = close.length;
  for (const [name, col] of [['high', high], ['low', low], ['close', close]] as const) {
    for (let t = 0; t < n; t++) {
      if (!Number.isFinite(col[t]!)) {
        throw regimenError({ code: 'data', field: `${name}[${t}]`, value: col[t], message: 'the pattern classifier needs finite prices' });
      }
    }
  }
  const out = new Uint8Array(n).fill(NO_REGIME);
  const start = warmup(o);
  if (start >= n) return out;
  const ch = donchian(high, low, o.channel);
  const range = o.vol_expansion > 0 ? trueRange(high, low, close) : undefined;
  const avgRange = o.vol_expansion > 0 ? atr(high, low, close, o.atr) : undefined;
  const trend = o.trend ? adx(high, low, close, o.adx) : undefined;
  const above = (a: number, b: number) => a - b > o.tolerance * Math.abs(b);
  let holdLeft = 0;
  for (let t = start; t < n; t++) {
    const c = close[t]!;
    let broke = above(c, ch.upper[t - 1]!) || above(ch.lower[t - 1]!, c);
    if (broke && range && avgRange) broke = !above(o.vol_expansion * avgRange[t - 1]!, range[t]!);
    if (broke) holdLeft = o.hold;
    if (holdLeft > 0) {
      out[t] = BREAKOUT;
      holdLeft--;
    } else if (trend && !(trend.adx[t]! < o.adx_threshold)) {
      out[t] = trend.diPlus[t]! >= trend.diMinus[t]! ? TREND_UP : TREND_DOWN;
    } else {
      out[t] = RANGE;
    }
  }
  return out;
}
