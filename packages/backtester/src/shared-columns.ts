import type { BarColumns, RegimeTrack, ReplayBatch, SignalEvents } from '@regimen/core';

/**
 * Market data and regime labels are copied once into SharedArrayBuffers; a task message then
 * carries views over them, which structured cloning shares instead of copying. So a batch of
 * trials costs one small message, whatever the number of bars.
 */
export type SharableArray = Float64Array | Int32Array | Uint8Array;

/**
 * `a` in shared memory: itself when it already is, else a copy (at least one element's bytes, so
 * an empty column still has a buffer to share).
 */
export function sharedCopy<T extends SharableArray>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Kind = a.constructor as new (b: SharedArrayBuffer, offset: number, length: number) => T;
  const out = new Kind(new SharedArrayBuffer(Math.max(a.BYTES_PER_ELEMENT, a.byteLength)), 0, a.length);
  out.set(a);
  return out;
}

export function shareBars(bars: BarColumns): BarColumns {
  const close = sharedCopy(bars.close);
  // close-only data repeats one column as open/high/low: share it once
  const same = (c: Float64Array) => (c === bars.close ? close : sharedCopy(c));
  return {
    time: sharedCopy(bars.time),
    open: same(bars.open),
    high: same(bars.high),
    low: same(bars.low),
    close,
    ...(bars.volume ? { volume: sharedCopy(bars.volume) } : {}),
  };
}

export function shareRegimes(tracks: RegimeTrack[]): RegimeTrack[] {
  return tracks.map((t) => ({ classifier: t.classifier, names: t.names, labels: sharedCopy(t.labels) }));
}

/**
 * A replay batch's data — close, the labels of every track and the events of every leg — copied
 * once into SharedArrayBuffers, for many replay tasks over different weight sets. A leg object
 * used by several regimes stays one object, as the engine counts distinct legs by identity.
 */
export function shareReplay(batch: ReplayBatch): Omit<ReplayBatch, 'weightSets'> {
  const labels = new Map<Uint8Array, Uint8Array>();
  const track = (t: RegimeTrack): RegimeTrack => {
    let l = labels.get(t.labels);
    if (!l) labels.set(t.labels, (l = sharedCopy(t.labels)));
    return { classifier: t.classifier, names: t.names, labels: l };
  };
  const events = new Map<SignalEvents, SignalEvents>();
  const leg = (e: SignalEvents | null): SignalEvents | null => {
    if (e === null) return null;
    let s = events.get(e);
    if (!s) events.set(e, (s = { bar: sharedCopy(e.bar), position: sharedCopy(e.position) }));
    return s;
  };
  const { weightSets: _w, ...rest } = batch;
  return {
    ...rest,
    close: sharedCopy(batch.close),
    regime: track(batch.regime),
    breakdown: batch.breakdown.map(track),
    legs: batch.legs.map((l) => ({ strategy: l.strategy, byRegime: l.byRegime.map(leg) })),
  };
}
