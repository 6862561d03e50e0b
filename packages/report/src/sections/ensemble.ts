import type { EnsembleSection } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';

/**
 * Weights per regime (ensemble_weights.json) and how each regime's search got there: the best
 * score after each evaluation that improved it, in the order the search scored the weight sets.
 */
export function ensembleSection(ws: WorkspaceFiles): EnsembleSection | null {
  const weights = ws.weights;
  if (!weights) return null;
  const strategies = ws.config.strategies.map((s) => s.name);
  return {
    kind: 'ensemble',
    objective: ws.config.ensemble_optimization.objective,
    classifiers: Object.entries(weights).map(([classifier, byRegime]) => {
      const report = ws.ensembleReport?.[classifier];
      const sets = report?.weight_sets ?? [];
      const ordered = sets.every((w) => w.evaluation !== undefined) && sets.length > 0 ? [...sets].sort((a, b) => a.evaluation! - b.evaluation!) : null;
      return {
        classifier,
        strategies,
        weight_sets: sets.length,
        regimes: Object.entries(byRegime).map(([regime, w]) => {
          let convergence: Array<[number, number]> | null = null;
          if (ordered) {
            convergence = [];
            let best = -Infinity;
            ordered.forEach((set, i) => {
              const s = set.scores[regime];
              if (s !== null && s !== undefined && s > best) {
                best = s;
                convergence!.push([i + 1, s]);
              }
            });
            if (convergence.length) convergence.push([ordered.length, best]);
          }
          return {
            regime,
            weights: strategies.map((s) => w[s] ?? 0),
            score: report?.regimes[regime]?.score ?? null,
            fallback: report?.regimes[regime]?.fallback ?? null,
            convergence,
          };
        }),
      };
    }),
  };
}
