import { writeFileAtomic } from '@regimen/core';
import { resolve } from 'node:path';
import type { Warning } from './model.js';
import { buildPageData } from './page-data.js';
import { reportHtml } from './page.js';
import { readWorkspaceFiles } from './workspace-files.js';

export { buildPageData, warningsOf, workspaceWarnings } from './page-data.js';
export { reportHtml } from './page.js';
export { readWorkspaceFiles, type WorkspaceFiles } from './workspace-files.js';
export { browserAssets, writeBrowserBundle } from './bundle.js';
export { minMaxColumns, drawdownOf } from './reduce.js';
export { regimeStats, labelRuns } from './regime-stats.js';
export { FLICKER_MEDIAN_BARS, FLICKER_MIN_TRANSITIONS } from './warnings.js';
export { formatMetric, formatNumber, formatPercent, METRIC_FORMATS } from './format.js';
export type * from './model.js';

export interface WrittenReport {
  path: string;
  bytes: number;
  warnings: Warning[];
}

/** `regimen report`: reads the workspace's files and writes report.html (or `out`) atomically. */
export async function writeReport(workspace: string, opts: { out?: string } = {}): Promise<WrittenReport> {
  const ws = readWorkspaceFiles(workspace);
  const data = buildPageData(ws);
  const html = await reportHtml(data);
  const path = opts.out ? resolve(opts.out) : ws.paths.report;
  writeFileAtomic(path, html);
  const warnings = data.sections.flatMap((s) => (s.kind === 'warnings' ? s.warnings : []));
  return { path, bytes: Buffer.byteLength(html), warnings };
}
export { launchChromium, openReport, CHROMIUM_PATH, type OpenedReport } from './chromium.js';
