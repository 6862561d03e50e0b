import { readFileSync } from 'node:fs';
import { parquetMetadata, parquetRead, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { regimenError } from '@regimen/core';
import { int64ToNumbers } from './int64.js';
import { findColumn, unknownTimeColumn, type ColumnType, type SeriesSource, type TimeOptions } from './series.js';
import { epochMs } from './time-reader.js';
import { wallClockToUtc } from './zone.js';
import { BAR_INDEX_KEY, DAY_MS, TIME_KEY_NAMES, isoTime, type TimeKind } from './time.js';

export const PARQUET_EXTENSIONS = ['.parquet', '.pq'] as const;

export function isParquetPath(path: string): boolean {
  const p = path.toLowerCase();
  return PARQUET_EXTENSIONS.some((ext) => p.endsWith(ext));
}

const NUMERIC = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);
const MS_PER: Record<string, number> = { MILLIS: 1, MICROS: 1e-3, NANOS: 1e-6 };

/** How a time column's stored integers become epoch ms, or null when it is not a time type. */
function timeScale(e: SchemaElement): { scale: number; utc: boolean } | null {
  const lt = e.logical_type;
  if (lt?.type === 'TIMESTAMP') return { scale: MS_PER[lt.unit]!, utc: lt.isAdjustedToUTC };
  if (lt?.type === 'DATE' || e.converted_type === 'DATE') return { scale: DAY_MS, utc: true };
  if (e.converted_type === 'TIMESTAMP_MILLIS') return { scale: 1, utc: true };
  if (e.converted_type === 'TIMESTAMP_MICROS') return { scale: 1e-3, utc: true };
  if (e.type === 'INT96') return { scale: 1, utc: true };
  return null;
}

function isNumber(e: SchemaElement): boolean {
  return (NUMERIC.has(e.type ?? '') || e.converted_type === 'DECIMAL') && timeScale(e) === null;
}

/**
 * Parquet market data through hyparquet (pure JavaScript; gzip, zstd, brotli, lz4 through
 * hyparquet-compressors). The schema is checked on open from the footer; columns are read on
 * `read`, asynchronously (hyparquet has no synchronous reader). Timestamps arrive as their raw
 * 64-bit integers — the time column's logical type is dropped from the metadata handed to
 * hyparquet, which would otherwise make a Date object per value — and are scaled to epoch ms here.
 */
