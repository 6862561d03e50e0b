import { compareRanked, compileObjective, type Objective } from '@regimen/optimizer';
import type { Metrics, RegimeMetrics } from '@regimen/core';
import type { Params, Scalar, SurfaceSection, SurfaceStrategy, SurfaceView } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';

type SurfaceTrial = NonNullable<WorkspaceFiles['surface']>['trials'][number];

function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * Every trial of every strategy scored as phase 2 scored it — the configured objective on the
 * overall metrics, or on one regime's metrics with the same min_bars / min_trades filters — so the
 * surface is the landscape the winners were picked from.
 */
export function surfaceSection(ws: WorkspaceFiles): SurfaceSection | null {
  if (!ws.surface) return null;
  const cfg = ws.config.regime_analysis;
  const objective = compileObjective(cfg.objective);
  const minBars = ws.regimeReport?.min_bars ?? cfg.min_bars;
  const minTrades = ws.regimeReport?.min_trades ?? cfg.min_trades;
  const regimesOf = (c: string) => ws.classifiers.find((f) => f.name === c)?.regimes ?? [];
  const strategies = ws.config.strategies.flatMap((s): SurfaceStrategy[] => {
    const trials = ws.surface!.trials.filter((t) => t.strategy === s.name);
    if (trials.length === 0) return [];
    const keys = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
    const dimensions: SurfaceStrategy['dimensions'] = [];
    const fixed: Params = {};
    for (const k of keys) {
      const values = [...new Map(trials.map((t) => [JSON.stringify(t.params[k] ?? null), t.params[k]!])).values()].filter((v) => v !== undefined);
      if (values.length > 1) dimensions.push({ name: k, values: values.sort(compareScalars) });
      else if (values.length === 1) fixed[k] = values[0]!;
    }
    // sampled (random) spaces: a heatmap axis of hundreds of distinct values is unreadable, so
    // numeric dimensions with many values are cut into ranges (each cell shows its best trial)
    const index = dimensions.length >= 2 ? dimensions.map(binned) : dimensions.map((d) => new Map(d.values.map((v, i) => [JSON.stringify(v), i])));
    const views: SurfaceView[] = [view('overall', 'overall (all bars)', null, null, trials, objective, (t) => t.metrics, 0, 0)];
    for (const c of ws.config.classifiers) {
      for (const r of regimesOf(c.name)) {
        const v = view(`${c.name}/${r}`, `${c.name}: ${r}`, c.name, r, trials, objective, (t) => t.regimes[c.name]?.[r], minBars, minTrades);
        const picked = ws.regimeReport?.classifiers[c.name]?.[r]?.[s.name]?.winner.trial_id;
        if (picked !== undefined) v.winner = trials.findIndex((t) => t.trial_id === picked);
        views.push(v);
      }
    }
    return [{
      strategy: s.name,
      type: s.type,
      dimensions,
      fixed,
      trials: trials.map((t) => ({ trial_id: t.trial_id, at: dimensions.map((d, k) => index[k]!.get(JSON.stringify(t.params[d.name] ?? null)) ?? -1) })),
      views,
    }];
  });
  return strategies.length ? { kind: 'surface', objective: ws.regimeReport?.objective ?? objective.name, strategies } : null;
}

/** More distinct values than this on a heatmap axis are cut into BINS ranges of about equal count. */
const BIN_ABOVE = 24;
const BINS = 12;
const short = (x: number) => String(Number(x.toPrecision(3)));

/**
 * A dimension's value → axis position; a numeric one with more than BIN_ABOVE values is replaced
 * (in place) by BINS ranges `lo–hi` of its sorted values, each value mapped to its range.
 */
function binned(d: SurfaceStrategy['dimensions'][number]): Map<string, number> {
  if (d.values.length <= BIN_ABOVE || !d.values.every((v) => typeof v === 'number')) return new Map(d.values.map((v, i) => [JSON.stringify(v), i]));
  const xs = d.values as number[];
  const at = new Map<string, number>();
  const labels: string[] = [];
  for (let b = 0; b < BINS; b++) {
    const lo = Math.floor((b * xs.length) / BINS), hi = Math.floor(((b + 1) * xs.length) / BINS);
    for (let i = lo; i < hi; i++) at.set(JSON.stringify(xs[i]), b);
    labels.push(`${short(xs[lo]!)}–${short(xs[hi - 1]!)}`);
  }
  d.values = labels;
  return at;
}

function view(
  id: string,
  label: string,
  classifier: string | null,
  regime: string | null,
  trials: SurfaceTrial[],
  objective: Objective,
  metricsOf: (t: SurfaceTrial) => RegimeMetrics | Metrics | undefined,
  minBars: number,
  minTrades: number,
): SurfaceView {
  const scores = trials.map((t) => {
    const m = metricsOf(t);
    if (!m || ('bars' in m && m.bars < minBars) || m.trades < minTrades) return null;
    const s = objective.score(m);
    return Number.isFinite(s) ? s : null;
  });
  let winner = -1;
  scores.forEach((s, i) => {
    if (s === null) return;
    const m = metricsOf(trials[i]!)!;
    if (winner < 0) winner = i;
    else {
      const w = metricsOf(trials[winner]!)!;
      if (compareRanked({ id: trials[i]!.trial_id, score: s, tiebreak: objective.tiebreak?.(m) }, { id: trials[winner]!.trial_id, score: scores[winner]!, tiebreak: objective.tiebreak?.(w) }) < 0) winner = i;
    }
  });
  return { id, label, classifier, regime, scores, winner };
}
