import { regimenError } from '@regimen/core';
import { csvFirstRow, csvLineCells, readCsvHeader, scanCsvBody, type CsvCellKind } from './csv-scan.js';
import { parseDecimal } from './decimal.js';
import { findColumn, unknownTimeColumn, type ColumnType, type RawSeries, type SeriesSource, type TimeOptions } from './series.js';
import { BAR_INDEX_KEY, TIME_KEY_NAMES } from './time.js';
import { timeReaderFor } from './time-reader.js';

function missing(file: string, name: string, columns: string[]): never {
  throw regimenError({ code: 'data', file, field: 'column', value: name, message: `no column ${JSON.stringify(name)}; columns: ${columns.join(', ')}` });
}

/** A CSV file whose header is checked on open; the body is read only by `read`, once, into typed columns. */
export function openCsvSeries(file: string, opts: TimeOptions = {}): SeriesSource {
  const header = readCsvHeader(file);
  let timeIndex = 0;
  if (opts.timeColumn !== undefined) {
    const name = findColumn(header.names, opts.timeColumn);
    if (name === undefined) unknownTimeColumn(file, opts.timeColumn, header.names);
    timeIndex = header.names.indexOf(name);
  }
  const timeName = header.names[timeIndex] ?? '';
  const keyLower = timeName.toLowerCase();
  const isBar = keyLower === BAR_INDEX_KEY && opts.timeFormat === undefined;
  if (opts.timeColumn === undefined && !isBar && !(TIME_KEY_NAMES as readonly string[]).includes(keyLower)) {
    throw regimenError({
      code: 'data', file, field: 'header', value: timeName,
      message: `the first column must be the time key, named ${TIME_KEY_NAMES.join('|')} (or ${BAR_INDEX_KEY} for a bar index), or give time_column`,
    });
  }
  const columns = header.names.filter((_, j) => j !== timeIndex);

  const readSync = (numbers: readonly string[], texts: readonly string[] = []): RawSeries => {
    const kinds: CsvCellKind[] = header.names.map(() => 'skip');
    kinds[timeIndex] = 'time';
    for (const n of numbers) {
      const j = header.names.indexOf(n);
      if (j < 0 || j === timeIndex) missing(file, n, columns);
      kinds[j] = 'number';
    }
    for (const n of texts) {
      const j = header.names.indexOf(n);
      if (j < 0 || j === timeIndex) missing(file, n, columns);
      kinds[j] = 'text';
    }
    const time = timeReaderFor({ bar: isBar, format: opts.timeFormat ?? 'iso', zone: opts.timezone, file, field: timeName });
    const body = scanCsvBody(header, { kinds, time });
    const where = (i: number) => `line ${body.lineOf(i)}`;
    time.finish?.(body.time, (i, why) => {
      throw regimenError({ code: 'data', file, field: timeName, value: csvLineCells(header, body.lineOf(i))[timeIndex], message: `${where(i)}: ${why}` });
    });
    return {
      file, timeName, timeKind: time.kind(), time: body.time, columns, where,
      timeText: (i) => csvLineCells(header, body.lineOf(i))[timeIndex] ?? '',
      numbers(name) {
        const v = body.numbers.get(header.names.indexOf(name));
        if (!v) throw regimenError({ code: 'internal', file, field: name, message: 'column was not read' });
        return v;
      },
      texts(name) {
        const v = body.texts.get(header.names.indexOf(name));
        if (!v) throw regimenError({ code: 'internal', file, field: name, message: 'column was not read' });
        return v;
      },
    };
  };

  return {
    file, format: 'csv', timeName, columns,
    types() {
      const first = csvFirstRow(header);
      const bytes = (s: string) => Buffer.from(s, 'latin1');
      return new Map(columns.map((c) => {
        const cell = bytes(first[header.names.indexOf(c)] ?? '');
        const t: ColumnType = Number.isNaN(parseDecimal(cell, 0, cell.length)) ? 'text' : 'number';
        return [c, t];
      }));
    },
    read: async (numbers, texts) => readSync(numbers, texts),
    readSync,
  };
}