export function openParquetSeries(file: string, opts: TimeOptions = {}): SeriesSource {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw regimenError({ code: 'data', file, message: `cannot read market data (${(e as NodeJS.ErrnoException).code ?? 'error'})`, cause: e });
  }
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buffer = (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(buffer);
  } catch (e) {
    throw regimenError({ code: 'data', file, message: `not a valid Parquet file: ${(e as Error).message}`, cause: e });
  }
  const [root, ...leaves] = metadata.schema;
  if (!root || leaves.length !== (root.num_children ?? 0)) {
    throw regimenError({ code: 'data', file, field: 'schema', message: 'nested Parquet schemas are not supported: expected one flat column per field' });
  }
  if (opts.timeColumn !== undefined && findColumn(leaves.map((e) => e.name), opts.timeColumn) === undefined) unknownTimeColumn(file, opts.timeColumn, leaves.map((e) => e.name));
  const wanted = opts.timeColumn === undefined ? -1 : leaves.findIndex((e) => e.name === findColumn(leaves.map((x) => x.name), opts.timeColumn!));
  const named = wanted >= 0 ? wanted : leaves.findIndex((e) => (TIME_KEY_NAMES as readonly string[]).includes(e.name.toLowerCase()) || e.name.toLowerCase() === BAR_INDEX_KEY);
  const index = named >= 0 ? named : leaves.findIndex((e) => timeScale(e) !== null);
  if (index < 0) {
    throw regimenError({ code: 'data', file, field: 'schema', message: `no time column: expected a timestamp/date column or one named ${TIME_KEY_NAMES.join('|')}|${BAR_INDEX_KEY}` });
  }
  const timeEl = leaves[index]!;
  const isBar = timeEl.name.toLowerCase() === BAR_INDEX_KEY && opts.timeFormat === undefined;
  const ts = timeScale(timeEl);
  if (!ts && !NUMERIC.has(timeEl.type ?? '')) {
    throw regimenError({ code: 'data', file, field: timeEl.name, value: timeEl.type, message: 'time column must be a timestamp, date or number type' });
  }
  if (ts && !ts.utc && !opts.timezone) {
    throw regimenError({ code: 'data', file, field: timeEl.name, value: 'isAdjustedToUTC=false', message: 'timestamps are local clock times without a zone: give the timezone of the file' });
  }
  const local = ts !== null && !ts.utc;
  const scale = isBar ? DAY_MS : ts?.scale ?? epochMs(opts.timeFormat);
  const fields = leaves.filter((_, j) => j !== index);
  const columns = fields.map((e) => e.name);
  const where = (i: number) => `row ${i + 1}`;
  const rows = Number(metadata.num_rows);

  // the time column stripped of its logical type, so hyparquet hands back raw integers
  const plain: FileMetaData = {
    ...metadata,
    schema: metadata.schema.map((e) => (e === timeEl && timeEl.type !== 'INT96' ? { ...e, logical_type: undefined, converted_type: undefined } : e)),
  };

  return {
    file, format: 'parquet', timeName: timeEl.name, columns, rows,
    types: () => new Map(fields.map((e): [string, ColumnType] => [e.name, isNumber(e) ? 'number' : 'text'])),
    async read(numbers, texts = []) {
      for (const name of [...numbers, ...texts]) {
        const e = fields.find((f) => f.name === name);
        if (!e) throw regimenError({ code: 'data', file, field: name, value: name, message: `no such column; columns: ${columns.join(', ')}` });
        if (numbers.includes(name) && !isNumber(e)) throw regimenError({ code: 'data', file, field: name, value: e.type, message: 'column is not numeric' });
      }
      const wanted = [timeEl.name, ...numbers, ...texts];
      const out = new Map<string, Float64Array>(wanted.filter((n) => !texts.includes(n)).map((n) => [n, new Float64Array(rows)]));
      const textOut = new Map<string, string[]>(texts.map((n) => [n, new Array<string>(rows)]));
      const fail = (name: string, i: number, what: string): never => {
        throw regimenError({ code: 'data', file, field: name, value: null, message: `${where(i)}: ${what}` });
      };
      try {
        await parquetRead({
          file: buffer, metadata: plain, columns: wanted, compressors,
          // only INT96 (legacy nanoseconds) still goes through a parser
          parsers: { timestampFromNanoseconds: (ns: bigint) => Number(ns / 1_000_000n) },
          onChunk({ columnName, columnData, rowStart }) {
            const t = textOut.get(columnName);
            if (t) {
              for (let i = 0; i < columnData.length; i++) t[rowStart + i] = columnData[i] == null ? '' : String(columnData[i]);
              return;
            }
            const dst = out.get(columnName)!;
            const s = columnName === timeEl.name ? scale : 1;
            if (columnData instanceof BigInt64Array || columnData instanceof BigUint64Array) int64ToNumbers(columnData, dst, rowStart, s);
            else {
              for (let i = 0; i < columnData.length; i++) {
                const v = columnData[i];
                if (v === null || v === undefined) fail(columnName, rowStart + i, columnName === timeEl.name ? 'empty time' : 'empty cell');
                dst[rowStart + i] = Number(v) * s;
              }
            }
          },
        });
      } catch (e) {
        if ((e as { code?: string }).code === 'data') throw e;
        throw regimenError({ code: 'data', file, message: `not a readable Parquet file: ${(e as Error).message}`, cause: e });
      }
      const time = out.get(timeEl.name)!;
      if (local) {
        wallClockToUtc(time, opts.timezone!, (i, why) => {
          throw regimenError({ code: 'data', file, field: timeEl.name, value: isoTime(time[i]!).replace('Z', ''), message: `${where(i)}: ${why}` });
        });
      }
      let allMidnight = true;
      for (let i = 0; i < time.length; i++) if (time[i]! % DAY_MS !== 0) allMidnight = false;
      const timeKind: TimeKind = isBar ? 'bar' : allMidnight ? 'date' : 'datetime';
      return {
        file, timeName: timeEl.name, timeKind, time, columns, where,
        timeText: (i) => (isBar ? String(time[i]! / DAY_MS) : isoTime(time[i]!)),
        numbers: (name) => out.get(name)!,
        texts: (name) => textOut.get(name)!,
      };
    },
  };
}
