import type { RegimeBreakdown, RegimeMetrics, RegimeScores } from '@regimen/core';
import type { Objective } from './objective.js';

export interface RegimeFilters {
  min_bars?: number;
  min_trades?: number;
}

/** Why phase 2 leaves a trial out of a regime's ranking, or null when it is ranked there. */
export function regimeExclusion(rm: RegimeMetrics | undefined, f: RegimeFilters): 'missing' | 'below_min_bars' | 'below_min_trades' | null {
  if (!rm) return 'missing';
  if (rm.bars < (f.min_bars ?? 0)) return 'below_min_bars';
  if (rm.trades < (f.min_trades ?? 0)) return 'below_min_trades';
  return null;
}

/**
 * A trial's score in every classifier × regime exactly as phase 2 ranks it: the analysis objective
 * on the regime's metrics, NaN where the filters (or a non-finite score) leave it out. This is what
 * phase 1 tells a search, so a regime-aware search chases what phase 2 will choose.
 */
export function regimeScores(regimes: RegimeBreakdown, classifiers: ReadonlyArray<{ name: string; regimes: readonly string[] }>, objective: Objective, f: RegimeFilters): RegimeScores {
  const out: RegimeScores = {};
  for (const c of classifiers) {
    const scores: Record<string, number> = {};
    for (const r of c.regimes) {
      const rm = regimes[c.name]?.[r];
      const s = regimeExclusion(rm, f) === null ? objective.score(rm!) : Number.NaN;
      scores[r] = Number.isFinite(s) ? s : Number.NaN;
    }
    out[c.name] = scores;
  }
  return out;
}
