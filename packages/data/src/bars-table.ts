import { TimestampMillisecond, makeData, makeVector, type Data, type Table } from 'apache-arrow';
import type { BarColumns } from '@regimen/core';
import { tableOf, writeArrowTable } from './arrow-file.js';

const TWO_32 = 4294967296;

/**
 * Epoch-ms Float64Array → Arrow Timestamp(ms), whose storage is 64-bit integers. The int64 words
 * are written as two little-endian int32 halves: no BigInt per value (which dominated the cost of
 * writing signal files). Exact for |ms| < 2^53; negative times (before 1970) included.
 */
export function timestampData(time: Float64Array): Data<TimestampMillisecond> {
  const ints = new BigInt64Array(time.length);
  const halves = new Int32Array(ints.buffer);
  for (let i = 0; i < time.length; i++) {
    const ms = Math.round(time[i]!);
    const hi = Math.floor(ms / TWO_32);
    halves[2 * i] = (ms - hi * TWO_32) | 0;
    halves[2 * i + 1] = hi;
  }
  return makeData({ type: new TimestampMillisecond(), length: time.length, data: ints });
}

/**
 * The canonical Arrow form of market data: time as Timestamp(ms), prices as Float64. The price
 * columns wrap the very Float64Arrays of `bars` (no copy), so table and columns cannot disagree.
 */
export function barsToTable(bars: BarColumns, metadata?: Map<string, string>): Table {
  const cols: Array<[string, Data]> = [['time', timestampData(bars.time)]];
  // apache-arrow's IPC writer keeps one body for columns that share an array while its header
  // declares each (an unreadable file): a close-only series' open/high/low/close is one array
  const seen = new Set<Float64Array>();
  const own = (a: Float64Array) => (seen.has(a) ? a.slice() : (seen.add(a), a));
  cols.push(['open', makeVector(own(bars.open)).data[0]!], ['high', makeVector(own(bars.high)).data[0]!], ['low', makeVector(own(bars.low)).data[0]!], ['close', makeVector(own(bars.close)).data[0]!]);
  if (bars.volume) cols.push(['volume', makeVector(own(bars.volume)).data[0]!]);
  return tableOf(cols, metadata);
}

/** Write market data as an Arrow IPC file that `loadMarketData` reads back. */
export function writeBarsArrow(path: string, bars: BarColumns): void {
  writeArrowTable(path, barsToTable(bars));
}
