import { sampleVariance, median } from 'simple-statistics';
import { regimenError, type OptimalEntry, type ParetoFronts, type ParetoSelect, type RegimeAnalysisReport, type RegimeMetrics, type RegimeOptimalParams, type RegimeReportEntry, type TrialPerformance } from '@regimen/core';
import { compareRanked, compileObjective, metricValue, OBJECTIVE_METRICS, type Objective } from './objective.js';
import { deflatedSharpe } from './deflated-sharpe.js';
import { paretoFront, selectFromFront } from './pareto.js';

export interface RegimeAnalysisOptions {
  classifiers: Array<{ name: string; regimes: string[] }>;
  strategies: string[];
  objective: string;
  /** reported beside the score for each winner */
  metrics?: string[];
  min_bars?: number;
  min_trades?: number;
  runners_up?: number;
  /** converts the annualised Sharpe ratio to the per-bar one the DSR needs; no DSR without it */
  bars_per_year?: number;
  /**
   * Several objectives: per classifier, regime and strategy the Pareto front of the ranked trials,
   * and its member `select` picks is the winner (`objective` should be the first of them: it
   * orders the runners-up and the fallback).
   */
  pareto?: { objectives: string[]; select: ParetoSelect; weights: number[] | null };
}

interface Scored {
  trial: TrialPerformance;
  score: number;
  tiebreak?: number;
  rm?: RegimeMetrics;
}

const rankedOf = (o: Objective, trial: TrialPerformance, m: RegimeMetrics | TrialPerformance['metrics']): Scored => ({
  trial,
  score: o.score(m),
  tiebreak: o.tiebreak?.(m),
});
const byRank = (a: Scored, b: Scored) => compareRanked({ id: a.trial.trial_id, score: a.score, tiebreak: a.tiebreak }, { id: b.trial.trial_id, score: b.score, tiebreak: b.tiebreak });
const finiteOr = (x: number, alt: number) => (Number.isFinite(x) ? x : alt);

/**
 * Phase 2: per classifier, regime and strategy, the trial whose metrics in that regime score best.
 * Trials with fewer than min_bars bars or min_trades trades in the regime are not ranked. When
 * none is left, the strategy's best trial on its overall metrics stands in and the report says
 * why, so every regime has an entry for every strategy (the adaptive phase needs one).
 *
 * The winner's Deflated Sharpe Ratio treats the trials ranked for that regime as the N trials
 * tried, with Sharpe ratios per bar (annualised sharpe / √bars_per_year) and, since the metrics
 * carry no higher moments, normal returns (skewness 0, kurtosis 3) — flagged `assumed_normal`.
 */
