import { resolve } from 'node:path';
import { isArrowPath } from './arrow-file.js';
import { openArrowSeries } from './arrow-series.js';
import { openCsvSeries } from './csv-series.js';
import { isParquetPath, openParquetSeries } from './parquet-series.js';
import { regimenError } from '@regimen/core';
import type { TimeKind } from './time.js';
import type { TimeFormat } from './time-reader.js';

/** A column's type as the file declares it (Arrow, Parquet) or as its first row shows it (CSV). */
export type ColumnType = 'number' | 'text';

/**
 * What a file reader hands to validation: the time key as epoch ms plus the columns that were
 * asked for, each read once. Several price columns of one file come from one read.
 */
export interface RawSeries {
  /** absolute path, for error messages */
  file: string;
  timeName: string;
  timeKind: TimeKind;
  time: Float64Array;
  /** the time key as written, for messages (`2001-01-03`, not an epoch number); may read the file again */
  timeText(i: number): string;
  /** every column but the time key, in file order */
  columns: string[];
  /** a column that was read, as numbers; a missing or non-numeric cell was already an error naming its row */
  numbers(name: string): Float64Array;
  /** a column that was read as text (for `regimen data convert`) */
  texts(name: string): string[];
  /** where row i sits in the file, for messages: `line 12` (CSV) or `row 11` (Arrow, Parquet) */
  where(i: number): string;
}

/**
 * An opened market data file whose header (CSV) or schema (Arrow, Parquet) has been read and
 * checked — nothing else yet — so a wrong column name fails at once, however large the file.
 */
export interface SeriesSource {
  file: string;
  format: 'csv' | 'arrow' | 'parquet';
  timeName: string;
  /** every column but the time key, in file order */
  columns: string[];
  /** declared (or first-row) type of every column but the time key */
  types(): Map<string, ColumnType>;
  /** rows, when the format knows it without reading (Arrow, Parquet) */
  rows?: number;
  /** reads the time key, the named numeric columns and the named text columns, the file once */
  read(numbers: readonly string[], texts?: readonly string[]): Promise<RawSeries>;
  /** the same, synchronously (CSV and Arrow; Parquet reads only asynchronously) */
  readSync?(numbers: readonly string[], texts?: readonly string[]): RawSeries;
}

/** How to read the time key (issue: data as users have it). Absent keys keep today's rules. */
export interface TimeOptions {
  /** the time key's column (any position); default: the first column, named date|timestamp|time|datetime|bar (CSV), or the named/first timestamp column (Arrow, Parquet) */
  timeColumn?: string;
  /** default `iso` (CSV text); numbers in Arrow/Parquet default to epoch ms */
  timeFormat?: TimeFormat;
  /** IANA zone of date-times written without a zone (CSV) or stored as local times (Parquet) */
  timezone?: string;
}

/** Opens a file by extension: Arrow IPC, Parquet, else CSV. */
export function openSeries(path: string, opts: TimeOptions = {}): SeriesSource {
  const file = resolve(path);
  if (isArrowPath(file)) return openArrowSeries(file, opts);
  if (isParquetPath(file)) return openParquetSeries(file, opts);
  return openCsvSeries(file, opts);
}

/** The column a user named: exact, else the one matching without regard to case; undefined if none or several. */
export function findColumn(columns: readonly string[], name: string): string | undefined {
  if (columns.includes(name)) return name;
  const hits = columns.filter((c) => c.toLowerCase() === name.toLowerCase());
  return hits.length === 1 ? hits[0] : undefined;
}

/** The one error for a time_column that is not in the file. */
export function unknownTimeColumn(file: string, name: string, columns: readonly string[]): never {
  throw regimenError({ code: 'data', file, field: 'time_column', value: name, message: `no such column; columns: ${columns.join(', ')}` });
}
