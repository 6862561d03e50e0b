import type { Table } from 'apache-arrow';
import { regimenError, type BarColumns } from '@regimen/core';
import { barsToTable } from './bars-table.js';
import { openSeries, type RawSeries, type SeriesSource } from './series.js';
import type { TimeKind } from './time.js';

export interface MarketData {
  /** the canonical Arrow form (time as Timestamp(ms), prices wrapping `bars`), made when first asked for */
  readonly table: Table;
  bars: BarColumns;
  /** absolute path of the file read */
  source: string;
  /** the file's column that became `bars.close` */
  priceColumn: string;
  /** every column of the file but the time key */
  columns: string[];
  /** `bar`: the file has no calendar (a bar index), so bars_per_year cannot be inferred and must be given */
  timeKind: TimeKind;
}

export interface LoadOptions {
  /** the price column; default `close` */
  column?: string;
  /** the fewest bars the workflow can use (its largest lookback); default 2, one return */
  minBars?: number;
}

function findColumn(columns: string[], name: string): string | undefined {
  if (columns.includes(name)) return name;
  const hits = columns.filter((c) => c.toLowerCase() === name.toLowerCase());
  return hits.length === 1 ? hits[0] : undefined;
}

function checkTimeOrder(s: RawSeries): void {
  for (let i = 1; i < s.time.length; i++) {
    const a = s.time[i - 1]!;
    const b = s.time[i]!;
    if (b > a) continue;
    const message = b === a
      ? `${s.where(i)}: duplicate timestamp (same as ${s.where(i - 1)}: ${s.timeText(i - 1)}); timestamps must strictly increase`
      : `${s.where(i)}: timestamp ${s.timeText(i)} is before ${s.timeText(i - 1)} on ${s.where(i - 1)}; rows must be sorted by time, strictly increasing`;
    throw regimenError({ code: 'data', file: s.file, field: s.timeName, value: s.timeText(i), message });
  }
}

function checkPositive(s: RawSeries, name: string, v: Float64Array): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) throw regimenError({ code: 'data', file: s.file, field: name, value: String(x), message: `${s.where(i)}: price is not a finite number` });
    if (x <= 0) throw regimenError({ code: 'data', file: s.file, field: name, value: x, message: `${s.where(i)}: price must be positive, got ${x === 0 ? 'zero' : 'a negative value'}` });
  }
}

function checkOhlc(s: RawSeries, bars: BarColumns, names: { open?: string; high?: string; low?: string; close: string }): void {
  const { open, high, low, close } = bars;
  for (let i = 0; i < close.length; i++) {
    const top = Math.max(open[i]!, close[i]!);
    const bottom = Math.min(open[i]!, close[i]!);
    if (high[i]! < top) {
      throw regimenError({
        code: 'data', file: s.file, field: names.high ?? names.close, value: high[i],
        message: `${s.where(i)}: high ${high[i]} is below max(open, close) = ${top}`,
      });
    }
    if (low[i]! > bottom) {
      throw regimenError({
        code: 'data', file: s.file, field: names.low ?? names.close, value: low[i],
        message: `${s.where(i)}: low ${low[i]} is above min(open, close) = ${bottom}`,
      });
    }
  }
}

function checkVolume(s: RawSeries, name: string, v: Float64Array): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x) || x < 0) throw regimenError({ code: 'data', file: s.file, field: name, value: String(x), message: `${s.where(i)}: volume must be a finite number >= 0` });
  }
}

interface ColumnPlan {
  priceColumn: string;
  names: { open?: string; high?: string; low?: string; close: string };
  volume?: string;
  /** every column to read, once */
  read: string[];
}

/** Which columns to read, decided from the header alone, so a wrong name fails before the body is read. */
function planColumns(src: SeriesSource, opts: LoadOptions): ColumnPlan {
  const wanted = opts.column ?? 'close';
  const priceColumn = findColumn(src.columns, wanted);
  if (!priceColumn) {
    throw regimenError({
      code: 'data', file: src.file, field: 'column', value: wanted,
      message: `no price column ${JSON.stringify(wanted)}; columns available: ${src.columns.join(', ') || '(none)'}`,
    });
  }
  // open/high/low/volume describe the close only when the price column *is* the close; a ticker
  // column of a wide file (DowJones30's MSFT) stands alone.
  const isClose = priceColumn.toLowerCase() === 'close';
  const named = (n: string) => (isClose ? findColumn(src.columns, n) : undefined);
  const names = { open: named('open'), high: named('high'), low: named('low'), close: priceColumn };
  const volume = named('volume');
  const read = [priceColumn, names.open, names.high, names.low, volume].filter((n): n is string => n !== undefined);
  return { priceColumn, names, volume, read };
}

/** Validate the columns read and make them, once, into BarColumns. */
function marketDataFrom(s: RawSeries, plan: ColumnPlan, opts: LoadOptions): MarketData {
  const minBars = opts.minBars ?? 2;
  const { priceColumn, names } = plan;
  checkTimeOrder(s);
  const close = s.numbers(priceColumn);
  checkPositive(s, priceColumn, close);
  const load = (n: string | undefined) => {
    if (!n) return close;
    const v = s.numbers(n);
    checkPositive(s, n, v);
    return v;
  };
  const bars: BarColumns = { time: s.time, open: load(names.open), high: load(names.high), low: load(names.low), close };
  if (plan.volume) {
    bars.volume = s.numbers(plan.volume);
    checkVolume(s, plan.volume, bars.volume);
  }
  if (names.open || names.high || names.low) checkOhlc(s, bars, names);
  const n = s.time.length;
  if (n < minBars) {
    throw regimenError({
      code: 'data', file: s.file, field: 'bars', value: n,
      message: opts.minBars !== undefined ? `${n} bars, need at least ${minBars} for the largest lookback` : `${n} bars, need at least ${minBars}`,
    });
  }
  let table: Table | undefined;
  return {
    get table() {
      table ??= barsToTable(bars, new Map([['source', s.file], ['price_column', priceColumn]]));
      return table;
    },
    bars, source: s.file, priceColumn, columns: s.columns, timeKind: s.timeKind,
  };
}

/**
 * CSV or Arrow IPC market data (by extension), validated; every failure is one error naming file
 * and row. The header is checked before the body is read. Parquet reads only asynchronously: use
 * `readMarketData`.
 */
export function loadMarketData(path: string, opts: LoadOptions = {}): MarketData {
  const src = openSeries(path);
  const plan = planColumns(src, opts);
  if (!src.readSync) {
    throw regimenError({ code: 'internal', file: src.file, message: `${src.format} files are read asynchronously: use readMarketData` });
  }
  return marketDataFrom(src.readSync(plan.read), plan, opts);
}

/** Market data from CSV, Arrow IPC or Parquet (by extension), validated like `loadMarketData`. */
export async function readMarketData(path: string, opts: LoadOptions = {}): Promise<MarketData> {
  const src = openSeries(path);
  const plan = planColumns(src, opts);
  return marketDataFrom(await src.read(plan.read), plan, opts);
}
