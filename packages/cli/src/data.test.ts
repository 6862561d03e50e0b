import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { embeddedDataPath, loadMarketData, readMarketData } from '@regimen/data';
import { cli } from '../test/harness.js';
import { duration } from './commands/data.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-data-cli-'));
const ticks = fileURLToPath(new URL('../../data/fixtures/usdthb_ticks_head400.csv', import.meta.url));
const tickFlags = ['--time-column', 'timestamp', '--timezone', 'Asia/Bangkok', '--duplicates', 'last', '--price', 'mid:bid,ask'];

describe('regimen data', () => {
  it('info prints rows, span, spacing, gaps and bars_per_year', async () => {
    const r = await cli('data', 'info', embeddedDataPath());
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('nyse_composite_daily_close.csv (csv): 9311 rows, 1966-01-04 → 2002-12-31');
    expect(r.out).toMatch(/bars_per_year: 252/);
    expect(r.out).toMatch(/bar spacing:[\s\S]*1d\s+\d+/);
    const j = await cli('data', 'info', embeddedDataPath(), '--json');
    expect(JSON.parse(j.out)).toMatchObject({ rows: 9311, format: 'csv', time_column: 'date', bars_per_year: 252 });
  });

  it('convert writes Arrow and Parquet that load to the same bars', async () => {
    const src = loadMarketData(embeddedDataPath('msft_daily_ohlcv.csv'));
    for (const ext of ['arrow', 'parquet']) {
      const out = join(dir, `msft.${ext}`);
      const r = await cli('data', 'convert', embeddedDataPath('msft_daily_ohlcv.csv'), out, '--json');
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ format: ext, rows: 249, columns: ['date', 'open', 'high', 'low', 'close', 'volume'] });
      const back = await readMarketData(out);
      expect(Array.from(back.bars.close)).toEqual(Array.from(src.bars.close));
      expect(Array.from(back.bars.time)).toEqual(Array.from(src.bars.time));
    }
  });

  it('refuses an output it cannot write, one line, exit 2', async () => {
    const r = await cli('data', 'convert', embeddedDataPath(), join(dir, 'x.xlsx'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/x\.xlsx.*Arrow.*Parquet/);
  });

  it('reads tick data through the reading flags: info, convert with resampling, backtest', async () => {
    const info = await cli('data', 'info', ticks, ...tickFlags, '--resample', '5min', '--json');
    expect(info.code, info.err).toBe(0);
    const j = JSON.parse(info.out);
    expect(j.bars_from).toMatchObject({ rows_read: 400, reading: { timezone: 'Asia/Bangkok', price: { mid: ['bid', 'ask'] }, resample: { every: '5min' } } });
    expect(j.spacing[0].ms % 300_000).toBe(0);
    const out = join(dir, 'ticks5.arrow');
    const conv = await cli('data', 'convert', ticks, out, ...tickFlags, '--resample', '5min', '--json');
    expect(JSON.parse(conv.out)).toMatchObject({ rows: j.rows, columns: ['time', 'open', 'high', 'low', 'close'] });
    const bt = await cli('backtest', '--strategy', 'momentum', '--param', 'lookback=5', '--data', ticks, ...tickFlags, '--resample', '5min', '--json');
    expect(bt.code, bt.err).toBe(0);
    expect(JSON.parse(bt.out)).toMatchObject({ bars: j.rows, reading: { duplicates: 'last' } });
  });

  it('refuses bad reading flags, one line, exit 2', async () => {
    for (const [args, want] of [
      [['--resample', '5m'], /--resample.*5m/],
      [['--time-format', 'epoch'], /--time-format.*epoch/],
      [['--price', 'mid:bid'], /--price mid wants two columns/],
      [['--time-column', 'when'], /time_column = "when": no such column/],
      [['--time-column', 'timestamp', '--timezone', 'Moon/Base'], /timezone = "Moon\/Base": unknown time zone/],
    ] as const) {
      const r = await cli('data', 'info', ticks, ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
      expect(r.err).toMatch(want);
    }
  });

  it('prints spacings as durations', () => {
    expect([duration(60_000), duration(86_400_000 + 1_800_000), duration(1500), duration(0)]).toEqual(['1m', '1d 30m', '1s 500ms', '0']);
  });
});
