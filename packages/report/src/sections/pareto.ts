import type { ParetoSection } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';
import { varyingParams } from './params.js';

/** Per classifier × regime, each strategy's Pareto front and the member picked, from analysis/pareto_fronts.json. */
export function paretoSection(ws: WorkspaceFiles): ParetoSection | null {
  const f = ws.paretoFronts;
  if (!f) return null;
  const shown = varyingParams(ws);
  return {
    kind: 'pareto',
    objectives: f.objectives,
    select: f.select,
    weights: f.weights,
    classifiers: Object.entries(f.classifiers).map(([classifier, regimes]) => ({
      classifier,
      regimes: Object.entries(regimes).map(([regime, byStrategy]) => ({
        regime,
        strategies: Object.entries(byStrategy).map(([strategy, front]) => ({
          strategy,
          considered: front.considered,
          winner: front.winner,
          points: front.front.map((p) => ({ trial_id: p.trial_id, params: shown(strategy, p.params), scores: p.scores })),
        })),
      })),
    })),
  };
}
