import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { regimenError } from '@regimen/core';
import { randomWalk } from '@regimen/kernel';
import { writeColumnsArrow, writeColumnsParquet, type ConvertedColumns } from '@regimen/data';
import type { BenchOptions } from './options.js';

export interface DataMeasure {
  /** median wall seconds of the load, in a fresh process */
  seconds: number;
  /** median CPU seconds (user + system) of the load: less moved by other load on a shared machine */
  cpu_seconds: number;
  /** the largest peak RSS of the runs (the whole process: Node itself, modules, data) */
  peak_rss_bytes: number;
  runs: number[];
}

export interface DataResult {
  suite: 'data';
  rows: number;
  seed: number;
  files: Record<'csv' | 'arrow' | 'parquet', { bytes: number; write_seconds: number }>;
  /** readMarketData per format: header/schema check, columns, validation */
  load: Record<'csv' | 'arrow' | 'parquet', DataMeasure>;
  /** the CSV into typed time/close columns by each parser (libraries: Date.parse and Number per cell) */
  parsers: Record<string, DataMeasure>;
  /** the Parquet file by each candidate reader (regimen = hyparquet through readMarketData) */
  parquet_readers: Record<string, DataMeasure>;
  /** the peak RSS of a process that only starts Node and imports the data package */
  baseline_rss_bytes: number;
  load_average: number[];
}

export const CSV_PARSERS = ['regimen', 'csv-parse', 'papaparse', 'd3-dsv', 'udsv', 'csv-parser'] as const;
const MINUTE = 60_000;
const START = Date.UTC(2020, 0, 1);

/** A seeded minute series: time from 2020-01-01T00:00:00Z, close a random walk rounded to 6 decimals (so CSV text is exact). */
export function minuteSeries(rows: number, seed: number): ConvertedColumns {
  const walk = randomWalk(rows, seed);
  const time = new Float64Array(rows);
  const close = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    time[i] = START + i * MINUTE;
    close[i] = Number(walk[i]!.toFixed(6));
  }
  return { timeName: 'timestamp', time, columns: [{ name: 'close', numbers: close }] };
}

