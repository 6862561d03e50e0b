import type { Params, StabilitySection } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';
import { varyingParams } from './params.js';

/**
 * How each classifier × regime × strategy winner moved from fold to fold
 * (walk_forward_results.json's parameter_stability), with every fold's winner. Parameters that
 * take one value in the whole search space (a fixed `side`, say) are left out of the winners shown.
 */
export function stabilitySection(ws: WorkspaceFiles): StabilitySection | null {
  const r = ws.walkForward?.results;
  if (!r) return null;
  // every fold searched the same space; the first fold with trials says which parameters vary
  const withTrials = ws.walkForward!.folds.find((f) => f?.surface);
  const shown = withTrials ? varyingParams(withTrials) : (_s: string, p: Params) => p;
  const view = (s: string, p: Params | null) => (p === null ? null : shown(s, p));
  return {
    kind: 'stability',
    folds: r.folds.length,
    classifiers: Object.entries(r.parameter_stability).map(([classifier, regimes]) => ({
      classifier,
      rows: Object.entries(regimes).flatMap(([regime, byStrategy]) =>
        Object.entries(byStrategy).map(([strategy, st]) => ({
          regime,
          strategy,
          folds: st.folds,
          modal_share: st.modal_share,
          modal_params: view(strategy, st.modal_params),
          repeat_rate: st.repeat_rate,
          mean_step: st.mean_step,
          winners: st.winners.map((w) => view(strategy, w)),
        })),
      ),
    })),
  };
}
