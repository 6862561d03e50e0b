import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { regimenError } from '@regimen/core';
import type { RawSeries } from './raw-series.js';
import { BAR_INDEX_KEY, DAY_MS, TIME_KEY_NAMES, parseTimeText, type TimeKind } from './time.js';

// Strict decimal syntax: Number() would accept '', ' ', '0x1F' and 'Infinity' as prices.
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface CsvRow {
  record: string[];
  info: { lines: number };
}

export function readCsvSeries(file: string): RawSeries {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw regimenError({ code: 'data', file, message: `cannot read market data (${(e as NodeJS.ErrnoException).code ?? 'error'})`, cause: e });
  }
  let rows: CsvRow[];
  try {
    rows = parse(text, { info: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as CsvRow[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw regimenError({ code: 'data', file, message: `not a readable CSV${err.lines ? ` at line ${err.lines}` : ''}: ${err.message}`, cause: e });
  }
  if (rows.length === 0) throw regimenError({ code: 'data', file, message: 'empty file: expected a header row and data rows' });
  const header = rows[0]!.record;
  const body = rows.slice(1);
  const timeName = header[0] ?? '';
  const keyLower = timeName.toLowerCase();
  const isBar = keyLower === BAR_INDEX_KEY;
  if (!isBar && !(TIME_KEY_NAMES as readonly string[]).includes(keyLower)) {
    throw regimenError({
      code: 'data', file, field: 'header', value: timeName,
      message: `the first column must be the time key, named ${TIME_KEY_NAMES.join('|')} (or ${BAR_INDEX_KEY} for a bar index)`,
    });
  }
  const where = (i: number) => `line ${body[i]!.info.lines}`;
  const n = body.length;
  const time = new Float64Array(n);
  let timeKind: TimeKind = isBar ? 'bar' : 'date';
  for (let i = 0; i < n; i++) {
    const cell = body[i]!.record[0] ?? '';
    if (isBar) {
      if (!/^\d+$/.test(cell)) {
        throw regimenError({ code: 'data', file, field: timeName, value: cell, message: `${where(i)}: a bar index must be a non-negative integer` });
      }
      // No calendar: bar k sits at day k so spacing and ordering still work; bars_per_year must be given.
      time[i] = Number(cell) * DAY_MS;
      continue;
    }
    const p = parseTimeText(cell);
    if (!p.ok) throw regimenError({ code: 'data', file, field: timeName, value: cell, message: `${where(i)}: unparsable time: ${p.reason}` });
    if (p.kind === 'datetime') timeKind = 'datetime';
    time[i] = p.ms;
  }
  const columns = header.slice(1);
  return {
    file, timeName, timeKind, time, columns, where,
    timeText: (i) => body[i]!.record[0] ?? '',
    numbers(name) {
      const c = header.indexOf(name);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const cell = body[i]!.record[c];
        if (cell === undefined || cell === '') {
          throw regimenError({ code: 'data', file, field: name, value: cell ?? '', message: `${where(i)}: empty cell` });
        }
        if (!NUMBER_RE.test(cell)) {
          throw regimenError({ code: 'data', file, field: name, value: cell, message: `${where(i)}: not a finite number` });
        }
        out[i] = Number(cell);
      }
      return out;
    },
  };
}
