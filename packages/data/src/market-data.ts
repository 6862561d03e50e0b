import type { Table } from 'apache-arrow';
import { regimenError, type BarColumns } from '@regimen/core';
import { barsToTable } from './bars-table.js';
import { checkResampled, parseInterval, resampleBars } from './resample.js';
import { findColumn, openSeries, type RawSeries, type SeriesSource } from './series.js';
import type { TimeKind } from './time.js';
import type { TimeFormat } from './time-reader.js';
import { checkZone } from './zone.js';

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
  /** every reading choice, resolved (written into config.resolved.json and the data fingerprint) */
  reading: DataReading;
  /** what reading did to the rows: rows in the file, duplicates dropped, resampling */
  rows: { read: number; duplicates_dropped: number; resampled: { bars: number; empty_intervals: number } | null };
}

export type DuplicatePolicy = 'error' | 'first' | 'last' | 'all';
/** the price: one column, or the mid of two (bid and ask) */
export type PriceSpec = string | { mid: [string, string] };

/** The reading choices as resolved: what a workspace records. */
export interface DataReading {
  time_column: string;
  time_format: TimeFormat;
  timezone: string | null;
  duplicates: DuplicatePolicy;
  price: { column: string } | { mid: [string, string] };
  resample: { every: string } | null;
}

export interface LoadOptions {
  /** the price column; default `close` (same as `price` given as a column name) */
  column?: string;
  /** the price: a column name, or `{ mid: [bid, ask] }` */
  price?: PriceSpec;
  /** the time key's column, any position (default: the first column, named as a time key) */
  timeColumn?: string;
  /** default `iso` */
  timeFormat?: TimeFormat;
  /** IANA zone of date-times written without one */
  timezone?: string;
  /** what to do with rows whose time equals the previous row's (default `error`; with `resample`, `all`) */
  duplicates?: DuplicatePolicy;
  /** OHLC bars of this interval (`5min`, `1h`, `1d`), stamped at the interval's end */
  resample?: { every: string };
  /** the fewest bars the workflow can use (its largest lookback); default 2, one return */
  minBars?: number;
}


/**
 * Rows must be sorted by time. A run of equal times is an error, keeps its first or its last
 * row, or — `all`, for ticks that resampling makes into bars — every row in file order; returns
 * the rows kept (null: all of them).
 */
function checkTimeOrder(s: RawSeries, policy: DuplicatePolicy): Int32Array | null {
  let keep: number[] | null = null;
  for (let i = 1; i < s.time.length; i++) {
    const a = s.time[i - 1]!;
    const b = s.time[i]!;
    if (b > a) {
      keep?.push(i);
      continue;
    }
    if (b === a && policy === 'all') continue;
    if (b === a && policy !== 'error') {
      keep ??= Array.from({ length: i }, (_, k) => k);
      // `last`: the later row replaces the earlier one of the same time
      if (policy === 'last') keep[keep.length - 1] = i;
      continue;
    }
    const message = b === a
      ? `${s.where(i)}: duplicate timestamp (same as ${s.where(i - 1)}: ${s.timeText(i - 1)}); timestamps must strictly increase (or set duplicates: first | last, or resample the ticks into bars)`
      : `${s.where(i)}: timestamp ${s.timeText(i)} is before ${s.timeText(i - 1)} on ${s.where(i - 1)}; rows must be sorted by time, strictly increasing`;
    throw regimenError({ code: 'data', file: s.file, field: s.timeName, value: s.timeText(i), message });
  }
  return keep && Int32Array.from(keep);
}

function gather(v: Float64Array, keep: Int32Array): Float64Array {
  const out = new Float64Array(keep.length);
  for (let i = 0; i < keep.length; i++) out[i] = v[keep[i]!]!;
  return out;
}

