import type { PageData, Section, Warning } from './model.js';
import { headerSection } from './sections/header.js';
import { ensembleSection } from './sections/ensemble.js';
import { regimesSection, regimeStatistics } from './sections/regimes.js';
import { surfaceSection } from './sections/surface.js';
import { tradesSection } from './sections/trades.js';
import { validationSection } from './sections/validation.js';
import { winnersSection } from './sections/winners.js';
import { flickerWarnings, noTradeWarnings } from './warnings.js';
import { readWorkspaceFiles, type WorkspaceFiles } from './workspace-files.js';

/** The warnings a user needs about a workspace; the same list the page and the CLI summary show. */
export function warningsOf(ws: WorkspaceFiles, stats = regimeStatistics(ws)): Warning[] {
  return [...noTradeWarnings(ws.surface), ...flickerWarnings(stats)];
}

/** `workspaceWarnings(dir)`: warningsOf a workspace folder. */
export function workspaceWarnings(dir: string): Warning[] {
  return warningsOf(readWorkspaceFiles(dir));
}

/**
 * The page's data, section by section, in reading order. A section whose files do not exist yet
 * (its phase has not run) is left out; a new section is one builder here and one renderer in
 * browser/sections/.
 */
export function buildPageData(ws: WorkspaceFiles): PageData {
  const stats = regimeStatistics(ws);
  const warnings = warningsOf(ws, stats);
  const sections: Array<Section | null> = [
    headerSection(ws),
    warnings.length ? { kind: 'warnings', warnings } : null,
    validationSection(ws),
    winnersSection(ws),
    surfaceSection(ws),
    ensembleSection(ws),
    regimesSection(stats),
    tradesSection(ws),
  ];
  return { title: `Regimen report — ${ws.manifest.workflow_id}`, generated_by: `regimen ${ws.manifest.regimen_version}`, sections: sections.filter((s): s is Section => s !== null) };
}
