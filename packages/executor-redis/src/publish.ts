import type { BarColumns, RegimeTrack, SignalEvents } from '@regimen/core';
import { eventsBlob, labelsBlob, marketBlob, seriesBlob } from './blobs.js';
import { sha256 } from './columns.js';
import { keys } from './protocol.js';
import type { RunLink } from './run-link.js';

/**
 * Publishes a run's data once: each object (bars, a labels array, a close series, a leg's
 * events) is encoded and hashed the first time it is seen, and its bytes are stored under its
 * hash unless Redis has them already. Jobs then name data by hash.
 */
export interface Publisher {
  market(bars: BarColumns): Promise<string>;
  labels(track: RegimeTrack): Promise<string>;
  series(values: Float64Array): Promise<string>;
  events(events: SignalEvents): Promise<string>;
}

/** what publishing has cost so far: objects encoded and hashed, their bytes, and the seconds until each was in Redis */
export interface PublishStats {
  blobs: number;
  bytes: number;
  seconds: number;
}

export function publisher(link: RunLink, run: string, stats: PublishStats = { blobs: 0, bytes: 0, seconds: 0 }): Publisher {
  const known = new WeakMap<object, Promise<string>>();
  const put = async (bytes: Uint8Array, t0: number): Promise<string> => {
    const sha = sha256(bytes);
    const key = keys.blob(run, sha);
    if ((await link.guard(link.redis.exists(key))) === 0) await link.guard(link.redis.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    link.keep(key);
    stats.blobs++;
    stats.bytes += bytes.byteLength;
    stats.seconds += (performance.now() - t0) / 1000;
    return sha;
  };
  const once = (identity: object, encode: () => Uint8Array): Promise<string> => {
    let sha = known.get(identity);
    if (!sha) {
      const t0 = performance.now(); // before encoding: the encoding is part of the cost
      sha = put(encode(), t0);
      known.set(identity, sha);
      sha.catch(() => known.delete(identity));
    }
    return sha;
  };
  return {
    market: (bars) => once(bars, () => marketBlob(bars)),
    labels: (track) => once(track, () => labelsBlob(track)),
    series: (values) => once(values, () => seriesBlob(values)),
    events: (e) => once(e, () => eventsBlob(e)),
  };
}
