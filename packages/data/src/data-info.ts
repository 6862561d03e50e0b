import { basename } from 'node:path';
import { inferBarsPerYear } from './bars-per-year.js';
import { readMarketData, type DataReading, type LoadOptions } from './market-data.js';
import { openSeries, type ColumnType, type SeriesSource, type TimeOptions } from './series.js';
import { checkZone } from './zone.js';
import { DAY_MS, isoTime, type TimeKind } from './time.js';

export interface SpacingCount {
  /** time from one bar to the next, ms */
  ms: number;
  count: number;
}

export interface Gap {
  from: string;
  to: string;
  ms: number;
}

export interface DataInfo {
  file: string;
  format: SeriesSource['format'];
  rows: number;
  time_column: string;
  time_kind: TimeKind;
  first: string;
  last: string;
  span_days: number;
  columns: Array<{ name: string; type: ColumnType }>;
  /** the most common bar spacings, most frequent first (at most 10) */
  spacing: SpacingCount[];
  /** spacings not among those listed */
  spacing_other: number;
  median_spacing_ms: number;
  /** spacings longer than 1.5 × the median (weekends and holidays count) */
  gaps: number;
  /** the longest of them (at most 5), longest first */
  largest_gaps: Gap[];
  /** rows whose time equals the previous row's */
  duplicates: number;
  /** rows whose time is before the previous row's */
  out_of_order: number;
  /** what a workflow would infer (null for a bar index, where it must be given) */
  bars_per_year: number | null;
  /** when a price, duplicates or resample choice was given: the bars described are the ones a workflow would use */
  bars_from?: { reading: DataReading; rows_read: number; duplicates_dropped: number; resampled: { bars: number; empty_intervals: number } | null };
}

const SPACINGS_LISTED = 10;
const GAPS_LISTED = 5;

/** Rows, span, spacing, gaps, duplicates and inferred bars_per_year of a file — reading only its time column. */
export function seriesInfo(src: SeriesSource, time: Float64Array, timeKind: TimeKind): DataInfo {
  const n = time.length;
  const counts = new Map<number, number>();
  const spacings = new Float64Array(Math.max(0, n - 1));
  let duplicates = 0;
  let outOfOrder = 0;
  for (let i = 1; i < n; i++) {
    const d = time[i]! - time[i - 1]!;
    spacings[i - 1] = d;
    if (d === 0) duplicates++;
    else if (d < 0) outOfOrder++;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const sorted = Float64Array.from(spacings).sort();
  const median = sorted.length ? sorted[(sorted.length - 1) >> 1]! : 0;
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([ms, count]) => ({ ms, count }));
  const listed = ranked.slice(0, SPACINGS_LISTED);
  const gapIdx: number[] = [];
  for (let i = 0; i < spacings.length; i++) if (spacings[i]! > 1.5 * median) gapIdx.push(i);
  const largest = [...gapIdx].sort((a, b) => spacings[b]! - spacings[a]! || a - b).slice(0, GAPS_LISTED);
  const ordered = outOfOrder === 0 && n >= 2;
  const types = src.types();
  return {
    file: basename(src.file),
    format: src.format,
    rows: n,
    time_column: src.timeName,
    time_kind: timeKind,
    first: n ? isoTime(time[0]!) : '',
    last: n ? isoTime(time[n - 1]!) : '',
    span_days: n ? (time[n - 1]! - time[0]!) / DAY_MS : 0,
    columns: src.columns.map((name) => ({ name, type: types.get(name) ?? 'text' })),
    spacing: listed,
    spacing_other: spacings.length - listed.reduce((s, x) => s + x.count, 0),
    median_spacing_ms: median,
    gaps: gapIdx.length,
    largest_gaps: largest.map((i) => ({ from: isoTime(time[i]!), to: isoTime(time[i + 1]!), ms: spacings[i]! })),
    duplicates,
    out_of_order: outOfOrder,
    bars_per_year: timeKind === 'bar' || !ordered ? null : inferBarsPerYear(time),
  };
}

/** The time key options of a load. */
export function timeOptions(o: LoadOptions): TimeOptions {
  return { timeColumn: o.timeColumn, timeFormat: o.timeFormat, timezone: o.timezone };
}

/** Whether a load changes rows (price, duplicates, resampling), rather than only how time is read. */
export function shapesBars(o: LoadOptions): boolean {
  return o.price !== undefined || o.column !== undefined || o.duplicates !== undefined || o.resample !== undefined;
}

/**
 * `regimen data info`: the time column of any supported file, described; with a price,
 * duplicates or resample choice, the bars a workflow would use (and what reading did to the rows).
 */
export async function dataInfo(path: string, opts: LoadOptions = {}): Promise<DataInfo> {
  if (opts.timezone !== undefined) checkZone(opts.timezone, 'timezone', path);
  const src = openSeries(path, timeOptions(opts));
  if (!shapesBars(opts)) {
    const raw = await src.read([]);
    return seriesInfo(src, raw.time, raw.timeKind);
  }
  const md = await readMarketData(path, opts);
  return {
    ...seriesInfo(src, md.bars.time, md.timeKind),
    bars_from: { reading: md.reading, rows_read: md.rows.read, duplicates_dropped: md.rows.duplicates_dropped, resampled: md.rows.resampled },
  };
}