/** `timestamp,close` with ISO-8601 UTC times (`2020-01-01T00:01:00Z,99.981319`), written in pieces. */
export function writeMinuteCsv(path: string, s: ConvertedColumns): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'timestamp,close\n');
    const close = s.columns[0]!.numbers!;
    const piece: string[] = [];
    for (let i = 0; i < s.time.length; i++) {
      piece.push(`${new Date(s.time[i]!).toISOString().slice(0, 19)}Z,${close[i]!.toFixed(6)}\n`);
      if (piece.length === 65_536 || i === s.time.length - 1) {
        writeSync(fd, piece.join(''));
        piece.length = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
}

const here = fileURLToPath(import.meta.url);
const child = join(here, '..', `data-child${extname(here)}`);

function runChild(args: string[]): { seconds: number; cpu_seconds: number; peak_rss_bytes: number; rows: number; checksum: number } {
  // the same Node flags as this process (source conditions and tsx when run from sources)
  const out = execFileSync(process.execPath, [...process.execArgv, child, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

function measure(args: string[], repeat: number, want: { rows: number; checksum: number }, what: string): DataMeasure {
  const runs: Array<ReturnType<typeof runChild>> = [];
  for (let r = 0; r < repeat; r++) {
    const m = runChild(args);
    if (m.rows !== want.rows || Math.abs(m.checksum - want.checksum) > 1e-6 * Math.abs(want.checksum)) {
      throw regimenError({ code: 'internal', field: what, value: m.checksum, message: `read ${m.rows} rows with checksum ${m.checksum}, expected ${want.rows} rows and ${want.checksum}` });
    }
    runs.push(m);
  }
  return {
    seconds: median(runs.map((m) => m.seconds)),
    cpu_seconds: median(runs.map((m) => m.cpu_seconds)),
    peak_rss_bytes: Math.max(...runs.map((m) => m.peak_rss_bytes)),
    runs: runs.map((m) => m.seconds),
  };
}

function timed<T>(f: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const v = f();
  return [v, Number(process.hrtime.bigint() - t) / 1e9];
}

/**
 * Generates a seeded minute series of `--bars` (`--rows`) rows as CSV, Arrow IPC and Parquet, then
 * loads each in a fresh process per run (so peak RSS is that load's own) and compares CSV parsers
 * on the same file. Every result is checked: rows and a checksum of time and close.
 */
export async function dataSuite(o: BenchOptions): Promise<DataResult> {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-bench-data-'));
  try {
    const series = minuteSeries(o.bars, o.seed);
    const close = series.columns[0]!.numbers!;
    let checksum = 0;
    for (let i = 0; i < o.bars; i++) checksum += close[i]! + (series.time[i]! - series.time[0]!) / MINUTE;
    const want = { rows: o.bars, checksum };
    const paths = { csv: join(dir, 'minutes.csv'), arrow: join(dir, 'minutes.arrow'), parquet: join(dir, 'minutes.parquet') };
    const [, csvS] = timed(() => writeMinuteCsv(paths.csv, series));
    const [, arrowS] = timed(() => writeColumnsArrow(paths.arrow, series));
    const [, parquetS] = timed(() => writeColumnsParquet(paths.parquet, series));
    const files = {
      csv: { bytes: statSync(paths.csv).size, write_seconds: csvS },
      arrow: { bytes: statSync(paths.arrow).size, write_seconds: arrowS },
      parquet: { bytes: statSync(paths.parquet).size, write_seconds: parquetS },
    };
    const load = {
      csv: measure(['load', paths.csv], o.repeat, want, 'csv'),
      arrow: measure(['load', paths.arrow], o.repeat, want, 'arrow'),
      parquet: measure(['load', paths.parquet], o.repeat, want, 'parquet'),
    };
    const parsers: Record<string, DataMeasure> = {};
    for (const p of CSV_PARSERS) parsers[p] = measure(['parse', p, paths.csv], o.repeat, want, p);
    const parquetReaders = { 'regimen (hyparquet)': load.parquet, 'parquet-wasm': measure(['parse', 'parquet-wasm', paths.parquet], o.repeat, want, 'parquet-wasm') };
    const baseline = runChild(['parse', 'none', '-']);
    return { suite: 'data', rows: o.bars, seed: o.seed, files, load, parsers, parquet_readers: parquetReaders, baseline_rss_bytes: baseline.peak_rss_bytes, load_average: loadavg() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mib = (b: number) => (b / 2 ** 20).toFixed(0);

export function formatData(r: DataResult): string {
  const row = (name: string, m: DataMeasure, base?: DataMeasure) => [
    name, m.seconds.toFixed(3), m.cpu_seconds.toFixed(3), mib(m.peak_rss_bytes), base ? `${(m.cpu_seconds / base.cpu_seconds).toFixed(2)}×` : '',
  ];
  const t = (header: string[], rows: string[][]) => {
    const w = header.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
    const line = (x: string[]) => x.map((v, i) => (i === 0 ? v.padEnd(w[i]!) : v.padStart(w[i]!))).join('  ');
    return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
  };
  return [
    `data: ${r.rows} rows of timestamp,close (seed ${r.seed}); each load in a fresh process (median of runs; peak RSS the largest); load average ${r.load_average.map((x) => x.toFixed(2)).join(' ')}`,
    t(['format', 'file MiB', 'write s'], (['csv', 'arrow', 'parquet'] as const).map((f) => [f, (r.files[f].bytes / 2 ** 20).toFixed(1), r.files[f].write_seconds.toFixed(3)])),
    '',
    t(['load (readMarketData)', 'wall s', 'cpu s', 'peak RSS MiB', ''], (['csv', 'arrow', 'parquet'] as const).map((f) => row(f, r.load[f]))),
    '',
    t(['CSV parser → typed columns', 'wall s', 'cpu s', 'peak RSS MiB', 'cpu vs regimen'], Object.entries(r.parsers).map(([k, m]) => row(k, m, r.parsers.regimen))),
    '',
    t(['Parquet reader', 'wall s', 'cpu s', 'peak RSS MiB', 'cpu vs hyparquet'], Object.entries(r.parquet_readers).map(([k, m]) => row(k, m, r.load.parquet))),
    `a process that only imports @regimen/data peaks at ${mib(r.baseline_rss_bytes)} MiB; every result checked (rows and checksum)`,
  ].join('\n');
}