/** The series with only the kept rows; messages still name each row's own line. */
function keptRows(s: RawSeries, keep: Int32Array): RawSeries {
  const columns = new Map<string, Float64Array>();
  return {
    ...s,
    time: gather(s.time, keep),
    where: (i) => s.where(keep[i]!),
    timeText: (i) => s.timeText(keep[i]!),
    numbers: (name) => columns.get(name) ?? columns.set(name, gather(s.numbers(name), keep)).get(name)!,
  };
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
  mid?: [string, string];
  names: { open?: string; high?: string; low?: string; close: string };
  volume?: string;
  /** every column to read, once */
  read: string[];
}

function resolveColumn(src: SeriesSource, wanted: string, field: string): string {
  const name = findColumn(src.columns, wanted);
  if (name) return name;
  throw regimenError({
    code: 'data', file: src.file, field, value: wanted,
    message: `no price column ${JSON.stringify(wanted)}; columns available: ${src.columns.join(', ') || '(none)'}`,
  });
}

/** Which columns to read, decided from the header alone, so a wrong name fails before the body is read. */
function planColumns(src: SeriesSource, opts: LoadOptions): ColumnPlan {
  if (opts.price !== undefined && opts.column !== undefined) {
    throw regimenError({ code: 'config', field: 'price', value: opts.price, message: 'give price or column, not both' });
  }
  const price = opts.price ?? opts.column ?? 'close';
  const types = src.format === 'csv' ? null : src.types();
  const numeric = (name: string, field: string) => {
    if (types && types.get(name) !== 'number') throw regimenError({ code: 'data', file: src.file, field, value: name, message: 'column is not numeric' });
    return name;
  };
  if (typeof price !== 'string') {
    const mid: [string, string] = [numeric(resolveColumn(src, price.mid[0], 'price.mid'), 'price.mid'), numeric(resolveColumn(src, price.mid[1], 'price.mid'), 'price.mid')];
    return { priceColumn: `mid(${mid[0]},${mid[1]})`, mid, names: { close: mid[0] }, read: mid };
  }
  const priceColumn = numeric(resolveColumn(src, price, 'column'), 'column');
  // open/high/low/volume describe the close only when the price column *is* the close; a ticker
  // column of a wide file (DowJones30's MSFT) stands alone.
  const isClose = priceColumn.toLowerCase() === 'close';
  const named = (n: string) => (isClose ? findColumn(src.columns, n) : undefined);
  const names = { open: named('open'), high: named('high'), low: named('low'), close: priceColumn };
  const volume = named('volume');
  const read = [priceColumn, names.open, names.high, names.low, volume].filter((n): n is string => n !== undefined);
  return { priceColumn, names, volume, read };
}

