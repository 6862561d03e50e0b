import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedDataPath, loadMarketData, readMarketData } from '@regimen/data';
import { cli } from '../test/harness.js';
import { duration } from './commands/data.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-data-cli-'));

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

  it('prints spacings as durations', () => {
    expect([duration(60_000), duration(86_400_000 + 1_800_000), duration(1500), duration(0)]).toEqual(['1m', '1d 30m', '1s 500ms', '0']);
  });
});
