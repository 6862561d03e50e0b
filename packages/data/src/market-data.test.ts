import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError, isRegimenError } from '@regimen/core';
import { loadMarketData, readMarketData, readMarketSeries } from './market-data.js';
import { readAllColumns, writeColumns } from './data-convert.js';
import { dataFingerprint } from './fingerprint.js';
import type { TimeFormat } from './time-reader.js';
import { embeddedDataPath } from './embedded.js';
import { TEST_DATA_DIR } from '../test/real-data.js';
import { writeBarsArrow } from './bars-table.js';
import { writeArrowTable } from './arrow-file.js';
import { DateDay, Float32, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';

const dir = mkdtempSync(join(tmpdir(), 'regimen-data-'));

/** Independent reading of a simple CSV: split on newlines and commas, Date.parse for the key. */
function naive(path: string, column: string) {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const c = head!.split(',').indexOf(column);
  return lines.map((l) => {
    const cells = l.split(',');
    return { time: Date.parse(cells[0]! + 'T00:00:00Z'), value: Number(cells[c]) };
  });
}

describe('loadMarketData on real files', () => {
  it('reads the embedded NYSE close-only series', () => {
    const path = embeddedDataPath();
    const md = loadMarketData(path);
    const ref = naive(path, 'close');
    expect(md.bars.close.length).toBe(9311);
    expect(md.bars.close.length).toBe(ref.length);
    expect(Array.from(md.bars.time)).toEqual(ref.map((r) => r.time));
    expect(Array.from(md.bars.close)).toEqual(ref.map((r) => r.value));
    // close-only: open/high/low are the close
    expect(md.bars.open).toBe(md.bars.close);
    expect(md.bars.high).toBe(md.bars.close);
    expect(md.bars.volume).toBeUndefined();
    expect(md.source).toBe(path);
    expect(md.priceColumn).toBe('close');
    expect(md.columns).toEqual(['close']);
    expect(md.timeKind).toBe('date');
    // the Arrow table holds the same numbers
    expect(md.table.numRows).toBe(9311);
    expect(md.table.getChild('close')!.get(9310)).toBe(472.87);
    expect(md.table.getChild('time')!.get(0)).toBe(Date.UTC(1966, 0, 4));
    expect(String(md.table.schema.fields[0]!.type)).toBe('Timestamp<MILLISECOND>');
  });

  it('reads MSFT OHLCV', () => {
    const md = loadMarketData(embeddedDataPath('msft_daily_ohlcv.csv'));
    expect(md.bars.close.length).toBe(249);
    expect([md.bars.open[0], md.bars.high[0], md.bars.low[0], md.bars.close[0], md.bars.volume![0]]).toEqual([63.4375, 63.5625, 59.8125, 60.625, 53077800]);
    expect(md.bars.close[248]).toBe(49.96);
    expect(md.table.schema.fields.map((f) => f.name)).toEqual(['time', 'open', 'high', 'low', 'close', 'volume']);
  });

  it('reads one ticker of DowJones30 by column', () => {
    const path = embeddedDataPath('dowjones30_daily_close.csv');
    const md = loadMarketData(path, { column: 'MSFT' });
    const ref = naive(path, 'MSFT');
    expect(md.priceColumn).toBe('MSFT');
    expect(md.columns.length).toBe(30);
    expect(md.bars.close.length).toBe(2529);
    expect(md.bars.close[0]).toBe(2.08);
    expect(md.bars.close[2528]).toBe(43.38);
    expect(Array.from(md.bars.close)).toEqual(ref.map((r) => r.value));
  });

  it('reads several tickers of DowJones30 from one read of the file', async () => {
    const path = embeddedDataPath('dowjones30_daily_close.csv');
    const [msft, ibm] = await readMarketSeries(path, ['MSFT', 'IBM']);
    expect(Array.from(msft!.bars.close)).toEqual(naive(path, 'MSFT').map((r) => r.value));
    expect(Array.from(ibm!.bars.close)).toEqual(naive(path, 'IBM').map((r) => r.value));
    expect(msft!.bars.time).toBe(ibm!.bars.time);
    expect([msft!.priceColumn, ibm!.priceColumn]).toEqual(['MSFT', 'IBM']);
  });

  it('round-trips market data through an Arrow file', () => {
    const src = loadMarketData(embeddedDataPath('msft_daily_ohlcv.csv'));
    const path = join(dir, 'msft.arrow');
    writeBarsArrow(path, src.bars);
    const back = loadMarketData(path);
    for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(Array.from(back.bars[k]!)).toEqual(Array.from(src.bars[k]!));
    }
    expect(back.timeKind).toBe('date');
    expect(back.columns).toEqual(['open', 'high', 'low', 'close', 'volume']);
  });

  it('reads Arrow written by other tools: Date32 time, Float32 prices, Int64 volume, text columns', () => {
    const days = [new Date(Date.UTC(2001, 0, 2)), new Date(Date.UTC(2001, 0, 3)), new Date(Date.UTC(2001, 0, 5))];
    const table = new Table({
      name: vectorFromArray(['a', 'b', 'c'], new Utf8()),
      Date: vectorFromArray(days, new DateDay()),
      Close: vectorFromArray([10.5, 11.25, 12], new Float32()),
      Volume: vectorFromArray([100n, 200n, 300n], new Int64()),
    });
    const p = join(dir, 'other.feather');
    writeArrowTable(p, table);
    const md = loadMarketData(p);
    expect(md.priceColumn).toBe('Close');
    expect(md.columns).toEqual(['name', 'Close', 'Volume']);
    expect(Array.from(md.bars.time)).toEqual(days.map((d) => d.getTime()));
    expect(Array.from(md.bars.close)).toEqual([10.5, 11.25, 12]);
    expect(Array.from(md.bars.volume!)).toEqual([100, 200, 300]);
    expect(md.timeKind).toBe('date');
  });

  it('rejects nulls and bad values in Arrow input naming the row', () => {
    const p = join(dir, 'nulls.arrow');
    const time = [Date.UTC(2001, 0, 2), Date.UTC(2001, 0, 3), Date.UTC(2001, 0, 4)];
    writeArrowTable(p, new Table({ time: vectorFromArray(time.map((t) => new Date(t)), new DateDay()), close: vectorFromArray([1, null, 2]) }));
    expect(() => loadMarketData(p)).toThrow(/row 2: empty cell/);
    writeArrowTable(p, new Table({ time: vectorFromArray(time.map((t) => new Date(t)), new DateDay()), close: vectorFromArray([1, 0, 2]) }));
    expect(formatError(catchIt(() => loadMarketData(p)))).toMatch(/nulls\.arrow: close = 0: row 2: price must be positive/);
  });

  it('accepts a bar-index key and marks it', () => {
    const p = join(dir, 'bars.csv');
    writeFileSync(p, 'bar,decimal_year,DAX\n0,1991.49,1628.75\n1,1991.50,1613.63\n2,1991.50,1606.51\n');
    const md = loadMarketData(p, { column: 'DAX' });
    expect(md.timeKind).toBe('bar');
    expect(Array.from(md.bars.time)).toEqual([0, 86_400_000, 172_800_000]);
  });
});