/** Validate the columns read and make them, once, into BarColumns: duplicates, price, resampling. */
function marketDataFrom(raw: RawSeries, plan: ColumnPlan, opts: LoadOptions): MarketData {
  const minBars = opts.minBars ?? 2;
  const { priceColumn, names } = plan;
  // ticks that share a stamp are normal at minute resolution: a bar made of them sees every one
  const duplicates = opts.duplicates ?? (opts.resample ? 'all' : 'error');
  if (duplicates === 'all' && !opts.resample) {
    throw regimenError({ code: 'config', field: 'duplicates', value: 'all', message: 'keeping every row of a time needs resample (bars must have distinct times): give resample, or duplicates: first | last' });
  }
  const keep = checkTimeOrder(raw, duplicates);
  // rows a duplicate rule dropped are not data: validation sees the kept rows, named by their own lines
  const s = keep ? keptRows(raw, keep) : raw;
  const checked = (n: string) => {
    const v = s.numbers(n);
    checkPositive(s, n, v);
    return v;
  };
  let close: Float64Array;
  if (plan.mid) {
    const bid = checked(plan.mid[0]);
    const ask = checked(plan.mid[1]);
    close = new Float64Array(bid.length);
    for (let i = 0; i < bid.length; i++) close[i] = (bid[i]! + ask[i]!) / 2;
  } else close = checked(priceColumn);
  const load = (n: string | undefined) => (n ? checked(n) : close);
  let bars: BarColumns = { time: s.time, open: load(names.open), high: load(names.high), low: load(names.low), close };
  if (plan.volume) {
    bars.volume = s.numbers(plan.volume);
    checkVolume(s, plan.volume, bars.volume);
  }
  if (!plan.mid && (names.open || names.high || names.low)) checkOhlc(s, bars, names);
  let resampled: MarketData['rows']['resampled'] = null;
  if (opts.resample) {
    const every = parseInterval(opts.resample.every);
    if (every === null) throw regimenError({ code: 'config', field: 'resample.every', value: opts.resample.every, message: 'an interval such as 30s, 5min, 1h or 1d' });
    const r = resampleBars(bars, every, opts.timezone);
    checkResampled(r, opts.resample.every, s.file);
    bars = r.bars;
    resampled = { bars: r.bars.time.length, empty_intervals: r.empty_intervals };
  }
  const n = bars.time.length;
  if (n < minBars) {
    throw regimenError({
      code: 'data', file: s.file, field: 'bars', value: n,
      message: opts.minBars !== undefined ? `${n} bars, need at least ${minBars} for the largest lookback` : `${n} bars, need at least ${minBars}`,
    });
  }
  const reading: DataReading = {
    time_column: s.timeName,
    time_format: opts.timeFormat ?? 'iso',
    timezone: opts.timezone ?? null,
    duplicates,
    price: plan.mid ? { mid: plan.mid } : { column: priceColumn },
    resample: opts.resample ? { every: opts.resample.every } : null,
  };
  const timeKind: TimeKind = resampled && s.timeKind === 'date' ? 'datetime' : s.timeKind;
  let table: Table | undefined;
  const finalBars = bars;
  return {
    get table() {
      table ??= barsToTable(finalBars, new Map([['source', s.file], ['price_column', priceColumn]]));
      return table;
    },
    bars: finalBars, source: s.file, priceColumn, columns: s.columns, timeKind, reading,
    rows: { read: raw.time.length, duplicates_dropped: keep ? raw.time.length - keep.length : 0, resampled },
  };
}

export function openMarketFile(path: string, opts: Omit<LoadOptions, 'price' | 'column'>): SeriesSource {
  if (opts.timezone !== undefined) checkZone(opts.timezone, 'timezone', path);
  return openSeries(path, { timeColumn: opts.timeColumn, timeFormat: opts.timeFormat, timezone: opts.timezone });
}

/**
 * CSV or Arrow IPC market data (by extension), validated; every failure is one error naming file
 * and row. The header is checked before the body is read. Parquet reads only asynchronously: use
 * `readMarketData`.
 */
export function loadMarketData(path: string, opts: LoadOptions = {}): MarketData {
  const src = openMarketFile(path, opts);
  const plan = planColumns(src, opts);
  if (!src.readSync) {
    throw regimenError({ code: 'internal', file: src.file, message: `${src.format} files are read asynchronously: use readMarketData` });
  }
  return marketDataFrom(src.readSync(plan.read), plan, opts);
}

/** Market data from CSV, Arrow IPC or Parquet (by extension), validated like `loadMarketData`. */
export async function readMarketData(path: string, opts: LoadOptions = {}): Promise<MarketData> {
  const src = openMarketFile(path, opts);
  const plan = planColumns(src, opts);
  return marketDataFrom(await src.read(plan.read), plan, opts);
}

/**
 * Several series of one file, the file read once: one MarketData per price (a column, or a mid),
 * each validated and shaped by the same reading choices (a universe of tickers in one CSV).
 */
export async function readMarketSeries(path: string, prices: readonly PriceSpec[], opts: Omit<LoadOptions, 'price' | 'column'> = {}): Promise<MarketData[]> {
  const src = openMarketFile(path, opts);
  const plans = prices.map((price) => planColumns(src, { ...opts, price }));
  const raw = await src.read([...new Set(plans.flatMap((p) => p.read))]);
  return plans.map((plan, k) => marketDataFrom(raw, plan, { ...opts, price: prices[k] }));
}
