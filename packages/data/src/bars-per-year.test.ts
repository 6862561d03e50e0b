import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { inferBarsPerYear } from './bars-per-year.js';
import { loadMarketData } from './market-data.js';
import { embeddedDataPath } from './embedded.js';
import { TEST_DATA_DIR } from '../test/real-data.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('inferBarsPerYear', () => {
  it('daily NYSE: 252', () => {
    expect(inferBarsPerYear(loadMarketData(embeddedDataPath()).bars.time)).toBe(252);
  });

  // the one test that reads the 62k-row file: loading checks ride along
  it('30-minute USD/CHF: 252 × 48', () => {
    const md = loadMarketData(join(TEST_DATA_DIR, 'usdchf_30min.csv'));
    expect(md.bars.close.length).toBe(62496);
    expect(md.timeKind).toBe('datetime');
    expect(md.bars.time[0]).toBe(Date.UTC(1996, 2, 31, 22, 0));
    expect(md.bars.time[62495]).toBe(Date.UTC(2001, 2, 30, 21, 30));
    expect(inferBarsPerYear(md.bars.time)).toBe(252 * 48);
  });

  it('month-end SMALLCAP: 12', () => {
    expect(inferBarsPerYear(loadMarketData(join(TEST_DATA_DIR, 'smallcap_monthly_index.csv'), { column: 'MARKET' }).bars.time)).toBe(12);
  });

  it('weekly: 52; a 6.5-hour session of 30-min bars: 252 × 13', () => {
    expect(inferBarsPerYear(Float64Array.from({ length: 60 }, (_, i) => i * 7 * DAY))).toBe(52);
    const t: number[] = [];
    for (let d = 0; d < 20; d++) for (let k = 0; k < 13; k++) t.push(d * DAY + 14.5 * HOUR + k * 30 * 60_000);
    expect(inferBarsPerYear(Float64Array.from(t))).toBe(252 * 13);
  });

  it('needs two bars', () => {
    expect(() => inferBarsPerYear(new Float64Array([0]))).toThrow(/fewer than 2 bars/);
  });
});
