import { parseDocument } from 'yaml';
import { canonicalJson, parseWith, sha256, workspacePaths, WorkflowConfigSchema, type DataFingerprint, type ResolvedConfig, type UniverseSeries } from '@regimen/core';
import { inferBarsPerYear, isoTime, readingOptions, readMarketData, readMarketSeries, universeColumns, type MarketData } from '@regimen/data';
import { checkDistinct, checkSeriesName, resolveConfig } from '../defaults.js';
import { planSeries, type PreparedConfig, type PreparedSeries } from '../prepare.js';

/** A universe ready to run: every series prepared as a workflow of its own, and what the top records. */
export interface PreparedUniverse {
  series: PreparedSeries[];
  /** the series' fingerprints hashed in order (bars: their sum; first/last: the span of all) */
  fingerprint: DataFingerprint;
  /** the series' splits summed (test_start: the earliest) */
  split: { train_bars: number; test_bars: number; test_start: string };
  /** bars per year of the bars every series has (given, or inferred from them) */
  barsPerYear: number;
}

const COLUMNS_HINT = 'name the series with a map: columns: { name: column }';

/**
 * Read every series of a universe — the columns of one file in one read, or each file — and
 * prepare each as the workflow of one series it is: its own config (the universe's, with its file
 * and price column; metadata/config.yaml in its folder says the same as YAML, so every command
 * works on the folder alone), split, fingerprint and fold plan, by the same code a workflow of one
 * series uses. Fills in the resolved series (a universe of `columns: all` learns them here).
 */
export async function readUniverse(base: PreparedConfig): Promise<PreparedUniverse> {
  const { config, configPath } = base;
  const universe = config.data.universe!;
  const reading = { ...readingOptions(config.data), minBars: 4 };
  const { price: _p, column: _c, ...shared } = reading;
  let markets: MarketData[];
  if (universe.from === 'columns') {
    const spec = base.raw.workflow.data!.columns!;
    const columns = universeColumns(config.data.path, spec, shared);
    const entries = Array.isArray(spec) || spec === 'all' ? columns.map((c, i) => ({ field: spec === 'all' ? 'workflow.data.columns' : `workflow.data.columns[${i}]`, value: c.column })) : Object.keys(spec).map((n) => ({ field: `workflow.data.columns.${n}`, value: spec[n] }));
    columns.forEach((c, i) => checkSeriesName(c.name, configPath, entries[i]!.field, entries[i]!.value, COLUMNS_HINT));
    checkDistinct(columns.map((c) => c.name), (i) => entries[i]!, configPath, COLUMNS_HINT);
    markets = await readMarketSeries(config.data.path, columns.map((c) => c.column), shared);
    universe.series = columns.map((c) => ({ name: c.name, path: config.data.path, column: c.column }));
  } else {
    markets = [];
    for (const s of universe.series) markets.push(await readMarketData(s.path, reading));
  }
  config.data.time_column = markets[0]!.reading.time_column;
  const top = workspacePaths(config.output_dir);
  const series = universe.series.map((s, i) => {
    const own = seriesConfig(base, s, universe.from);
    const planned = planSeries(base, own.config, markets[i]!, top.seriesDir(s.name));
    return { ...base, ...planned, text: own.text, series: { name: s.name, index: i, of: universe.series.length, workspace: top.base } };
  });
  return { series, ...universeFacts(config, series) };
}

/**
 * The workflow of one series: the universe's YAML with `data` naming the series' own file and
 * price column (comments kept), resolved as any workflow file is, and its strategies those the
 * universe bound (the same plugins, loaded once). Its id is the universe's and the series' name.
 */
function seriesConfig(base: PreparedConfig, s: UniverseSeries, from: 'columns' | 'paths'): { config: ResolvedConfig; text: string } {
  const doc = parseDocument(base.text);
  for (const key of ['columns', 'paths']) doc.deleteIn(['workflow', 'data', key]);
  doc.setIn(['workflow', 'data', 'path'], s.path);
  if (from === 'columns') {
    doc.deleteIn(['workflow', 'data', 'price']);
    doc.setIn(['workflow', 'data', 'column'], s.column);
  }
  doc.setIn(['workflow', 'id'], `${base.config.workflow_id}.${s.name}`.replace(/[^A-Za-z0-9_.-]/g, '_'));
  doc.deleteIn(['workflow', 'output_dir']);
  const text = doc.toString();
  const raw = parseWith(WorkflowConfigSchema, doc.toJS(), { file: base.configPath, code: 'config' });
  const outDir = workspacePaths(base.config.output_dir).seriesDir(s.name);
  const config = resolveConfig(raw, { configPath: base.configPath, baseDir: base.baseDir, outDir });
  return { config: { ...config, strategies: base.config.strategies }, text };
}

/** What the universe's own manifest says of its data: the series' fingerprints in one, their splits, the shared calendar's bars per year. */
function universeFacts(config: ResolvedConfig, series: PreparedSeries[]): Omit<PreparedUniverse, 'series'> {
  const fps = series.map((s) => s.fingerprint);
  const times = series.map((s) => s.market.bars.time);
  const span = (pick: (t: Float64Array) => number, better: (a: number, b: number) => boolean) => times.map(pick).reduce((a, b) => (better(b, a) ? b : a));
  const fingerprint: DataFingerprint = {
    sha256: sha256(canonicalJson(series.map((s) => [s.series!.name, s.fingerprint.sha256]))),
    bars: fps.reduce((n, f) => n + f.bars, 0),
    first: isoTime(span((t) => t[0]!, (a, b) => a < b)),
    last: isoTime(span((t) => t[t.length - 1]!, (a, b) => a > b)),
    source: [...new Set(fps.map((f) => f.source))].join(', '),
    reading: fps[0]!.reading,
  };
  const testStarts = series.map((s) => s.market.bars.time[s.split.testStart]!);
  const split = {
    train_bars: series.reduce((n, s) => n + s.split.trainEnd, 0),
    test_bars: series.reduce((n, s) => n + s.market.bars.close.length - s.split.testStart, 0),
    test_start: isoTime(Math.min(...testStarts)),
  };
  const common = sharedTimes(times);
  const barsPerYear = config.data.bars_per_year ?? (common.length >= 3 ? inferBarsPerYear(common) : series[0]!.barsPerYear);
  return { fingerprint, split, barsPerYear };
}

/** The timestamps every series has (each series' times strictly increase). */
export function sharedTimes(times: readonly Float64Array[]): Float64Array {
  let common = times[0]!;
  for (const t of times.slice(1)) {
    const out: number[] = [];
    for (let i = 0, j = 0; i < common.length && j < t.length; ) {
      if (common[i]! === t[j]!) (out.push(common[i]!), i++, j++);
      else if (common[i]! < t[j]!) i++;
      else j++;
    }
    common = Float64Array.from(out);
  }
  return common;
}
