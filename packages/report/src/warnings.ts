import type { Overfitting, ParameterSurface, WalkForwardResults } from '@regimen/core';
import { OVERFIT_PBO, WALK_FORWARD_RUNS, type RegimeStatsView, type Warning } from './model.js';
import { formatNumber } from './format.js';
import { WALK_FORWARD_LABELS } from './sections/walk-forward.js';

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

/** The selections of one overfitting.json whose PBO is above one half, grouped per classifier and kind (winners, weights). */
function overfitGroups(o: Overfitting): Map<string, { label: string; over: Array<{ what: string; pbo: number; candidates: number; used: number }>; measured: number }> {
  const groups = new Map<string, { label: string; over: Array<{ what: string; pbo: number; candidates: number; used: number }>; measured: number }>();
  for (const e of o.entries) {
    // the secondary lines (best overall by Sharpe) are not what the run picks: no warning of their own
    if (e.kind !== 'selection' && e.kind !== 'ensemble') continue;
    const key = `${e.kind}/${e.classifier}`;
    const g = groups.get(key) ?? { label: e.kind === 'selection' ? `${e.classifier}'s per-regime winners` : `${e.classifier}'s regime weights`, over: [], measured: 0 };
    if (e.result) {
      g.measured++;
      if (e.result.pbo > OVERFIT_PBO) g.over.push({ what: e.kind === 'selection' ? `${e.strategy} in ${e.regime}` : e.regime!, pbo: e.result.pbo, candidates: e.result.candidates, used: e.result.splits_used });
    }
    groups.set(key, g);
  }
  return groups;
}

/**
 * The run's selections with a PBO above one half: per classifier, its per-regime winners (each
 * strategy's trials ranked by the phase-2 objective on the regime's bars) and its regime weights
 * (the weight sets the search scored). Above one half, picking the best in sample landed below
 * the median out of sample more often than above it — what a pick of no skill gives on average
 * is exactly one half — so those winners look more like luck than an edge.
 */
export function overfitWarnings(o: Overfitting | undefined): Warning[] {
  if (!o) return [];
  const statistic = (kind: string) => o.entries.find((e) => e.kind === kind)?.statistic ?? '';
  return [...overfitGroups(o)].flatMap(([key, g]) =>
    g.over.length
      ? [{
          code: 'overfit' as const,
          subject: `PBO of ${g.label}`,
          message: `Probability of Backtest Overfitting above ${OVERFIT_PBO} for ${g.over.length} of ${g.measured} selections: ${g.over.map((x) => `${x.what} ${formatNumber(x.pbo, 3)} (${x.candidates} candidates)`).join(', ')} — ranked by ${statistic(key.split('/')[0]!)} on the regime's own training bars, the in-sample best fell below the out-of-sample median in more of the splits than it rose above it (no skill gives 0.5 on average), so these picks look more like luck than an edge`,
        }]
      : [],
  );
}

/**
 * A walk-forward's selections with a PBO above one half: one warning per classifier's winners or
 * weights, naming every fold where some are and how many (each fold's own analysis/overfitting.json).
 */
export function foldOverfitWarnings(folds: Array<Overfitting | undefined>): Warning[] {
  const byGroup = new Map<string, { label: string; folds: Array<{ index: number; over: number; measured: number }> }>();
  folds.forEach((o, index) => {
    for (const [key, g] of o ? overfitGroups(o) : []) {
      const entry = byGroup.get(key) ?? { label: g.label, folds: [] };
      if (g.over.length) entry.folds.push({ index, over: g.over.length, measured: g.measured });
      byGroup.set(key, entry);
    }
  });
  return [...byGroup.values()].flatMap(({ label, folds: over }) =>
    over.length
      ? [{
          code: 'overfit' as const,
          subject: `PBO of ${label}`,
          message: `Probability of Backtest Overfitting above ${OVERFIT_PBO} in ${over.length} of ${folds.length} folds: ${over.map((f) => `fold ${f.index} (${f.over} of ${f.measured} selections)`).join(', ')} — there the in-sample best fell below the out-of-sample median in more of the splits than it rose above it (no skill gives 0.5 on average), so those picks look more like luck than an edge`,
          folds: over.map((f) => f.index),
        }]
      : [],
  );
}

