import { extname } from 'node:path';
import { makeVector, Utf8, vectorFromArray, type Data } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { regimenError, writeFileAtomic } from '@regimen/core';
import { ARROW_EXTENSIONS, isArrowPath, tableOf, writeArrowTable } from './arrow-file.js';
import { timestampData } from './bars-table.js';
import { isParquetPath, PARQUET_EXTENSIONS } from './parquet-series.js';
import { shapesBars, timeOptions } from './data-info.js';
import { readMarketData, type LoadOptions } from './market-data.js';
import { openSeries, type RawSeries, type TimeOptions } from './series.js';
import { checkZone } from './zone.js';

/** Columns of a converted file: the time key as epoch ms, then every other column in file order. */
export interface ConvertedColumns {
  timeName: string;
  time: Float64Array;
  columns: Array<{ name: string; numbers?: Float64Array; texts?: string[] }>;
}

/**
 * What `regimen data convert` writes: every column of the file (numeric ones as numbers, the rest
 * as text) — or, when the load shapes bars (price, duplicates, resample), the bars a workflow
 * would use: time, open, high, low, close (and volume).
 */
export async function convertedColumns(path: string, opts: LoadOptions = {}): Promise<ConvertedColumns> {
  if (!shapesBars(opts)) return (await readAllColumns(path, timeOptions(opts))).data;
  const { bars } = await readMarketData(path, opts);
  const columns = (['open', 'high', 'low', 'close', 'volume'] as const).flatMap((k) => (bars[k] ? [{ name: k, numbers: bars[k] }] : []));
  return { timeName: 'time', time: bars.time, columns };
}

/** Reads every column of a file: numeric ones as numbers, the rest as text. */
export async function readAllColumns(path: string, opts: TimeOptions = {}): Promise<{ raw: RawSeries; data: ConvertedColumns }> {
  if (opts.timezone !== undefined) checkZone(opts.timezone, 'timezone', path);
  const src = openSeries(path, opts);
  const types = src.types();
  const numbers = src.columns.filter((c) => types.get(c) === 'number');
  const texts = src.columns.filter((c) => types.get(c) !== 'number');
  const raw = await src.read(numbers, texts);
  const columns = src.columns.map((name) => (types.get(name) === 'number' ? { name, numbers: raw.numbers(name) } : { name, texts: raw.texts(name) }));
  return { raw, data: { timeName: src.timeName, time: raw.time, columns } };
}

/** Arrow IPC file: time as Timestamp(ms, UTC), numbers as Float64, text as Utf8. */
export function writeColumnsArrow(path: string, c: ConvertedColumns): void {
  const cols: Array<[string, Data]> = [[c.timeName, timestampData(c.time)]];
  for (const col of c.columns) cols.push([col.name, col.numbers ? makeVector(col.numbers).data[0]! : vectorFromArray(col.texts!, new Utf8()).data[0]!]);
  writeArrowTable(path, tableOf(cols));
}

/** Parquet file (snappy): time as INT64 TIMESTAMP(MILLIS, UTC), numbers as DOUBLE, text as UTF-8 strings; all required. */
export function writeColumnsParquet(path: string, c: ConvertedColumns): void {
  const ms = timestampData(c.time).values as BigInt64Array;
  const schema = [
    { name: 'root', num_children: c.columns.length + 1 },
    { name: c.timeName, type: 'INT64' as const, repetition_type: 'REQUIRED' as const, logical_type: { type: 'TIMESTAMP' as const, isAdjustedToUTC: true, unit: 'MILLIS' as const } },
    ...c.columns.map((col) => (col.numbers
      ? { name: col.name, type: 'DOUBLE' as const, repetition_type: 'REQUIRED' as const }
      : { name: col.name, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'REQUIRED' as const })),
  ];
  const buffer = parquetWriteBuffer({
    columnData: [{ name: c.timeName, data: ms }, ...c.columns.map((col) => ({ name: col.name, data: col.numbers ?? col.texts! }))],
    schema,
    rowGroupSize: 1_000_000,
  });
  writeFileAtomic(path, new Uint8Array(buffer));
}

export type OutputFormat = 'arrow' | 'parquet';

export function outputFormat(path: string, field = 'out'): OutputFormat {
  if (isArrowPath(path)) return 'arrow';
  if (isParquetPath(path)) return 'parquet';
  throw regimenError({ code: 'usage', field, value: path, message: `write Arrow (${ARROW_EXTENSIONS.join(', ')}) or Parquet (${PARQUET_EXTENSIONS.join(', ')}), not ${extname(path) || 'no extension'}` });
}

export function writeColumns(path: string, c: ConvertedColumns): OutputFormat {
  const format = outputFormat(path);
  if (format === 'arrow') writeColumnsArrow(path, c);
  else writeColumnsParquet(path, c);
  return format;
}
