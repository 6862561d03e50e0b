import { ManifestSchema, readJsonFile, writeFileAtomic, workspacePaths } from '@regimen/core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PageData, Warning } from './model.js';
import { pageLinks } from './links.js';
import { buildPageData, buildUniversePageData } from './page-data.js';
import { universeFiles, type UniverseFiles } from './sections/universe.js';
import { universeWarnings } from './warnings.js';
import { reportHtml } from './page.js';
import { readWorkspaceFiles } from './workspace-files.js';

export { buildPageData, buildUniversePageData, existingLinks, universeWarningsOf, warningsOf, workspaceWarnings } from './page-data.js';
export { universeFiles, universeSection, type UniverseFiles } from './sections/universe.js';
export { universeWarnings } from './warnings.js';
export { reportHtml } from './page.js';
export { readWorkspaceFiles, type WorkspaceFiles } from './workspace-files.js';
export { browserAssets, writeBrowserBundle } from './bundle.js';
export { minMaxColumns, drawdownOf } from './reduce.js';
export { regimeStats, labelRuns } from './regime-stats.js';
export { FLICKER_MEDIAN_BARS, FLICKER_MIN_TRANSITIONS } from './warnings.js';
export { OVERFIT_PBO } from './model.js';
export { formatMetric, formatNumber, formatPercent, METRIC_FORMATS } from './format.js';
export { pageLinks, relativeHref, type PageLinks } from './links.js';
export type * from './model.js';

export interface WrittenPage {
  path: string;
  bytes: number;
}

export interface WrittenReport extends WrittenPage {
  warnings: Warning[];
  /** a walk-forward's: every fold's own page, folds/fold_<k>/report.html, which the top page links to */
  folds: WrittenPage[];
  /** a universe's: every started series' own page, series/<name>/report.html, which the top page links to */
  series: WrittenPage[];
}

async function writePage(path: string, data: PageData): Promise<WrittenPage> {
  const html = await reportHtml(data);
  writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html) };
}

/**
 * `regimen report`: reads the workspace's files and writes report.html (or `out`) atomically. A
 * walk-forward's also writes each fold's page in its folder, first, so every link of the top page
 * points at a file that exists; the folds' pages link back to it.
 */
export async function writeReport(workspace: string, opts: { out?: string } = {}): Promise<WrittenReport> {
  const manifest = workspacePaths(workspace).manifest;
  const universe = existsSync(manifest) ? universeFiles(workspace, readJsonFile(manifest, ManifestSchema)) : null;
  if (universe) return writeUniverseReport(universe, opts);
  const ws = readWorkspaceFiles(workspace);
  const path = opts.out ? resolve(opts.out) : ws.paths.report;
  const folds: WrittenPage[] = [];
  let to: Parameters<typeof pageLinks>[1] = {};
  if (ws.walkForward) {
    for (const f of ws.walkForward.folds) if (f) folds.push(await writePage(f.paths.report, buildPageData(f, pageLinks(f.paths.report, { top: path }))));
    to = { folds: ws.walkForward.folds.map((f) => (f ? f.paths.report : null)) };
  } else if (ws.fold) {
    const top = workspacePaths(ws.fold.top).report;
    to = { top: existsSync(top) ? top : null };
  }
  const links = pageLinks(path, to);
  const data = buildPageData(ws, links);
  const page = await writePage(path, data);
  const warnings = data.sections.flatMap((s) => (s.kind === 'warnings' ? s.warnings : []));
  return { ...page, warnings, folds, series: [] };
}

/**
 * A universe: each started series' report in its folder first (so every link of the top page
 * points at a file that exists), then the top page comparing them.
 */
async function writeUniverseReport(u: UniverseFiles, opts: { out?: string }): Promise<WrittenReport> {
  const path = opts.out ? resolve(opts.out) : workspacePaths(u.base).report;
  const series: WrittenPage[] = [];
  const pages = new Map<string, string>();
  const perSeries: Array<{ name: string; warnings: Warning[] }> = [];
  for (const s of u.series) {
    if (!existsSync(workspacePaths(s.workspace).manifest)) continue; // not started yet
    const own = await writeReport(s.workspace);
    series.push({ path: own.path, bytes: own.bytes });
    pages.set(s.name, own.path);
    perSeries.push({ name: s.name, warnings: own.warnings });
  }
  const warnings = universeWarnings(perSeries);
  const page = await writePage(path, buildUniversePageData(u, path, pages, warnings));
  return { ...page, warnings, folds: [], series };
}
export { launchChromium, openReport, CHROMIUM_PATH, type OpenedReport } from './chromium.js';
