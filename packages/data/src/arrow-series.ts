import { DataType, type Table, type Vector } from 'apache-arrow';
import { regimenError } from '@regimen/core';
import { readArrowTable } from './arrow-file.js';
import type { RawSeries } from './raw-series.js';
import { BAR_INDEX_KEY, DAY_MS, TIME_KEY_NAMES, isoTime, type TimeKind } from './time.js';

function isNumeric(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type);
}

function pickTimeColumn(table: Table, file: string): { index: number; kind: TimeKind } {
  const fields = table.schema.fields;
  const named = fields.findIndex((f) => (TIME_KEY_NAMES as readonly string[]).includes(f.name.toLowerCase()) || f.name.toLowerCase() === BAR_INDEX_KEY);
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

/**
 * Arrow market data: timestamp/date columns are read as epoch ms (Arrow JS converts every unit to
 * ms on `get`), plain numbers in a time column are taken as epoch ms, and a column named `bar` as a
 * bar index like in CSV.
 */
export function readArrowSeries(file: string): RawSeries {
  const table = readArrowTable(file, 'data');
  const { index, kind: baseKind } = pickTimeColumn(table, file);
  const timeField = table.schema.fields[index]!;
  const tv = table.getChildAt(index)!;
  const n = table.numRows;
  const where = (i: number) => `row ${i + 1}`;
  const time = new Float64Array(n);
  let allMidnight = true;
  for (let i = 0; i < n; i++) {
    const v = tv.get(i) as number | bigint | null;
    if (v === null) throw regimenError({ code: 'data', file, field: timeField.name, value: null, message: `${where(i)}: empty time` });
    const x = Number(v);
    if (!Number.isFinite(x)) throw regimenError({ code: 'data', file, field: timeField.name, value: String(v), message: `${where(i)}: unparsable time` });
    time[i] = baseKind === 'bar' ? x * DAY_MS : x;
    if (x % DAY_MS !== 0) allMidnight = false;
  }
  const timeKind: TimeKind = baseKind === 'bar' ? 'bar' : allMidnight ? 'date' : 'datetime';
  const columns = table.schema.fields.filter((_, j) => j !== index).map((f) => f.name);
  return {
    file, timeName: timeField.name, timeKind, time, columns, where,
    timeText: (i) => (baseKind === 'bar' ? String(time[i]! / DAY_MS) : isoTime(time[i]!)),
    numbers(name) {
      const col = table.getChild(name) as Vector | null;
      const type = table.schema.fields.find((f) => f.name === name)!.type;
      if (!col || !isNumeric(type)) {
        throw regimenError({ code: 'data', file, field: name, value: String(type), message: 'column is not numeric' });
      }
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = col.get(i) as number | bigint | null;
        if (v === null) throw regimenError({ code: 'data', file, field: name, value: null, message: `${where(i)}: empty cell` });
        out[i] = Number(v);
      }
      return out;
    },
  };
}
