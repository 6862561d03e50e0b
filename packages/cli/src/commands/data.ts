import { resolve } from 'node:path';
import type { Command } from 'commander';
import { convertedColumns, dataInfo, outputFormat, writeColumns, type DataInfo } from '@regimen/data';
import { table } from '../format.js';
import { addReadingOptions, readingOptions, type ReadingFlags } from './reading-options.js';

/** 90000 → "1m 30s": spacings read as people think of them. */
export function duration(ms: number): string {
  if (ms === 0) return '0';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const k = Math.floor(rest / size);
    if (k > 0) parts.push(`${k}${unit}`);
    rest -= k * size;
  }
  return sign + parts.join(' ');
}

export function formatInfo(i: DataInfo): string {
  const lines = [
    `${i.file} (${i.format}): ${i.rows} rows, ${i.first} → ${i.last} (${i.span_days.toFixed(1)} days), time column ${i.time_column} (${i.time_kind})`,
    `columns: ${i.columns.map((c) => `${c.name} (${c.type})`).join(', ')}`,
    `bars_per_year: ${i.bars_per_year ?? (i.time_kind === 'bar' ? 'bar index: must be given' : 'cannot infer (rows out of order)')}; median spacing ${duration(i.median_spacing_ms)}`,
    `duplicates: ${i.duplicates}; out of order: ${i.out_of_order}; gaps (> 1.5 × median): ${i.gaps}`,
    '',
    'bar spacing:',
    table(['spacing', 'count'], [...i.spacing.map((s) => [duration(s.ms), String(s.count)]), ...(i.spacing_other ? [['other', String(i.spacing_other)]] : [])]),
  ];
  if (i.bars_from) {
    const b = i.bars_from;
    const r = b.reading;
    const price = 'mid' in r.price ? `mid of ${r.price.mid.join(' and ')}` : r.price.column;
    lines.splice(1, 0, `bars: price ${price}; ${b.rows_read} rows read, ${b.duplicates_dropped} duplicates dropped (${r.duplicates})` +
      (b.resampled ? `; resampled every ${r.resample!.every}: ${b.resampled.bars} bars, ${b.resampled.empty_intervals} empty intervals skipped` : ''));
  }
  if (i.largest_gaps.length) {
    lines.push('', 'largest gaps:', table(['from', 'to', 'length'], i.largest_gaps.map((g) => [g.from, g.to, duration(g.ms)])));
  }
  return lines.join('\n');
}

export function registerData(program: Command): void {
  const data = program.command('data').description('describe or convert market data files (CSV, Arrow IPC, Parquet)');
  const info = data
    .command('info')
    .description('rows, span, bar spacing, gaps, duplicates, inferred bars_per_year and columns of a data file')
    .argument('<file>', 'CSV, Arrow IPC (.arrow/.feather/.ipc) or Parquet (.parquet)')
    .option('--json', 'print the result as JSON');
  addReadingOptions(info).action(async (file: string, o: ReadingFlags & { json?: boolean }) => {
    const result = await dataInfo(file, readingOptions(o));
    console.log(o.json ? JSON.stringify(result, null, 2) : formatInfo(result));
  });
  const convert = data
    .command('convert')
    .description('convert a data file to Arrow IPC or Parquet (by the output extension): time as UTC ms timestamps, numeric columns as float64, the rest as text; with --price, --duplicates or --resample, the bars a workflow would use (time, open, high, low, close)')
    .argument('<in>', 'CSV, Arrow IPC or Parquet')
    .argument('<out>', 'output .arrow/.feather/.ipc or .parquet (written atomically)')
    .option('--json', 'print what was written as JSON');
  addReadingOptions(convert).action(async (input: string, out: string, o: ReadingFlags & { json?: boolean }) => {
    outputFormat(out, '<out>');
    const cols = await convertedColumns(input, readingOptions(o));
    const format = writeColumns(resolve(out), cols);
    const result = { in: resolve(input), out: resolve(out), format, rows: cols.time.length, columns: [cols.timeName, ...cols.columns.map((c) => c.name)] };
    console.log(o.json ? JSON.stringify(result, null, 2) : `wrote ${result.out} (${format}): ${result.rows} rows, columns ${result.columns.join(', ')}`);
  });
}
