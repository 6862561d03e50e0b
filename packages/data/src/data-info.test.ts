import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dataInfo } from './data-info.js';
import { embeddedDataPath } from './embedded.js';
import { TEST_DATA_DIR } from '../test/real-data.js';

const USDCHF = join(TEST_DATA_DIR, 'usdchf_30min.csv');

describe('dataInfo', () => {
  it('finds the bar spacings the data README documents for USD/CHF 30-minute bars', async () => {
    const info = await dataInfo(USDCHF);
    // the spacings the data's README documents: "bar spacing in minutes: 30 ×62,234; 1,470 ×1; 2,850 ×5; 2,910 ×248; 2,970 ×5; 4,350 ×2"
    const minutes = Object.fromEntries(info.spacing.map((s) => [s.ms / 60_000, s.count]));
    expect(minutes).toEqual({ 30: 62234, 1470: 1, 2850: 5, 2910: 248, 2970: 5, 4350: 2 });
    expect(info.spacing_other).toBe(0);
    expect(info).toMatchObject({
      rows: 62496, first: '1996-03-31T22:00:00Z', last: '2001-03-30T21:30:00Z', time_kind: 'datetime', median_spacing_ms: 1_800_000,
      gaps: 261, duplicates: 0, out_of_order: 0, bars_per_year: 252 * 48, columns: [{ name: 'close', type: 'number' }],
    });
    expect(info.largest_gaps[0]).toEqual({ from: '1998-12-24T22:30:00Z', to: '1998-12-27T23:00:00Z', ms: 4350 * 60_000 });
  });

  it('describes the embedded OHLCV file', async () => {
    const info = await dataInfo(embeddedDataPath('msft_daily_ohlcv.csv'));
    expect(info.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['open:number', 'high:number', 'low:number', 'close:number', 'volume:number']);
    expect(info).toMatchObject({ rows: 249, first: '2000-09-27', last: '2001-09-27', span_days: 365, bars_per_year: 252, time_kind: 'date' });
  });
});
