import type { FoldPboSection } from '../model.js';
import type { PageLinks } from '../links.js';
import type { WorkspaceFiles } from '../workspace-files.js';
import { pboColumns } from './overfitting.js';

/**
 * The top of a walk-forward's analysis/overfitting.json: per fold, the mean PBO of each
 * classifier's per-regime winners and regime weights, and the secondary per-strategy lines; the
 * last row their mean over the folds. Each fold's entries, histograms and degradation are drawn on
 * its own page.
 */
export function foldPboSection(ws: WorkspaceFiles, links: PageLinks): FoldPboSection | null {
  const o = ws.walkForward?.overfitting;
  if (!o || o.folds.length === 0) return null;
  const perFold = o.folds.map(pboColumns);
  const columns = new Map<string, string>();
  for (const fold of perFold) for (const c of fold) if (!columns.has(c.key)) columns.set(c.key, c.label);
  const keys = [...columns.keys()];
  const folds = perFold.map((fold, k) => {
    const find = (key: string) => fold.find((c) => c.key === key);
    return { index: k, pbo: keys.map((key) => find(key)?.pbo ?? null), trials: keys.map((key) => find(key)?.candidates ?? null), report: links.foldPage(k) };
  });
  const mean = keys.map((_, i) => {
    const xs = folds.flatMap((f) => (f.pbo[i] === null ? [] : [f.pbo[i]!]));
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  });
  return { kind: 'fold_pbo', subjects: keys.map((key) => ({ key, label: columns.get(key)! })), folds, mean };
}
