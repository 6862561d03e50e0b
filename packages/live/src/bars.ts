import type { BarColumns } from '@regimen/core';
import { readingOptions, readMarketData } from '@regimen/data';
import type { LiveRun } from './open.js';

/**
 * A data file read with the run's own reading options (metadata/config.resolved.json: time
 * column, format, zone, duplicates, price, resampling), so the run's bars come back bit for bit.
 */
export async function loadLiveBars(run: Pick<LiveRun, 'config'>, dataFile: string): Promise<BarColumns> {
  const market = await readMarketData(dataFile, { ...readingOptions(run.config.data), minBars: 2 });
  return market.bars;
}