const HEADER = 'date,open,high,low,close\n';
const ROW1 = '2001-01-02,10,11,9,10.5\n';
const ROW2 = '2001-01-03,10.5,12,10,11\n';
const ROW3 = '2001-01-04,11,11.5,10.2,11.2\n';

const bad: Array<{ name: string; text: string; opts?: { column?: string; minBars?: number }; field: string; has: string[] }> = [
  { name: 'unsorted', text: HEADER + ROW1 + ROW3 + ROW2, field: 'date', has: ['line 4', '2001-01-03', '2001-01-04', 'line 3'] },
  { name: 'duplicate', text: HEADER + ROW1 + ROW2 + ROW2, field: 'date', has: ['line 4', 'duplicate', '2001-01-03'] },
  { name: 'NaN', text: HEADER + ROW1 + '2001-01-03,10.5,12,10,NaN\n' + ROW3, field: 'close', has: ['line 3', 'NaN'] },
  { name: 'empty cell', text: HEADER + ROW1 + '2001-01-03,10.5,12,10,\n' + ROW3, field: 'close', has: ['line 3', 'empty'] },
  { name: 'zero', text: HEADER + ROW1 + ROW2 + '2001-01-04,11,11.5,0,11.2\n', field: 'low', has: ['line 4', 'zero'] },
  { name: 'negative', text: HEADER + ROW1 + '2001-01-03,10.5,12,10,-11\n' + ROW3, field: 'close', has: ['line 3', 'negative'] },
  { name: 'high below close', text: HEADER + ROW1 + '2001-01-03,10.5,10.8,10,11\n' + ROW3, field: 'high', has: ['line 3', 'high 10.8', '11'] },
  { name: 'low above open', text: HEADER + ROW1 + '2001-01-03,10.5,12,10.7,11\n' + ROW3, field: 'low', has: ['line 3', 'low 10.7'] },
  { name: 'unknown column', text: HEADER + ROW1 + ROW2, opts: { column: 'MSFT' }, field: 'column', has: ['"MSFT"', 'open, high, low, close'] },
  { name: 'too few bars', text: HEADER + ROW1 + ROW2 + ROW3, opts: { minBars: 50 }, field: 'bars', has: ['3 bars, need at least 50'] },
  { name: 'bad date', text: HEADER + ROW1 + '2001-02-30,10.5,12,10,11\n', field: 'date', has: ['line 3', '2001-02-30', 'unparsable time'] },
  { name: 'zone-less time', text: 'timestamp,close\n2001-01-02T10:00,1\n', field: 'timestamp', has: ['line 2', 'time zone'] },
  { name: 'wrong time key', text: 'day,close\n2001-01-02,1\n', field: 'header', has: ['first column'] },
  { name: 'ragged row', text: HEADER + ROW1 + '2001-01-03,10.5,12\n', field: '', has: ['line 3'] },
  { name: 'blank lines keep line numbers', text: HEADER + ROW1 + '\n' + '2001-01-03,10.5,12,10,0\n', field: 'close', has: ['line 4'] },
];

