import { z } from 'zod';

/**
 * Options of the pattern classifier, all with defaults (so `{}` is valid):
 * - `channel` (20): Donchian lookback. The channel of bar t spans bars t−channel+1..t (it includes the
 *   current bar, TTR's convention), so a breakout at bar t compares close[t] with the channel of bar t−1:
 *   close[t] > max(high[t−channel..t−1]) or close[t] < min(low[t−channel..t−1]).
 * - `hold` (5): a breakout labels the break bar and the next hold−1 bars; a new break restarts the count.
 * - `vol_expansion` (0 = off): when > 0 a break also needs the bar's true range ≥ vol_expansion × ATR(atr)
 *   of bar t−1 (the range expands as price leaves the channel).
 * - `atr` (14): the ATR window (Wilder smoothing seeded with the mean of the first n true ranges, TTR).
 * - `trend` (false): add trend_up / trend_down from ADX (TTR's ADX: Wilder-smoothed DI±, DX, ADX).
 * - `adx` (14): the ADX window; `adx_threshold` (25): ADX at or above it is a trend, its sign from DI+ vs DI−.
 * - `tolerance` (1e-9): a > b means a − b > tolerance·|b| (DESIGN §5), so a break does not hinge on rounding.
 * Precedence when several hold: breakout > trend > range.
 */
export const PatternOptionsSchema = z
  .object({
    channel: z.number().int().min(1).default(20),
    hold: z.number().int().min(1).default(5),
    vol_expansion: z.number().min(0).default(0),
    atr: z.number().int().min(1).default(14),
    trend: z.boolean().default(false),
    adx: z.number().int().min(1).default(14),
    adx_threshold: z.number().min(0).max(100).default(25),
    tolerance: z.number().min(0).default(1e-9),
  })
  .strict();

export type PatternOptions = z.output<typeof PatternOptionsSchema>;
export type PatternOptionsInput = z.input<typeof PatternOptionsSchema>;
