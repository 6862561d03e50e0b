import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { BarColumns, DataFingerprint } from '@regimen/core';
import type { DataReading } from './market-data.js';
import { isoTime } from './time.js';

function bytesOf(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Identity of the data a workspace was built from: sha256 over the raw IEEE-754 bytes of the
 * time column followed by the close column (little-endian, as every platform Node runs on), so a
 * change to any timestamp or price changes it, while the file's formatting does not.
 */
export function dataFingerprint(bars: Pick<BarColumns, 'time' | 'close'>, source: string, reading?: DataReading): DataFingerprint {
  const n = bars.time.length;
  const hash = createHash('sha256').update(bytesOf(bars.time)).update(bytesOf(bars.close)).digest('hex');
  return {
    sha256: hash,
    bars: n,
    first: n > 0 ? isoTime(bars.time[0]!) : '',
    last: n > 0 ? isoTime(bars.time[n - 1]!) : '',
    source: basename(source),
    // how the file was read is recorded beside the hash; the hash itself stays over the numbers,
    // so the same series keeps its fingerprint (and changing a choice changes the numbers)
    ...(reading ? { reading: { ...reading } } : {}),
  };
}
