import { regimenError } from '@regimen/core';
import { csvFirstRow, csvLineCells, readCsvHeader, scanCsvBody, type CsvCellKind } from './csv-scan.js';
import { parseDecimal } from './decimal.js';
import type { ColumnType, RawSeries, SeriesSource } from './series.js';
import { BAR_INDEX_KEY, TIME_KEY_NAMES } from './time.js';
import { barIndexReader, isoTimeReader } from './time-reader.js';

function missing(file: string, name: string, columns: string[]): never {
  throw regimenError({ code: 'data', file, field: 'column', value: name, message: `no column ${JSON.stringify(name)}; columns: ${columns.join(', ')}` });
}

/** A CSV file whose header is checked on open; the body is read only by `read`, once, into typed columns. */
export function openCsvSeries(file: string): SeriesSource {
  const header = readCsvHeader(file);
  const timeIndex = 0;
  const timeName = header.names[timeIndex] ?? '';
  const keyLower = timeName.toLowerCase();
  const isBar = keyLower === BAR_INDEX_KEY;
  if (!isBar && !(TIME_KEY_NAMES as readonly string[]).includes(keyLower)) {
    throw regimenError({
      code: 'data', file, field: 'header', value: timeName,
      message: `the first column must be the time key, named ${TIME_KEY_NAMES.join('|')} (or ${BAR_INDEX_KEY} for a bar index)`,
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
    const time = isBar ? barIndexReader() : isoTimeReader();
    const body = scanCsvBody(header, { kinds, time });
    const where = (i: number) => `line ${body.lineOf(i)}`;
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
