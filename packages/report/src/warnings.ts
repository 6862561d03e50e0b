import type { ParameterSurface } from '@regimen/core';
import type { RegimeStatsView, Warning } from './model.js';

/** A regime "flickers" when half its runs last at most this many bars… */
export const FLICKER_MEDIAN_BARS = 3;
/** …over at least this many transitions (fewer is too little evidence to call it a habit). */
export const FLICKER_MIN_TRANSITIONS = 50;

/**
 * Every trial of a strategy made no trade: the parameter space does not fit the data's scale (the
 * seed's thresholds of 0.5–2.5 % on one-minute bars, say), so its "winners" are ties at zero.
 */
export function noTradeWarnings(surface: ParameterSurface | undefined): Warning[] {
  if (!surface) return [];
  const byStrategy = new Map<string, { trials: number; traded: number }>();
  for (const t of surface.trials) {
    const s = byStrategy.get(t.strategy) ?? { trials: 0, traded: 0 };
    s.trials++;
    if (t.metrics.trades > 0) s.traded++;
    byStrategy.set(t.strategy, s);
  }
  return [...byStrategy].flatMap(([strategy, s]) =>
    s.traded > 0
      ? []
      : [{
          code: 'no_trades' as const,
          subject: strategy,
          message: `every one of the ${s.trials} trials of ${strategy} made no trade on the training split: its parameter space does not fit the data's scale (thresholds or lookbacks too wide for these bars), so its per-regime "best" parameters are ties at zero`,
        }],
  );
}

/**
 * Regimes that flicker: the median run lasts a few bars over many transitions. Per-regime
 * parameters then switch every few bars, and costs and noise decide the result, not the regimes.
 */
export function flickerWarnings(stats: RegimeStatsView[]): Warning[] {
  return stats
    .filter((s) => s.transitions >= FLICKER_MIN_TRANSITIONS && s.all_median_duration <= FLICKER_MEDIAN_BARS)
    .map((s) => ({
      code: 'flicker' as const,
      subject: `${s.classifier} (${s.split})`,
      message: `regimes of ${s.classifier} flicker on the ${s.split} split: median regime duration ${s.all_median_duration} bars, ${s.transitions.toLocaleString('en-US')} transitions in ${s.bars.toLocaleString('en-US')} bars — parameters and weights switch every few bars; a smoother classifier (longer lookback, hmm min_dwell) may fit better`,
    }));
}
