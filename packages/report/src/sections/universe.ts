import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readJsonFile, regimenError, UniverseResultsSchema, UNIVERSE_RUNS, workspacePaths, type Manifest, type UniverseResults } from '@regimen/core';
import { readValidationEquity } from '@regimen/data';
import type { UniverseSection } from '../model.js';
import { relativeHref } from '../links.js';
import { drawdownOf, minMaxColumns } from '../reduce.js';
import { CHART_COLUMNS } from './validation.js';
import { WALK_FORWARD_LABELS } from './walk-forward.js';

/** A universe's top folder: its manifest, results and where each series' workspace is. */
export interface UniverseFiles {
  base: string;
  manifest: Manifest & { universe: NonNullable<Manifest['universe']> };
  /** null until every series has validated (the results are written only then) */
  results: UniverseResults | null;
  /** absolute folders of the series, in the manifest's order */
  series: Array<{ name: string; workspace: string }>;
}

export function universeFiles(dir: string, manifest: Manifest): UniverseFiles | null {
  if (!manifest.universe) return null;
  const paths = workspacePaths(dir);
  return {
    base: paths.base,
    manifest: manifest as UniverseFiles['manifest'],
    results: existsSync(paths.universeResults) ? readJsonFile(paths.universeResults, UniverseResultsSchema) : null,
    series: manifest.universe.series.map((s) => ({ name: s.name, workspace: resolve(paths.base, s.workspace) })),
  };
}

/**
 * The series side by side out of sample, the sign tests and the equal-weight portfolios' curves
 * (reduced as validation's are). `page` is where the page is written; `seriesPages` the series'
 * pages that exist (name → absolute path), which the table links to.
 */
export function universeSection(u: UniverseFiles, page: string, seriesPages: Map<string, string>, columns = CHART_COLUMNS): UniverseSection | null {
  const r = u.results;
  if (!r) return null;
  let portfolio: UniverseSection['portfolio'] = null;
  if (r.portfolio) {
    const file = resolve(u.base, r.portfolio.equity_file);
    const e = existsSync(file) ? readValidationEquity(file) : null;
    if (e && (e.time.length !== r.portfolio.bars || UNIVERSE_RUNS.some((run) => !e.equity[run]))) {
      throw regimenError({ code: 'workspace', file, message: `does not match ${workspacePaths(u.base).universeResults} (${e.time.length} bars, its portfolio has ${r.portfolio.bars}): rerun the universe` });
    }
    const curves = e ? UNIVERSE_RUNS.map((run) => e.equity[run]!) : null;
    portfolio = {
      first: r.portfolio.first,
      last: r.portfolio.last,
      bars: r.portfolio.bars,
      metrics: r.portfolio.metrics,
      equity: e && curves ? minMaxColumns(e.time, curves, columns) : null,
      drawdown: e && curves ? minMaxColumns(e.time, curves.map(drawdownOf), columns) : null,
    };
  }
  const baselines = UNIVERSE_RUNS.filter((run) => run !== 'adaptive');
  return {
    kind: 'universe',
    workflow_id: u.manifest.workflow_id,
    created_at: u.manifest.created_at,
    method: r.method,
    classifier: r.classifier,
    objective: r.objective,
    runs: UNIVERSE_RUNS.map((key) => ({ key, label: WALK_FORWARD_LABELS[key] })),
    series: r.series.map((s) => {
      const own = seriesPages.get(s.name);
      return { name: s.name, column: s.column, first: s.first, last: s.last, bars: s.bars, metrics: s.metrics, scores: s.scores, report: own ? relativeHref(page, own) : null };
    }),
    comparisons: baselines.map((baseline) => ({ baseline, label: WALK_FORWARD_LABELS[baseline], ...r.comparisons[baseline] })),
    portfolio,
  };
}