export function analyzeRegimes(trials: TrialPerformance[], opts: RegimeAnalysisOptions): { optimal: RegimeOptimalParams; report: RegimeAnalysisReport; fronts?: ParetoFronts } {
  const objective = compileObjective(opts.objective);
  const pareto = opts.pareto && { ...opts.pareto, compiled: opts.pareto.objectives.map((o, i) => compileObjective(o, `objectives[${i}]`)) };
  const fronts: ParetoFronts | undefined = opts.pareto && { objectives: opts.pareto.objectives, select: opts.pareto.select, weights: opts.pareto.weights, classifiers: {} };
  const metrics = opts.metrics ?? ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'trades'];
  for (const m of metrics) {
    if (!(OBJECTIVE_METRICS as readonly string[]).includes(m)) throw regimenError({ code: 'config', field: 'metrics', value: m, message: `unknown metric (known: ${OBJECTIVE_METRICS.join(', ')})` });
  }
  const minBars = opts.min_bars ?? 0, minTrades = opts.min_trades ?? 0, keep = opts.runners_up ?? 3;
  const byStrategy = new Map<string, TrialPerformance[]>(opts.strategies.map((s) => [s, []]));
  for (const t of trials) byStrategy.get(t.strategy)?.push(t);
  for (const [s, ts] of byStrategy) {
    if (ts.length === 0) throw regimenError({ code: 'workspace', value: s, message: `no Phase-1 trial results for strategy "${s}"` });
  }
  const overallBest = new Map([...byStrategy].map(([s, ts]) => [s, ts.map((t) => rankedOf(objective, t, t.metrics)).sort(byRank)[0]!]));

  const optimal: RegimeOptimalParams = {};
  const report: RegimeAnalysisReport = {
    objective: objective.name,
    metrics,
    min_bars: minBars,
    min_trades: minTrades,
    runners_up: keep,
    bars_per_year: opts.bars_per_year ?? null,
    classifiers: {},
    skipped: [],
    ...(opts.pareto ? { pareto: opts.pareto } : {}),
  };
  for (const c of opts.classifiers) {
    optimal[c.name] = {};
    report.classifiers[c.name] = {};
    if (fronts) fronts.classifiers[c.name] = {};
    for (const r of c.regimes) {
      optimal[c.name]![r] = {};
      report.classifiers[c.name]![r] = {};
      if (fronts) fronts.classifiers[c.name]![r] = {};
      for (const s of opts.strategies) {
        const excluded = { missing: 0, below_min_bars: 0, below_min_trades: 0, non_finite: 0 };
        const ranked: Scored[] = [];
        for (const t of byStrategy.get(s)!) {
          const rm = t.regimes[c.name]?.[r];
          const why = exclusion(rm, minBars, minTrades);
          if (why) excluded[why]++;
          else {
            const x = { ...rankedOf(objective, t, rm), rm };
            if (Number.isFinite(x.score)) ranked.push(x);
            else excluded.non_finite++;
          }
        }
        ranked.sort(byRank);
        if (pareto) {
          // the front's pick leads: it is the winner, the others stay runners-up in objective order
          const front = paretoFront(ranked.map((x) => ({ id: x.trial.trial_id, scores: pareto.compiled.map((o) => o.score(x.rm!)), x })));
          const pick = front.length ? selectFromFront(front, pareto.select, pareto.weights) : undefined;
          if (pick) ranked.splice(0, ranked.length, pick.x, ...ranked.filter((x) => x !== pick.x));
          fronts!.classifiers[c.name]![r]![s] = {
            considered: ranked.length,
            front: front.map((f) => ({ trial_id: f.id, params: f.x.trial.params, scores: f.scores })),
            winner: pick?.id ?? null,
          };
        }
        const fallback = ranked.length === 0;
        const best = fallback ? overallBest.get(s)! : ranked[0]!;
        const basisMetrics = fallback ? best.trial.metrics : best.rm!;
        const skipped = fallback
          ? `no trial passes the filters in this regime (${excluded.missing} without bars in it, ${excluded.below_min_bars} under min_bars ${minBars}, ${excluded.below_min_trades} under min_trades ${minTrades}, ${excluded.non_finite} with a non-finite score); best overall trial used`
          : null;
        const entry: OptimalEntry = { params: best.trial.params, trial_id: best.trial.trial_id, metric: objective.name, score: finiteOr(best.score, 0) };
        optimal[c.name]![r]![s] = entry;
        if (skipped) report.skipped.push({ classifier: c.name, regime: r, strategy: s, reason: skipped });
        report.classifiers[c.name]![r]![s] = {
          trials: byStrategy.get(s)!.length,
          considered: ranked.length,
          excluded,
          skipped,
          winner: {
            trial_id: best.trial.trial_id,
            params: best.trial.params,
            score: entry.score,
            basis: fallback ? 'overall' : 'regime',
            bars: fallback ? null : best.rm!.bars,
            metrics: Object.fromEntries(metrics.map((m) => [m, nullIfNotFinite(metricValue(basisMetrics, m))])),
          },
          runners_up: ranked.slice(1, 1 + keep).map((x) => ({ trial_id: x.trial.trial_id, params: x.trial.params, score: x.score })),
          spread: ranked.length ? ranked[0]!.score - median(ranked.map((x) => x.score)) : null,
          deflated_sharpe: fallback ? null : winnerDsr(ranked, opts.bars_per_year),
        };
      }
    }
  }
  return { optimal, report, ...(fronts ? { fronts } : {}) };
}

/** Why a trial is not ranked in a regime (no bars in it, under min_bars, under min_trades), or null when it is. */
function exclusion(rm: RegimeMetrics | undefined, minBars: number, minTrades: number): 'missing' | 'below_min_bars' | 'below_min_trades' | null {
  if (!rm) return 'missing';
  if (rm.bars < minBars) return 'below_min_bars';
  if (rm.trades < minTrades) return 'below_min_trades';
  return null;
}

/**
 * A trial's score in every regime of every classifier as the regime analysis ranks it — its
 * objective, NaN where the filters leave the trial out — so a search told these serves the same
 * per-regime ranking phase 2 makes (and the budget's patience watches the same bests).
 */
export function regimeScores(trial: Pick<TrialPerformance, 'regimes'>, opts: { objective: Objective; min_bars: number; min_trades: number }): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [c, regimes] of Object.entries(trial.regimes)) {
    const row: Record<string, number> = {};
    for (const [r, rm] of Object.entries(regimes)) row[r] = exclusion(rm, opts.min_bars, opts.min_trades) ? NaN : opts.objective.score(rm);
    out[c] = row;
  }
  return out;
}

function nullIfNotFinite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function winnerDsr(ranked: Scored[], barsPerYear: number | undefined): RegimeReportEntry['deflated_sharpe'] {
  if (!(barsPerYear! > 0)) return null;
  const perBar = ranked.map((x) => x.rm!.sharpe / Math.sqrt(barsPerYear!));
  const variance = perBar.length >= 2 ? sampleVariance(perBar) : 0;
  const bars = ranked[0]!.rm!.bars;
  const d = deflatedSharpe({ sharpe: perBar[0]!, variance, trials: ranked.length, bars, skewness: 0, kurtosis: 3 });
  if (!d) return null;
  return { dsr: d.dsr, sr0: d.sr0, sharpe_per_bar: perBar[0]!, variance, trials: ranked.length, bars, skewness: 0, kurtosis: 3, assumed_normal: true };
}
