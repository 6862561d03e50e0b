import { existsSync } from 'node:fs';
import { ManifestSchema, readJsonFile, workspacePaths } from '@regimen/core';
import type { PageData, Section, Warning } from './model.js';
import { pageLinks, type PageLinks } from './links.js';
import { headerSection } from './sections/header.js';
import { ensembleSection } from './sections/ensemble.js';
import { foldPboSection } from './sections/fold-pbo.js';
import { overfittingSection } from './sections/overfitting.js';
import { paperPendingSection, paperSection } from './sections/paper.js';
import { paretoSection } from './sections/pareto.js';
import { regimesSection, regimeStatistics } from './sections/regimes.js';
import { stabilitySection } from './sections/stability.js';
import { surfaceSection } from './sections/surface.js';
import { tradesSection } from './sections/trades.js';
import { validationSection } from './sections/validation.js';
import { walkForwardSection } from './sections/walk-forward.js';
import { winnersSection } from './sections/winners.js';
import { universeFiles, universeSection, type UniverseFiles } from './sections/universe.js';
import { adaptiveTrailsWarnings, flickerWarnings, foldOverfitWarnings, foldWarnings, noTradeWarnings, overfitWarnings, universeWarnings } from './warnings.js';
import { readWorkspaceFiles, type WorkspaceFiles } from './workspace-files.js';

/**
 * The warnings a user needs about a workspace; the same list the page and the CLI summary show.
 * A walk-forward's are its folds'.
 */
export function warningsOf(ws: WorkspaceFiles, stats = regimeStatistics(ws)): Warning[] {
  const own = [...noTradeWarnings(ws.surface), ...flickerWarnings(stats), ...overfitWarnings(ws.overfitting)];
  if (!ws.walkForward) return own;
  const { folds, overfitting } = ws.walkForward;
  // each fold's PBO is named with its number; the folds' other warnings are grouped as they are
  const perFold = folds.map((f) => (f ? warningsOf(f).filter((w) => w.code !== 'overfit') : []));
  return [
    ...own,
    ...adaptiveTrailsWarnings(ws.walkForward.results),
    ...foldOverfitWarnings(overfitting?.folds ?? folds.map((f) => f?.overfitting)),
    ...foldWarnings(perFold),
  ];
}

/** `workspaceWarnings(dir)`: warningsOf a workspace folder; a universe's are its series', grouped by kind. */
export function workspaceWarnings(dir: string): Warning[] {
  const manifest = workspacePaths(dir).manifest;
  const universe = existsSync(manifest) ? universeFiles(dir, readJsonFile(manifest, ManifestSchema)) : null;
  return universe ? universeWarningsOf(universe) : warningsOf(readWorkspaceFiles(dir));
}

/** Links of a page written at its usual place to the pages of the same walk-forward that exist. */
export function existingLinks(ws: WorkspaceFiles): PageLinks {
  const exists = (p: string) => (existsSync(p) ? p : null);
  return pageLinks(ws.paths.report, {
    folds: ws.walkForward?.folds.map((f) => (f ? exists(f.paths.report) : null)),
    top: ws.fold ? exists(workspacePaths(ws.fold.top).report) : null,
  });
}

/**
 * The page's data, section by section, in reading order. A section whose files do not exist yet
 * (its phase has not run) is left out; a new section is one builder here and one renderer in
 * browser/sections/. The top of a walk-forward has its own sections; each fold's page is a
 * workspace's page like any other.
 */
export function buildPageData(ws: WorkspaceFiles, links: PageLinks = existingLinks(ws)): PageData {
  const stats = regimeStatistics(ws);
  const warnings = warningsOf(ws, stats);
  const sections: Array<Section | null> = [
    headerSection(ws, links),
    warnings.length ? { kind: 'warnings', warnings } : null,
    ...(ws.walkForward
      ? [walkForwardSection(ws, links), paperSection(ws) ?? paperPendingSection(ws), stabilitySection(ws), foldPboSection(ws, links)]
      : [validationSection(ws), paperSection(ws) ?? paperPendingSection(ws), winnersSection(ws), paretoSection(ws), overfittingSection(ws), surfaceSection(ws), ensembleSection(ws), regimesSection(stats), tradesSection(ws)]),
  ];
  const title = `Regimen report — ${ws.manifest.workflow_id}${ws.fold ? ` · fold ${ws.fold.index} (of 0–${ws.fold.of - 1})` : ws.walkForward ? ' · walk-forward' : ''}`;
  return { title, generated_by: `regimen ${ws.manifest.regimen_version}`, sections: sections.filter((s): s is Section => s !== null) };
}

/** A universe's warnings: its series', one line per kind naming the series (series not started have none). */
export function universeWarningsOf(u: UniverseFiles): Warning[] {
  const started = u.series.filter((s) => existsSync(workspacePaths(s.workspace).manifest));
  return universeWarnings(started.map((s) => ({ name: s.name, warnings: workspaceWarnings(s.workspace) })));
}

/**
 * The top page of a universe: the series compared and the portfolios, with the series' warnings
 * grouped by kind; each series' own page (a workspace's page like any other) is linked from its row.
 */
export function buildUniversePageData(u: UniverseFiles, page: string, seriesPages: Map<string, string>, warnings: Warning[]): PageData {
  const universe = universeSection(u, page, seriesPages);
  const done = universe ? '' : ` (not complete: ${u.manifest.universe.series.length} series, results are written when every one has validated)`;
  const sections: Array<Section | null> = [warnings.length ? { kind: 'warnings', warnings } : null, universe];
  return {
    title: `Regimen report — ${u.manifest.workflow_id} · universe of ${u.manifest.universe.series.length} series${done}`,
    generated_by: `regimen ${u.manifest.regimen_version}`,
    sections: sections.filter((s): s is Section => s !== null),
  };
}
