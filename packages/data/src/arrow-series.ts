import { DataType, Precision, TimeUnit, type Data, type Table, type Vector } from 'apache-arrow';
import { regimenError } from '@regimen/core';
import { isFloat64, readArrowTable } from './arrow-file.js';
import { int64ToNumbers } from './int64.js';
import { findColumn, unknownTimeColumn, type ColumnType, type RawSeries, type SeriesSource, type TimeOptions } from './series.js';
import { epochMs, type TimeFormat } from './time-reader.js';
import { BAR_INDEX_KEY, DAY_MS, TIME_KEY_NAMES, isoTime, type TimeKind } from './time.js';

function isNumeric(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type);
}

function pickTimeColumn(table: Table, file: string, timeColumn?: string): { index: number; kind: TimeKind } {
  const fields = table.schema.fields;
  if (timeColumn !== undefined) {
    const name = findColumn(fields.map((f) => f.name), timeColumn);
    if (name === undefined) unknownTimeColumn(file, timeColumn, fields.map((f) => f.name));
  }
  const wanted = timeColumn === undefined ? -1 : fields.findIndex((f) => f.name === findColumn(fields.map((x) => x.name), timeColumn));
  const named = wanted >= 0 ? wanted : fields.findIndex((f) => (TIME_KEY_NAMES as readonly string[]).includes(f.name.toLowerCase()) || f.name.toLowerCase() === BAR_INDEX_KEY);
  const index = named >= 0 ? named : fields.findIndex((f) => DataType.isTimestamp(f.type) || DataType.isDate(f.type));
  if (index < 0) {
    throw regimenError({
      code: 'data', file, field: 'schema',
      message: `no time column: expected a timestamp/date column or one named ${TIME_KEY_NAMES.join('|')}|${BAR_INDEX_KEY}`,
    });
  }
  const f = fields[index]!;
  if (DataType.isTimestamp(f.type) || DataType.isDate(f.type)) return { index, kind: 'datetime' };
  if (isNumeric(f.type)) return { index, kind: f.name.toLowerCase() === BAR_INDEX_KEY ? 'bar' : 'datetime' };
  throw regimenError({ code: 'data', file, field: f.name, value: String(f.type), message: 'time column must be a timestamp, date or number type' });
}


const MS_PER_UNIT: Record<TimeUnit, number> = { [TimeUnit.SECOND]: 1000, [TimeUnit.MILLISECOND]: 1, [TimeUnit.MICROSECOND]: 1e-3, [TimeUnit.NANOSECOND]: 1e-6 };

/** ms per stored integer of a time column: timestamps by unit, Date32 days, Date64 ms, plain numbers by time_format (default ms). */
function msPerValue(type: DataType, format: TimeFormat | undefined): number {
  if (DataType.isTimestamp(type)) return MS_PER_UNIT[type.unit as TimeUnit];
  if (DataType.isDate(type)) return type.unit === 0 /* DAY */ ? DAY_MS : 1;
  return epochMs(format);
}

function chunkValues(d: Data): ArrayLike<number> | BigInt64Array | BigUint64Array {
  return (d.values as ArrayLike<number>).length === d.length ? d.values : (d.values as Float64Array).subarray(d.offset, d.offset + d.length);
}

/**
 * A column as Float64Array. One chunk of float64 without nulls is Arrow's own buffer, used in
 * place (no copy: `Vector.toArray` hands back a view); anything else is converted once, chunk by
 * chunk from the value buffers. A null is an error naming its row.
 */
function columnNumbers(col: Vector, scale: number, file: string, name: string, where: (i: number) => string, empty = 'empty cell'): Float64Array {
  if (col.nullCount > 0) {
    for (let i = 0; i < col.length; i++) {
      if (col.get(i) === null) throw regimenError({ code: 'data', file, field: name, value: null, message: `${where(i)}: ${empty}` });
    }
  }
  if (isFloat64(col.type) && col.data.length === 1 && scale === 1) return col.toArray() as Float64Array;
  const out = new Float64Array(col.length);
  if (DataType.isFloat(col.type) && col.type.precision === Precision.HALF) {
    for (let i = 0; i < col.length; i++) out[i] = Number(col.get(i)) * scale;
    return out;
  }
  let at = 0;
  for (const d of col.data) {
    const v = chunkValues(d);
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) int64ToNumbers(v, out, at, scale);
    else for (let i = 0; i < d.length; i++) out[at + i] = (v as ArrayLike<number>)[i]! * scale;
    at += d.length;
  }
  return out;
}

/**
 * Arrow market data: timestamp/date columns become epoch ms whatever their unit, plain numbers in
 * a time column are taken as epoch ms, and a column named `bar` as a bar index like in CSV.
 */
export function openArrowSeries(file: string, opts: TimeOptions = {}): SeriesSource {
  const table = readArrowTable(file, 'data');
  const picked = pickTimeColumn(table, file, opts.timeColumn);
  const { index } = picked;
  const baseKind = picked.kind === 'bar' && opts.timeFormat !== undefined ? 'datetime' : picked.kind;
  const timeField = table.schema.fields[index]!;
  const fields = table.schema.fields.filter((_, j) => j !== index);
  const columns = fields.map((f) => f.name);
  const where = (i: number) => `row ${i + 1}`;

  const readSync = (numbers: readonly string[], texts: readonly string[] = []): RawSeries => {
    const tv = table.getChildAt(index)!;
    const scale = baseKind === 'bar' ? DAY_MS : msPerValue(timeField.type, opts.timeFormat);
    const time = columnNumbers(tv, scale, file, timeField.name, where, 'empty time');
    let allMidnight = true;
    for (let i = 0; i < time.length; i++) {
      const x = time[i]!;
      if (!Number.isFinite(x)) throw regimenError({ code: 'data', file, field: timeField.name, value: String(tv.get(i)), message: `${where(i)}: unparsable time` });
      if (x % DAY_MS !== 0) allMidnight = false;
    }
    const timeKind: TimeKind = baseKind === 'bar' ? 'bar' : allMidnight ? 'date' : 'datetime';
    const read = new Map<string, Float64Array>();
    for (const name of numbers) {
      const f = fields.find((x) => x.name === name);
      const col = table.getChild(name) as Vector | null;
      if (!f || !col || !isNumeric(f.type)) {
        throw regimenError({ code: 'data', file, field: name, value: f ? String(f.type) : name, message: f ? 'column is not numeric' : `no such column; columns: ${columns.join(', ')}` });
      }
      read.set(name, columnNumbers(col, 1, file, name, where));
    }
    const textRead = new Map<string, string[]>();
    for (const name of texts) {
      const col = table.getChild(name) as Vector | null;
      if (!col) throw regimenError({ code: 'data', file, field: name, value: name, message: `no such column; columns: ${columns.join(', ')}` });
      textRead.set(name, Array.from({ length: col.length }, (_, i) => String(col.get(i) ?? '')));
    }
    return {
      file, timeName: timeField.name, timeKind, time, columns, where,
      timeText: (i) => (baseKind === 'bar' ? String(time[i]! / DAY_MS) : isoTime(time[i]!)),
      numbers: (name) => read.get(name)!,
      texts: (name) => textRead.get(name)!,
    };
  };

  return {
    file, format: 'arrow', timeName: timeField.name, columns, rows: table.numRows,
    types: () => new Map(fields.map((f): [string, ColumnType] => [f.name, isNumeric(f.type) ? 'number' : 'text'])),
    read: async (numbers, texts) => readSync(numbers, texts),
    readSync,
  };
}
