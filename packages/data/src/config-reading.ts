import type { ResolvedConfig } from '@regimen/core';
import type { LoadOptions } from './market-data.js';

/**
 * The data reading choices of a resolved config, as the data package takes them — here so that
 * every reader of a workspace's data (a run, `regimen signal`) reads a file the same way.
 */
export function readingOptions(d: ResolvedConfig['data']): LoadOptions {
  return {
    price: d.price === undefined ? d.column : 'mid' in d.price ? { mid: d.price.mid } : d.price.column,
    timeColumn: d.time_column ?? undefined,
    timeFormat: d.time_format,
    timezone: d.timezone ?? undefined,
    duplicates: d.duplicates,
    resample: d.resample ?? undefined,
  };
}
