import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { dataFingerprint } from './fingerprint.js';
import { loadMarketData } from './market-data.js';
import { embeddedDataPath } from './embedded.js';

describe('dataFingerprint', () => {
  const md = loadMarketData(embeddedDataPath());
  const fp = dataFingerprint(md.bars, md.source);

  it('describes the series', () => {
    expect(fp).toMatchObject({ bars: 9311, first: '1966-01-04', last: '2002-12-31', source: 'nyse_composite_daily_close.csv' });
    // independent: hash of the concatenated little-endian doubles
    const buf = Buffer.alloc(9311 * 16);
    md.bars.time.forEach((t, i) => buf.writeDoubleLE(t, i * 8));
    md.bars.close.forEach((c, i) => buf.writeDoubleLE(c, 9311 * 8 + i * 8));
    expect(fp.sha256).toBe(createHash('sha256').update(buf).digest('hex'));
  });

  it('changes when one price or one time changes, not when the source folder does', () => {
    const close = Float64Array.from(md.bars.close);
    close[5000] = close[5000]! + 0.01;
    expect(dataFingerprint({ time: md.bars.time, close }, md.source).sha256).not.toBe(fp.sha256);
    const time = Float64Array.from(md.bars.time);
    time[0] = time[0]! - 86_400_000;
    expect(dataFingerprint({ time, close: md.bars.close }, md.source).sha256).not.toBe(fp.sha256);
    expect(dataFingerprint(md.bars, '/elsewhere/nyse_composite_daily_close.csv')).toEqual(fp);
  });

  it('hashes only the viewed bytes of a subarray', () => {
    const a = dataFingerprint({ time: md.bars.time.subarray(10, 20), close: md.bars.close.subarray(10, 20) }, 'x');
    const b = dataFingerprint({ time: md.bars.time.slice(10, 20), close: md.bars.close.slice(10, 20) }, 'x');
    expect(a).toEqual(b);
  });
});