describe('loadMarketData rejects bad files with one line naming file and row/field', () => {
  for (const c of bad) {
    it(c.name, () => {
      const p = join(dir, `${c.name.replace(/\W+/g, '_')}.csv`);
      writeFileSync(p, c.text);
      let err: unknown;
      try {
        loadMarketData(p, c.opts);
      } catch (e) {
        err = e;
      }
      expect(isRegimenError(err)).toBe(true);
      const line = formatError(err);
      expect(line).not.toContain('\n');
      expect(line).toContain(p);
      if (c.field) expect((err as { field?: string }).field).toBe(c.field);
      expect((err as { code: string }).code).toBe('data');
      for (const s of c.has) expect(line).toContain(s);
    });
  }

  it('a missing file', () => {
    expect(() => loadMarketData(join(dir, 'nope.csv'))).toThrow(/cannot read market data \(ENOENT\)/);
    expect(() => loadMarketData(join(dir, 'nope.arrow'))).toThrow(/ENOENT/);
  });

  it('a broken Arrow file', () => {
    const p = join(dir, 'broken.arrow');
    writeFileSync(p, 'not arrow at all');
    expect(() => loadMarketData(p)).toThrow(/not a valid Arrow IPC file/);
  });
});

function catchIt(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('CSV, Arrow and Parquet give the same market data', () => {
  const csvPath = embeddedDataPath('msft_daily_ohlcv.csv');
  const fixture = fileURLToPath(new URL('../fixtures/msft_daily_ohlcv.arrow-rs.zstd.parquet', import.meta.url));

  it('through data convert, and from a Parquet file written by arrow-rs (zstd, µs timestamps)', async () => {
    const csv = loadMarketData(csvPath);
    const { data } = await readAllColumns(csvPath);
    const files = [join(dir, 'm.arrow'), join(dir, 'm.parquet'), fixture];
    writeColumns(files[0]!, data);
    writeColumns(files[1]!, data);
    for (const f of files) {
      const md = await readMarketData(f);
      for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) expect(Array.from(md.bars[k]!), `${f} ${k}`).toEqual(Array.from(csv.bars[k]!));
      expect(md.timeKind).toBe('date');
      expect(dataFingerprint(md.bars, 'x')).toEqual(dataFingerprint(csv.bars, 'x'));
    }
    expect(() => loadMarketData(files[1]!)).toThrow(/readMarketData/);
  });

  it('uses a one-chunk float64 Arrow column in place: a view into the bytes read from the file', () => {
    const p = join(dir, 'inplace.arrow');
    writeBarsArrow(p, loadMarketData(csvPath).bars);
    const md = loadMarketData(p);
    expect(md.bars.close.buffer.byteLength).toBe(statSync(p).size);
    expect(md.bars.open.buffer).toBe(md.bars.close.buffer);
  });

  it('checks the header before reading the body: a wrong key or price column fails on a file whose body is garbage', () => {
    const p = join(dir, 'garbage.csv');
    writeFileSync(p, 'when,close\n' + 'x,y,z\n'.repeat(1000));
    expect(() => loadMarketData(p)).toThrow(/first column must be the time key/);
    writeFileSync(p, 'date,close\n' + 'x,y,z\n'.repeat(1000));
    expect(() => loadMarketData(p, { column: 'adj' })).toThrow(/no price column "adj"/);
  });

  it('refuses local (zone-less) Parquet timestamps, naming the column', async () => {
    const p = join(dir, 'local.parquet');
    writeFileSync(p, new Uint8Array(parquetWriteBuffer({
      columnData: [{ name: 'time', data: new BigInt64Array([0n, 60_000n]) }, { name: 'close', data: new Float64Array([1, 2]) }],
      schema: [
        { name: 'root', num_children: 2 },
        { name: 'time', type: 'INT64', repetition_type: 'REQUIRED', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MILLIS' } },
        { name: 'close', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      ],
    })));
    await expect(readMarketData(p)).rejects.toThrow(/local clock times without a zone/);
    // with the zone they are wall-clock times of it: 1970-01-01T00:00 in Zurich (UTC+1 then) is 23:00Z the day before
    const md = await readMarketData(p, { timezone: 'Europe/Zurich' });
    expect(Array.from(md.bars.time)).toEqual([-3_600_000, 60_000 - 3_600_000]);
  });

  it('reads a numeric Arrow time column in any position by time_format', () => {
    const p = join(dir, 'epoch.arrow');
    writeArrowTable(p, new Table({ close: vectorFromArray([1, 2], new Float32()), t: vectorFromArray([1577836800n, 1577836860n], new Int64()) }));
    expect(() => loadMarketData(p)).toThrow(/no time column/);
    const md = loadMarketData(p, { timeColumn: 't', timeFormat: 'epoch_s' });
    expect(Array.from(md.bars.time)).toEqual([Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 1, 0, 1)]);
    expect(md.reading.time_column).toBe('t');
  });
});

describe('reading data as users have it', () => {
  const ticks = fileURLToPath(new URL('../fixtures/usdthb_ticks_head400.csv', import.meta.url));
  /** Independent reading of the fixture: split lines and commas, Date.parse with the zone's fixed offset. */
  const lines = readFileSync(ticks, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

  it('reads a tick file: time key in any position, zone, duplicates, mid of bid and ask', () => {
    const md = loadMarketData(ticks, { timeColumn: 'timestamp', timezone: 'Asia/Bangkok', duplicates: 'last', price: { mid: ['bid', 'ask'] } });
    // the reference: the last quote of each minute, Bangkok = UTC+7 all year (no DST since 1920)
    const last = new Map<string, string[]>();
    for (const c of lines) last.set(c[1]!, c);
    const want = [...last.values()];
    expect(md.bars.close.length).toBe(want.length);
    expect(md.rows).toEqual({ read: 400, duplicates_dropped: 400 - want.length, resampled: null });
    want.forEach((c, i) => {
      expect(md.bars.time[i]).toBe(Date.parse(c[1] + '+07:00'));
      expect(md.bars.close[i]).toBe((Number(c[4]) + Number(c[5])) / 2);
    });
    expect(md.reading).toEqual({ time_column: 'timestamp', time_format: 'iso', timezone: 'Asia/Bangkok', duplicates: 'last', price: { mid: ['bid', 'ask'] }, resample: null });
    const first = loadMarketData(ticks, { timeColumn: 'timestamp', timezone: 'Asia/Bangkok', duplicates: 'first', price: 'bid' });
    const firsts = new Map<string, string[]>();
    for (const c of lines) if (!firsts.has(c[1]!)) firsts.set(c[1]!, c);
    expect(Array.from(first.bars.close)).toEqual([...firsts.values()].map((c) => Number(c[4])));
  });

  it('resamples the ticks into hourly OHLC bars stamped at the hour\'s end', () => {
    const md = loadMarketData(ticks, { timeColumn: 'timestamp', timezone: 'UTC', duplicates: 'first', price: 'bid', resample: { every: '1h' } });
    const hours = new Map<number, number[]>();
    const seen = new Set<string>();
    for (const c of lines) {
      if (seen.has(c[1]!)) continue;
      seen.add(c[1]!);
      const t = Date.parse(c[1] + 'Z');
      const end = Math.floor(t / 3_600_000) * 3_600_000 + 3_600_000;
      hours.set(end, [...(hours.get(end) ?? []), Number(c[4])]);
    }
    expect(Array.from(md.bars.time)).toEqual([...hours.keys()]);
    expect(Array.from(md.bars.high)).toEqual([...hours.values()].map((p) => Math.max(...p)));
    expect(Array.from(md.bars.close)).toEqual([...hours.values()].map((p) => p.at(-1)));
    const span = (md.bars.time.at(-1)! - md.bars.time[0]!) / 3_600_000 + 1;
    expect(md.rows.resampled).toEqual({ bars: hours.size, empty_intervals: span - hours.size });
    expect(md.timeKind).toBe('datetime');
  });

  it('refuses the tick file without a zone, naming the line', () => {
    expect(() => loadMarketData(ticks, { timeColumn: 'timestamp', price: 'bid' })).toThrow(/line 2: unparsable time: date-time without a time zone/);
    expect(() => loadMarketData(ticks, { timeColumn: 'timestamp', timezone: 'UTC', price: 'bid' })).toThrow(/line 6: duplicate timestamp/);
  });

  it('reads epoch seconds, milliseconds, microseconds and nanoseconds', () => {
    const t = [Date.UTC(2020, 0, 1, 0, 0, 0, 123), Date.UTC(2020, 0, 1, 0, 1, 0, 456)];
    const forms: Array<[TimeFormat, (ms: number) => string]> = [
      ['epoch_s', (ms) => String(ms / 1000)], ['epoch_ms', (ms) => String(ms)],
      ['epoch_us', (ms) => `${ms}789`], ['epoch_ns', (ms) => `${ms}789123`],
    ];
    for (const [format, write] of forms) {
      const p = join(dir, `${format}.csv`);
      writeFileSync(p, `close,t\n1,${write(t[0]!)}\n2,${write(t[1]!)}\n`);
      const md = loadMarketData(p, { timeColumn: 't', timeFormat: format });
      const extra = format === 'epoch_us' ? 0.789 : format === 'epoch_ns' ? 0.789123 : 0;
      expect(Array.from(md.bars.time), format).toEqual(t.map((ms) => ms + extra));
    }
    const p = join(dir, 'epoch-bad.csv');
    writeFileSync(p, 't,close\n1577836800,1\n2020-01-01,2\n');
    expect(() => loadMarketData(p, { timeColumn: 't', timeFormat: 'epoch_s' })).toThrow(/line 3: unparsable time: not a number of seconds/);
  });
});

describe('the whole USD/THB tick file', () => {
  it('becomes hourly mid bars; its one zero ask is superseded by the next quote of its minute', () => {
    const path = join(TEST_DATA_DIR, 'usdthb_ticks.csv');
    const opts = { timeColumn: 'timestamp', timezone: 'UTC', price: { mid: ['bid', 'ask'] as [string, string] }, resample: { every: '1h' } };
    expect(formatError(catchIt(() => loadMarketData(path, { ...opts, duplicates: 'first' })))).toMatch(/ask = 0: line 2788: price must be positive/);
    const md = loadMarketData(path, { ...opts, duplicates: 'last' });
    // reference: last quote per minute, then the last minute per hour
    const last = new Map<string, number>();
    for (const l of readFileSync(path, 'utf8').trim().split('\n').slice(1)) {
      const c = l.split(',');
      last.set(c[1]!, (Number(c[4]) + Number(c[5])) / 2);
    }
    const hours = new Map<number, number>();
    for (const [t, mid] of last) hours.set(Math.floor(Date.parse(t + 'Z') / 3_600_000) * 3_600_000 + 3_600_000, mid);
    expect(Array.from(md.bars.time)).toEqual([...hours.keys()]);
    expect(Array.from(md.bars.close)).toEqual([...hours.values()]);
    expect(md.rows.read).toBe(2984);
    expect(md.rows.duplicates_dropped).toBe(2984 - last.size);
  });
});