/**
 * The folds of a walk-forward where the adaptive strategy's out-of-sample Sharpe is below a
 * baseline's (the best static strategy, equal weights, or buy and hold): one warning naming each
 * such fold, the baseline that beat it most, and the stitched result.
 */
export function adaptiveTrailsWarnings(r: WalkForwardResults | undefined): Warning[] {
  if (!r) return [];
  const baselines = WALK_FORWARD_RUNS.filter((x) => x !== 'adaptive');
  const trailing = (m: WalkForwardResults['stitched']['metrics']) => {
    const best = baselines.reduce((a, b) => (m[b].sharpe > m[a].sharpe ? b : a));
    return m[best].sharpe > m.adaptive.sharpe ? `${formatNumber(m.adaptive.sharpe, 3)} vs ${WALK_FORWARD_LABELS[best]} ${formatNumber(m[best].sharpe, 3)}` : null;
  };
  const folds = r.folds.flatMap((f) => {
    const t = trailing(f.out_of_sample);
    return t ? [{ index: f.index, text: `fold ${f.index} (${t})` }] : [];
  });
  if (folds.length === 0) return [];
  const stitched = trailing(r.stitched.metrics);
  return [{
    code: 'adaptive_trails',
    subject: 'adaptive strategy out of sample',
    message: `the adaptive strategy (regimes from ${r.classifier}) has a lower out-of-sample Sharpe than a baseline in ${folds.length} of ${r.folds.length} folds: ${folds.map((f) => f.text).join(', ')}; stitched over all folds ${stitched ?? `it leads (${formatNumber(r.stitched.metrics.adaptive.sharpe, 3)})`} — per-regime parameters and weights did not carry over there`,
    folds: folds.map((f) => f.index),
  }];
}

/**
 * A walk-forward's warnings: each fold's, one line per warning however many folds have it (the
 * same strategy idle in six folds is one fact), with the folds named and the first one's numbers.
 */
export function foldWarnings(perFold: Warning[][]): Warning[] {
  const grouped = new Map<string, { first: Warning; folds: number[] }>();
  perFold.forEach((warnings, k) => {
    for (const w of warnings) {
      const key = `${w.code}\u0000${w.subject}`;
      const g = grouped.get(key);
      if (g) g.folds.push(k);
      else grouped.set(key, { first: w, folds: [k] });
    }
  });
  return [...grouped.values()].map(({ first, folds }) => {
    const where = folds.length === perFold.length && folds.length > 1 ? 'every fold' : folds.length === 1 ? `fold ${folds[0]}` : `folds ${folds.join(', ')}`;
    const numbers = folds.length > 1 ? ` (the numbers of fold ${folds[0]})` : '';
    return { code: first.code, subject: `${first.subject}, ${where}`, message: `${first.message}${numbers}`, folds };
  });
}

/** What each kind of warning says, for the one line a universe gives it. */
const KIND_OF_WARNING: Record<Warning['code'], string> = {
  no_trades: 'a strategy none of whose trials traded',
  flicker: 'regimes that flicker',
  overfit: 'a Probability of Backtest Overfitting above one half',
  adaptive_trails: 'folds where the adaptive strategy trails a baseline out of sample',
};

/**
 * A universe's warnings: one line per kind, naming every series that has it and what it is about
 * there (twelve series with the same idle strategy are one fact, not twelve lines). Each series'
 * own page has the numbers.
 */
export function universeWarnings(perSeries: Array<{ name: string; warnings: Warning[] }>): Warning[] {
  const byCode = new Map<Warning['code'], Map<string, string[]>>();
  for (const { name, warnings } of perSeries) {
    for (const w of warnings) {
      const series = byCode.get(w.code) ?? new Map<string, string[]>();
      series.set(name, [...(series.get(name) ?? []), w.subject]);
      byCode.set(w.code, series);
    }
  }
  return [...byCode].map(([code, series]) => ({
    code,
    subject: `${series.size} of ${perSeries.length} series`,
    message: `${KIND_OF_WARNING[code] ?? code} — ${[...series].map(([name, subjects]) => `${name} (${subjects.join('; ')})`).join(', ')}; each series' report has the numbers`,
    series: [...series.keys()],
  }));
}
