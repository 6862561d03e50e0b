import type { WinnersSection } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';
import { varyingParams } from './params.js';

/** Per classifier × regime, each strategy's winner from regime_report.json, with runners-up, spread and DSR. */
export function winnersSection(ws: WorkspaceFiles): WinnersSection | null {
  const r = ws.regimeReport;
  if (!r) return null;
  const shown = varyingParams(ws);
  return {
    kind: 'winners',
    // several objectives: the winner is the front's pick, not the best by the first objective
    objective: r.pareto ? `the ${r.pareto.select.replace('_', ' ')} pick of the Pareto front of ${r.pareto.objectives.join(', ')}` : r.objective,
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
