import type { Params, WinnersSection } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';

/** Parameters that take one value across every trial of their strategy (a fixed `side`, say) say nothing about a winner. */
function varyingParams(ws: WorkspaceFiles): (strategy: string, p: Params) => Params {
  const values = new Map<string, Set<string>>();
  for (const t of ws.surface?.trials ?? []) {
    for (const [k, v] of Object.entries(t.params)) {
      const key = `${t.strategy}\u0000${k}`;
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)!.add(JSON.stringify(v));
    }
  }
  return (strategy, p) => Object.fromEntries(Object.entries(p).filter(([k]) => (values.get(`${strategy}\u0000${k}`)?.size ?? 2) > 1));
}

/** Per classifier × regime, each strategy's winner from regime_report.json, with runners-up, spread and DSR. */
export function winnersSection(ws: WorkspaceFiles): WinnersSection | null {
  const r = ws.regimeReport;
  if (!r) return null;
  const shown = varyingParams(ws);
  return {
    kind: 'winners',
    objective: r.objective,
    metrics: r.metrics,
    min_bars: r.min_bars,
    min_trades: r.min_trades,
    classifiers: Object.entries(r.classifiers).map(([classifier, regimes]) => ({
      classifier,
      regimes: Object.entries(regimes).map(([regime, byStrategy]) => ({
        regime,
        winners: Object.entries(byStrategy).map(([strategy, e]) => ({
          strategy,
          trial_id: e.winner.trial_id,
          params: shown(strategy, e.winner.params),
          score: e.winner.score,
          basis: e.winner.basis,
          bars: e.winner.bars,
          metrics: e.winner.metrics,
          runners_up: e.runners_up.map((x) => ({ ...x, params: shown(strategy, x.params) })),
          spread: e.spread,
          considered: e.considered,
          trials: e.trials,
          skipped: e.skipped,
          dsr: e.deflated_sharpe ? { dsr: e.deflated_sharpe.dsr, sr0: e.deflated_sharpe.sr0, trials: e.deflated_sharpe.trials, bars: e.deflated_sharpe.bars, assumed_normal: e.deflated_sharpe.assumed_normal } : null,
        })),
      })),
    })),
  };
}
