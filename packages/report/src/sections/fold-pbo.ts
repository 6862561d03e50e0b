import type { FoldPboSection } from '../model.js';
import type { PageLinks } from '../links.js';
import type { WorkspaceFiles } from '../workspace-files.js';
import { overfittingSubjects } from './overfitting.js';

/**
 * The top of a walk-forward's analysis/overfitting.json: each fold's PBO per strategy, over all
 * trials and per ensemble grid, and the means the file gives. Each fold's histograms and
 * degradation are drawn on its own page.
 */
export function foldPboSection(ws: WorkspaceFiles, links: PageLinks): FoldPboSection | null {
  const o = ws.walkForward?.overfitting;
  if (!o || o.folds.length === 0) return null;
  const perFold = o.folds.map(overfittingSubjects);
  const subjects = new Map<string, (typeof perFold)[number][number]>();
  for (const fold of perFold) for (const s of fold) if (!subjects.has(s.key)) subjects.set(s.key, s);
  const columns = [...subjects.values()];
  const mean = (s: (typeof columns)[number]) =>
    s.kind === 'all_trials' ? o.mean_pbo.all_trials : ((s.kind === 'strategy' ? o.mean_pbo.strategies : o.mean_pbo.ensemble_grid)[s.name!] ?? null);
  return {
    kind: 'fold_pbo',
    subjects: columns.map((s) => ({ key: s.key, label: s.label })),
    folds: perFold.map((fold, k) => {
      const find = (key: string) => fold.find((s) => s.key === key)?.pbo ?? null;
      return { index: k, pbo: columns.map((s) => find(s.key)?.pbo ?? null), trials: columns.map((s) => find(s.key)?.trials ?? null), report: links.foldPage(k) };
    }),
    mean: columns.map(mean),
  };
}
